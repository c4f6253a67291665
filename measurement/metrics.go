package measurement

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Where a duplicate was dropped.
const (
	// StageLog: the log already held the id (its dedupe window).
	StageLog = "log"
	// StageStore: the store already held the id for its day.
	StageStore = "store"
)

// Metrics are the event pipeline's Prometheus counters. A nil *Metrics
// counts nothing.
type Metrics struct {
	Accepted *prometheus.CounterVec
	Rejected *prometheus.CounterVec
	Refused  prometheus.Counter
	// Unavailable counts batches answered 503: the log was full or away.
	Unavailable  prometheus.Counter
	Deduplicated *prometheus.CounterVec
	Written      prometheus.Counter
	BatchSize    prometheus.Histogram
	// Writes to PostgreSQL, events and decisions (label kind): how long a
	// batch's transaction took (rows and rollups), and the writes that
	// failed and are retried (the database away).
	WriteSeconds *prometheus.HistogramVec
	WriteErrors  *prometheus.CounterVec
	// Decision records: appended to the log, dropped (buffer full or log
	// refusing), written to PostgreSQL, and the buffer's fill.
	DecisionsLogged  prometheus.Counter
	DecisionsDropped prometheus.Counter
	DecisionsWritten prometheus.Counter
	DecisionBuffer   prometheus.Gauge
	// Identities: what each stored identify did (outcome: created,
	// linked, none, refused; code: why refused), counted once its batch
	// committed. ArmDrops: pinned-arm loads the ArmCache skipped or lost
	// (reason: queue_full, load_failed, evicted), each a visitor that may
	// see its own bucket for a while.
	Identities *prometheus.CounterVec
	ArmDrops   *prometheus.CounterVec
	// Views naming a decision, settled (views.go) by outcome: derived
	// (a record of the viewer's written), own, repeat, anonymous,
	// unmatched, withdrawn.
	Views *prometheus.CounterVec
}

// NewMetrics makes the counters; register [Metrics.Collectors] where they
// are scraped.
func NewMetrics() *Metrics {
	m := &Metrics{
		Accepted: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "mosaic_measurement_events_accepted_total",
			Help: "Client events accepted into the log, by type."}, []string{"type"}),
		Rejected: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "mosaic_measurement_events_rejected_total",
			Help: "Client events refused one by one, by code."}, []string{"code"}),
		Refused: prometheus.NewCounter(prometheus.CounterOpts{Name: "mosaic_measurement_batches_refused_total",
			Help: "Whole batches refused as malformed (400)."}),
		Unavailable: prometheus.NewCounter(prometheus.CounterOpts{Name: "mosaic_measurement_batches_unavailable_total",
			Help: "Batches answered 503 with Retry-After: the log was full or unreachable."}),
		WriteSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "mosaic_measurement_write_seconds",
			Help:    "Duration of one batch's write to PostgreSQL (rows and rollups, one transaction), by kind (events, decisions).",
			Buckets: prometheus.ExponentialBuckets(0.001, 4, 8)}, []string{"kind"}),
		WriteErrors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "mosaic_measurement_write_errors_total",
			Help: "Batch writes to PostgreSQL that failed and are retried, by kind (events, decisions)."}, []string{"kind"}),
		Deduplicated: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "mosaic_measurement_events_deduplicated_total",
			Help: "Events dropped as duplicates of an id already seen, by stage (log, store)."}, []string{"stage"}),
		Written: prometheus.NewCounter(prometheus.CounterOpts{Name: "mosaic_measurement_events_written_total",
			Help: "Events written to PostgreSQL."}),
		BatchSize: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "mosaic_measurement_write_batch_size",
			Help: "Events per batch written to PostgreSQL.", Buckets: prometheus.ExponentialBuckets(1, 4, 7)}),
		DecisionsLogged: prometheus.NewCounter(prometheus.CounterOpts{Name: "mosaic_measurement_decisions_logged_total",
			Help: "Decision records appended to the log."}),
		DecisionsDropped: prometheus.NewCounter(prometheus.CounterOpts{Name: "mosaic_measurement_decisions_dropped_total",
			Help: "Decision records dropped: the buffer was full or the log refused them."}),
		DecisionsWritten: prometheus.NewCounter(prometheus.CounterOpts{Name: "mosaic_measurement_decisions_written_total",
			Help: "Decision records written to PostgreSQL."}),
		DecisionBuffer: prometheus.NewGauge(prometheus.GaugeOpts{Name: "mosaic_measurement_decision_buffer",
			Help: "Decision records waiting in memory for the log."}),
		Identities: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "mosaic_measurement_identities_total",
			Help: "Stored identify events by outcome (created, linked, none, refused) and refusal code (BLOCKED_VALUE, USER_CONFLICT, TOO_MANY_VISITORS, UNMERGED)."},
			[]string{"outcome", "code"}),
		ArmDrops: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "mosaic_measurement_arm_cache_drops_total",
			Help: "Visitors whose pinned experiment arms the arm cache did not load or forgot, by reason (queue_full, load_failed, evicted)."},
			[]string{"reason"}),
		Views: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "mosaic_measurement_views_settled_total",
			Help: "Views naming a decision, settled by outcome: derived (a cached copy's view, written as the viewer's record), own (the record's visitor), repeat, anonymous, unmatched (no record within the wait), withdrawn."},
			[]string{"outcome"}),
	}
	for _, o := range ViewOutcomes() {
		m.Views.WithLabelValues(string(o))
	}
	for _, o := range []string{"created", "linked", "none"} {
		m.Identities.WithLabelValues(o, "")
	}
	for _, c := range []string{"BLOCKED_VALUE", "USER_CONFLICT", "TOO_MANY_VISITORS", "UNMERGED"} {
		m.Identities.WithLabelValues("refused", c)
	}
	for _, r := range []string{ArmDropQueueFull, ArmDropLoadFailed, ArmDropEvicted} {
		m.ArmDrops.WithLabelValues(r)
	}
	for _, t := range Types() {
		m.Accepted.WithLabelValues(string(t))
	}
	for _, c := range Codes() {
		m.Rejected.WithLabelValues(string(c))
	}
	for _, k := range []string{KindEvents, KindDecisions} {
		m.WriteErrors.WithLabelValues(k)
	}
	return m
}

