package app

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/mosaichq/mosaic/delivery"
	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/scheduler"
	"github.com/mosaichq/mosaic/server"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// ops is what an operator pages on, beyond HTTP and the caches (server/)
// and the event pipeline (measurement/): decisions, campaign transitions,
// how far this replica's change feed and search index trail the database,
// the webhook backlog, the database pool and readiness. Counters are kept
// as things happen; the rest is read when /metrics is scraped.
type ops struct {
	feedEpoch     atomic.Int64 // newest content epoch the change feed delivered
	announced     *prometheus.CounterVec
	delay         *prometheus.HistogramVec
	decisions     *decisionCounter
	scrapeTimeout time.Duration
}

func newOps() *ops {
	o := &ops{
		announced: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "mosaic_campaign_transitions_announced_total",
			Help: "Campaign transitions this replica announced (as scheduler leader), by kind (started, ended, stopped)."}, []string{"kind"}),
		delay: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "mosaic_campaign_transition_delay_seconds",
			Help:    "How long after its instant each transition was announced; content switches at the instant regardless, the announcement drives webhooks, /events and CDN purges.",
			Buckets: []float64{.05, .1, .25, .5, 1, 2, 5, 10, 30, 60}}, []string{"kind"}),
		decisions:     newDecisionCounter(maxDecisionSeries),
		scrapeTimeout: 2 * time.Second,
	}
	// Every kind at zero from the start, so that alerts and dashboards see
	// the series before the first transition.
	for _, k := range []scheduler.Kind{scheduler.Started, scheduler.Ended, scheduler.Stopped} {
		o.announced.WithLabelValues(string(k))
		o.delay.WithLabelValues(string(k))
	}
	return o
}

// transitionDelayed is the scheduler's Delayed hook.
func (o *ops) transitionDelayed(t scheduler.Transition, d time.Duration) {
	o.announced.WithLabelValues(string(t.Kind)).Inc()
	o.delay.WithLabelValues(string(t.Kind)).Observe(max(d, 0).Seconds())
}

// feedSaw records a change-feed notification's epoch.
func (o *ops) feedSaw(c postgres.Change) {
	for {
		cur := o.feedEpoch.Load()
		if c.Epoch <= cur || o.feedEpoch.CompareAndSwap(cur, c.Epoch) {
			return
		}
	}
}

// opsDeps adds the collectors to d; ready are the readiness checks, also
// reported as mosaic_ready.
func (a *App) opsDeps(d *server.Deps) {
	if a.ops == nil {
		return
	}
	d.Collectors = append(d.Collectors, a.ops.announced, a.ops.delay, a.ops.decisions,
		&opsCollector{a: a, ready: d.Ready})
	if a.reads != nil {
		d.Collectors = append(d.Collectors, readsCollector{a.reads})
	}
	if d.Resolver.Decisions != nil {
		d.Resolver.Decisions = countingRecorder{next: d.Resolver.Decisions, c: a.ops.decisions}
	}
}

var (
	poolConnsDesc = prometheus.NewDesc("mosaic_db_pool_connections",
		"PostgreSQL pool connections by state: acquired (in use), idle, constructing; max is the pool's limit. acquired near max is saturation.", []string{"state"}, nil)
	poolWaitsDesc = prometheus.NewDesc("mosaic_db_pool_empty_acquires_total",
		"Acquires that found no idle connection and had to wait or dial.", nil, nil)
	poolWaitDesc = prometheus.NewDesc("mosaic_db_pool_empty_acquire_wait_seconds_total",
		"Time spent waiting for a connection when none was idle.", nil, nil)
	epochDesc = prometheus.NewDesc("mosaic_content_epoch",
		"Content epoch by who has it: database (committed), change_feed (notified to this replica), search_index (applied to its index).", []string{"source"}, nil)
	feedLagDesc = prometheus.NewDesc("mosaic_change_feed_lag_epochs",
		"Content changes committed that this replica's change feed has not delivered yet.", nil, nil)
	searchLagDesc = prometheus.NewDesc("mosaic_search_index_lag_epochs",
		"Content changes committed that this replica's search index has not applied yet.", nil, nil)
	webhookPendingDesc = prometheus.NewDesc("mosaic_webhook_deliveries_pending",
		"Webhook deliveries not yet delivered or given up (shared by all replicas).", nil, nil)
	webhookOverdueDesc = prometheus.NewDesc("mosaic_webhook_oldest_due_seconds",
		"How long the oldest due webhook delivery has waited for a worker (0: none due).", nil, nil)
	overdueDesc = prometheus.NewDesc("mosaic_campaign_transition_overdue_seconds",
		"How long the oldest campaign transition of the last 15 minutes that is due and not announced has waited (0: none); every replica reports it, leader or not.", nil, nil)
	leaderDesc = prometheus.NewDesc("mosaic_scheduler_leader",
		"1 while this replica leads the campaign scheduler; the sum over replicas should be 1.", nil, nil)
	readyDesc = prometheus.NewDesc("mosaic_ready",
		"1 when the readiness check passes (as /readyz), by check; all 1 is a ready replica.", []string{"check"}, nil)
	scrapeErrDesc = prometheus.NewDesc("mosaic_ops_scrape_errors",
		"Reads that failed while collecting these metrics, by what was read.", []string{"source"}, nil)
)

