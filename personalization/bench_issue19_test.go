package personalization_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	p "github.com/mosaichq/mosaic/personalization"
)

// BenchmarkDecidePageIssue19 is the page issue 19 states its target on:
// 20 blocks × 5 variants, 10 segment rules of which 3 behavioural over a
// warm 1,000-event profile, and 2 caps (the winter campaign's, 3 a week in
// Bucharest, and every block's "loc" variant's, 5 in a rolling 168h)
// counted by a warm counter. Segments are evaluated in every iteration, as
// in a request (BenchmarkDecidePage20x5 is the same without behaviour or
// caps, for the baseline in the same run).
func BenchmarkDecidePageIssue19(b *testing.B) {
	_, c, blocks := benchPage(b, true)
	_, capped, _ := cappedBenchPage(b) // its warm counter, for the same visitor
	engine := issue19Engine(b)
	for i := range blocks {
		blocks[i].Variants[2].Cap = &p.Cap{Max: 5, Per: "168h"}
	}
	c.Caps = capped.Caps
	ds := engine.DecidePage(c, blocks)
	read := 0
	for _, d := range ds {
		if d.CapsRead {
			read++
		}
	}
	require.NotZero(b, read, "caps were checked")
	require.Subset(b, engine.Visitor(context.Background(), c).Segments(), []string{"s7", "s8", "s9"}, "the behavioural rules match")
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		engine.DecidePage(c, blocks)
	}
}

// issue19Engine is benchPage's engine with behavioural rules and the
// winter campaign capped.
func issue19Engine(b *testing.B) *p.Engine {
	b.Helper()
	e, err := p.NewEngine(p.Options{
		Segments: benchSegments(b, true),
		Campaigns: []p.Campaign{
			{Key: "winter", Priority: 10, StartsAt: t0, EndsAt: t1, Cap: &p.Cap{Max: 3, Per: p.PerWeek, TimeZone: "Europe/Bucharest"}},
			{Key: "spring", Priority: 20, StartsAt: t1, EndsAt: t1.Add(time.Hour)},
		},
		Experiments: []p.Experiment{{Key: "cta", Arms: []p.Arm{{"a", 1}, {"b", 1}}, Holdout: 0.1}},
	})
	require.NoError(b, err)
	return e
}
