package eventlog

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// scrapeTimeout bounds the stream query a scrape makes.
const scrapeTimeout = 2 * time.Second

// Collector reports the log's lag at scrape time:
// mosaic_measurement_log_pending_events and _bytes, what was accepted and
// is not yet written to the store.
func (l *Log) Collector() prometheus.Collector { return lagCollector{l} }

var (
	pendingDesc = prometheus.NewDesc("mosaic_measurement_log_pending_events",
		"Client events accepted into the log and not yet written to PostgreSQL (the consumer's lag).", nil, nil)
	pendingBytesDesc = prometheus.NewDesc("mosaic_measurement_log_pending_bytes",
		"Bytes of the log's pending events; at MOSAIC_EVENTS_BUFFER_BYTES /collect answers 503.", nil, nil)
)

type lagCollector struct{ l *Log }

func (c lagCollector) Describe(ch chan<- *prometheus.Desc) { ch <- pendingDesc; ch <- pendingBytesDesc }

func (c lagCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	msgs, bytes, err := c.l.Pending(ctx)
	if err != nil {
		c.l.cfg.Log.WarnContext(ctx, "reading the event log's lag for /metrics", "error", err)
		return
	}
	ch <- prometheus.MustNewConstMetric(pendingDesc, prometheus.GaugeValue, float64(msgs))
	ch <- prometheus.MustNewConstMetric(pendingBytesDesc, prometheus.GaugeValue, float64(bytes))
}