// opsCollector reads the rest at scrape time, bounded by scrapeTimeout.
type opsCollector struct {
	a     *App
	ready map[string]server.Check
}

// Describe implements prometheus.Collector.
func (c *opsCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{poolConnsDesc, poolWaitsDesc, poolWaitDesc, epochDesc, feedLagDesc, searchLagDesc,
		webhookPendingDesc, webhookOverdueDesc, overdueDesc, leaderDesc, readyDesc, scrapeErrDesc} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c *opsCollector) Collect(ch chan<- prometheus.Metric) {
	a := c.a
	ctx, cancel := context.WithTimeout(context.Background(), a.ops.scrapeTimeout)
	defer cancel()
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	failed := func(source string) { gauge(scrapeErrDesc, 1, source) }

	s := a.Pool.Stat()
	gauge(poolConnsDesc, float64(s.AcquiredConns()), "acquired")
	gauge(poolConnsDesc, float64(s.IdleConns()), "idle")
	gauge(poolConnsDesc, float64(s.ConstructingConns()), "constructing")
	gauge(poolConnsDesc, float64(s.MaxConns()), "max")
	ch <- prometheus.MustNewConstMetric(poolWaitsDesc, prometheus.CounterValue, float64(s.EmptyAcquireCount()))
	ch <- prometheus.MustNewConstMetric(poolWaitDesc, prometheus.CounterValue, s.EmptyAcquireWaitTime().Seconds())

	db, err := postgres.New(a.Pool).Epoch(ctx)
	if err != nil {
		failed("content_epoch")
	} else {
		feed := a.ops.feedEpoch.Load()
		gauge(epochDesc, float64(db), "database")
		gauge(epochDesc, float64(feed), "change_feed")
		gauge(feedLagDesc, float64(max(db-feed, 0)))
		if a.Search != nil {
			if st, err := a.Search.Stats(); err != nil {
				failed("search_index")
			} else {
				gauge(epochDesc, float64(st.Epoch), "search_index")
				gauge(searchLagDesc, float64(max(db-st.Epoch, 0)))
			}
		}
	}
	if pending, overdue, err := postgres.NewWebhookStore(a.Pool).Backlog(ctx); err != nil {
		failed("webhooks")
	} else {
		gauge(webhookPendingDesc, float64(pending))
		gauge(webhookOverdueDesc, overdue.Seconds())
	}
	leading := 0.0
	if sch := a.Live.scheduler; sch != nil {
		if sch.Leading() {
			leading = 1
		}
		if d, err := sch.Overdue(ctx); err != nil {
			failed("campaign_transitions")
		} else {
			gauge(overdueDesc, d.Seconds())
		}
	}
	gauge(leaderDesc, leading)
	for name, check := range c.ready {
		ok := 1.0
		if check(ctx) != nil {
			ok = 0
		}
		gauge(readyDesc, ok, name)
	}
}

// maxDecisionSeries caps mosaic_decisions_total: label values are
// campaign, experiment and variant keys that editors configured, never
// visitor input, but a site with thousands of variants must not make a
// scrape of thousands of series. Past the cap, new combinations count
// under "_other".
const maxDecisionSeries = 2000

// decisionCounter is mosaic_decisions_total{campaign, experiment, variant}:
// the decisions delivered to identified visitors (those delivery records,
// delivery/decision.go), one per decided block. Anonymous reads carry no
// decision record and are not counted.
type decisionCounter struct {
	desc *prometheus.Desc
	max  int
	mu   sync.Mutex
	n    map[[3]string]float64
}

func newDecisionCounter(max int) *decisionCounter {
	return &decisionCounter{max: max, n: map[[3]string]float64{},
		desc: prometheus.NewDesc("mosaic_decisions_total",
			"Personalization decisions delivered to identified visitors, per decided block, by campaign, experiment and variant key (\"\": none, the default content; \"_other\": past the series cap).",
			[]string{"campaign", "experiment", "variant"}, nil)}
}

func (c *decisionCounter) add(d measurement.Decision) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, b := range d.Blocks {
		k := [3]string{b.Campaign, b.Experiment, b.Variant}
		if _, ok := c.n[k]; !ok && len(c.n) >= c.max {
			k = [3]string{"_other", "_other", "_other"}
		}
		c.n[k]++
	}
}

// Describe implements prometheus.Collector.
func (c *decisionCounter) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

// Collect implements prometheus.Collector.
func (c *decisionCounter) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, v := range c.n {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.CounterValue, v, k[0], k[1], k[2])
	}
}

// countingRecorder counts each decision record, then hands it on.
type countingRecorder struct {
	next delivery.Recorder
	c    *decisionCounter
}

func (r countingRecorder) Record(d measurement.Decision) bool {
	r.c.add(d)
	return r.next.Record(d)
}
