package capcount

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/mosaichq/mosaic/personalization"
)

// Metrics are the caps' Prometheus counters; a nil *Metrics counts
// nothing. Labels are bounded: scope (variant, campaign, experiment),
// state (reached, pending), channel (the registry's tokens, or none).
type Metrics struct {
	// Suppressed counts capped variants that would have been shown: the
	// reach lost to caps.
	Suppressed *prometheus.CounterVec
	// Loads counts people loaded from the store, by outcome (ok, failed,
	// dropped: the queue was full; evicted: memory was cleared).
	Loads *prometheus.CounterVec
}

// NewMetrics makes the counters.
func NewMetrics() *Metrics {
	return &Metrics{
		Suppressed: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "mosaic_personalization_cap_suppressed_total",
			Help: "Variants skipped for a frequency cap that would have been shown, by cap scope, state (reached, or pending: waiting for this replica's last exposure to be counted) and channel."},
			[]string{"scope", "state", "channel"}),
		Loads: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "mosaic_personalization_cap_loads_total",
			Help: "People whose cap counts were loaded from decision records, by outcome."}, []string{"outcome"}),
	}
}

// Collectors are what to register.
func (m *Metrics) Collectors() []prometheus.Collector {
	return []prometheus.Collector{m.Suppressed, m.Loads}
}

// Suppressed counts one decision's suppressions on channel.
func (m *Metrics) suppressed(channel string, ss []personalization.Suppression) {
	if m == nil {
		return
	}
	if channel == "" {
		channel = "none"
	}
	for _, s := range ss {
		state := "reached"
		if s.Pending {
			state = "pending"
		}
		m.Suppressed.WithLabelValues(s.Scope.String(), state, channel).Inc()
	}
}

func (m *Metrics) loaded(n int) {
	if m != nil {
		m.Loads.WithLabelValues("ok").Add(float64(n))
	}
}

func (m *Metrics) loadFailed(n int) {
	if m != nil {
		m.Loads.WithLabelValues("failed").Add(float64(n))
	}
}

func (m *Metrics) loadDropped() {
	if m != nil {
		m.Loads.WithLabelValues("dropped").Inc()
	}
}

func (m *Metrics) evicted() {
	if m != nil {
		m.Loads.WithLabelValues("evicted").Inc()
	}
}
