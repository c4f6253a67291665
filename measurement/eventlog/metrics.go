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
// is not yet written to the store (in messages of up to 64 events or
// records, and bytes); _lag_seconds, the age of the oldest of
// it (rollups are written with the rows, so this is also how stale they
// are); and _fullness, the share of the buffer's bound it fills (at 1
// /collect answers 503).
func (l *Log) Collector() prometheus.Collector { return lagCollector{l} }

var (
	pendingDesc = prometheus.NewDesc("mosaic_measurement_log_pending_events",
		"Messages in the log not yet written to PostgreSQL (the consumer's lag): each holds up to 64 client events of one type from one /collect batch, or up to 64 decision records; _bytes is their volume.", nil, nil)
	pendingBytesDesc = prometheus.NewDesc("mosaic_measurement_log_pending_bytes",
		"Bytes of the log's pending events; at MOSAIC_EVENTS_BUFFER_BYTES /collect answers 503.", nil, nil)
	lagDesc = prometheus.NewDesc("mosaic_measurement_log_lag_seconds",
		"Age of the oldest message in the log not yet written to PostgreSQL (0 when none): how far behind the tables and rollups are.", nil, nil)
	fullnessDesc = prometheus.NewDesc("mosaic_measurement_log_fullness",
		"Share of the log's bound (bytes or messages, whichever is nearer) its pending messages fill; at 1 /collect answers 503.", nil, nil)
)

type lagCollector struct{ l *Log }

func (c lagCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- pendingDesc
	ch <- pendingBytesDesc
	ch <- lagDesc
	ch <- fullnessDesc
}

func (c lagCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	info, err := c.l.stream.Info(ctx)
	if err != nil {
		c.l.cfg.Log.WarnContext(ctx, "reading the event log's lag for /metrics", "error", err)
		return
	}
	st := info.State
	ch <- prometheus.MustNewConstMetric(pendingDesc, prometheus.GaugeValue, float64(st.Msgs))
	ch <- prometheus.MustNewConstMetric(pendingBytesDesc, prometheus.GaugeValue, float64(st.Bytes))
	lag := 0.0
	if st.Msgs > 0 && !st.FirstTime.IsZero() {
		lag = max(0, time.Since(st.FirstTime).Seconds())
	}
	ch <- prometheus.MustNewConstMetric(lagDesc, prometheus.GaugeValue, lag)
	full := 0.0
	if c.l.cfg.MaxBytes > 0 {
		full = float64(st.Bytes) / float64(c.l.cfg.MaxBytes)
	}
	if c.l.cfg.MaxMsgs > 0 {
		full = max(full, float64(st.Msgs)/float64(c.l.cfg.MaxMsgs))
	}
	ch <- prometheus.MustNewConstMetric(fullnessDesc, prometheus.GaugeValue, min(full, 1))
}