// Collectors are the counters, to register.
func (m *Metrics) Collectors() []prometheus.Collector {
	return []prometheus.Collector{m.Accepted, m.Rejected, m.Refused, m.Unavailable, m.Deduplicated, m.Written, m.BatchSize,
		m.WriteSeconds, m.WriteErrors,
		m.DecisionsLogged, m.DecisionsDropped, m.DecisionsWritten, m.DecisionBuffer, m.Identities, m.ArmDrops, m.Views}
}

func (m *Metrics) accepted(events []Event) {
	if m == nil {
		return
	}
	for _, e := range events {
		m.Accepted.WithLabelValues(string(e.Type)).Inc()
	}
}

func (m *Metrics) rejected(rs []Rejection) {
	if m == nil {
		return
	}
	for _, r := range rs {
		m.Rejected.WithLabelValues(string(r.Code)).Inc()
	}
}

func (m *Metrics) batchRefused() {
	if m != nil {
		m.Refused.Inc()
	}
}

func (m *Metrics) unavailable() {
	if m != nil {
		m.Unavailable.Inc()
	}
}

// What a store write holds (the kind label).
const (
	KindEvents    = "events"
	KindDecisions = "decisions"
)

// WriteTook observes one batch write of kind that took d.
func (m *Metrics) WriteTook(kind string, d time.Duration) {
	if m != nil {
		m.WriteSeconds.WithLabelValues(kind).Observe(d.Seconds())
	}
}

// WriteFailed counts a failed batch write of kind (retried).
func (m *Metrics) WriteFailed(kind string) {
	if m != nil {
		m.WriteErrors.WithLabelValues(kind).Inc()
	}
}

func (m *Metrics) deduplicated(stage string, n int) {
	if m != nil && n > 0 {
		m.Deduplicated.WithLabelValues(stage).Add(float64(n))
	}
}

// Wrote counts a batch written to the store: n events given, written new.
func (m *Metrics) Wrote(n, written int) {
	if m == nil {
		return
	}
	m.Written.Add(float64(written))
	m.BatchSize.Observe(float64(n))
	m.deduplicated(StageStore, n-written)
}

func (m *Metrics) decisionsDropped(n int) {
	if m != nil {
		m.DecisionsDropped.Add(float64(n))
	}
}

func (m *Metrics) decisionsLogged(n int) {
	if m != nil {
		m.DecisionsLogged.Add(float64(n))
	}
}

func (m *Metrics) decisionBuffered(n int) {
	if m != nil {
		m.DecisionBuffer.Set(float64(n))
	}
}

// WroteDecisions counts decision records written to the store.
func (m *Metrics) WroteDecisions(written int) {
	if m != nil {
		m.DecisionsWritten.Add(float64(written))
	}
}

// Identified counts one stored identify: outcome created, linked, none or
// refused, with the refusal's code.
func (m *Metrics) Identified(outcome, code string) {
	if m != nil {
		m.Identities.WithLabelValues(outcome, code).Inc()
	}
}

// Why the arm cache dropped visitors (the reason label).
const (
	ArmDropQueueFull  = "queue_full"
	ArmDropLoadFailed = "load_failed"
	ArmDropEvicted    = "evicted"
)

func (m *Metrics) armDrops(reason string, n int) {
	if m != nil && n > 0 {
		m.ArmDrops.WithLabelValues(reason).Add(float64(n))
	}
}
