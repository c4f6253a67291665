package report

import (
	"testing"
	"time"
)

// BenchmarkFunnelWalk: the walk alone over 2.3 M events of 900,000
// people (the 5 M-event bench's matching rows), as the store hands them
// over sorted: what the funnel costs in this process besides reading.
func BenchmarkFunnelWalk(b *testing.B) {
	const people = 900_000
	events := make([]FunnelEvent, 0, 2_300_000)
	for p := range people {
		at := t0.Add(time.Duration(p) * time.Second)
		steps := 1 + p%4
		if p%3 == 0 {
			steps = 2
		}
		for k := range steps {
			events = append(events, FunnelEvent{Unit: uint64(p + 1), Visitor: uint64(p + 1), Time: at.Add(time.Duration(k) * time.Minute), Match: 1 << k})
		}
	}
	steps, _ := parseSteps([]string{"a", "b", "c", "d"})
	b.ResetTimer()
	for b.Loop() {
		w := newFunnelWalk(steps, 24*time.Hour, t0, t0.Add(31*24*time.Hour), Breakdown{})
		for _, e := range events {
			_ = w.add(e)
		}
		w.flush()
		w.result()
	}
	b.ReportMetric(float64(len(events)), "events")
}
