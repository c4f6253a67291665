package personalization_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/measurement/capcount"
	p "github.com/mosaichq/mosaic/personalization"
)

// historyStore answers a capcount load with a fixed history (from the
// ask's Since on): the bench measures deciding from a warm counter, never
// the store.
type historyStore struct{ records []measurement.Decision }

func (s historyStore) CapRecords(_ context.Context, asks []capcount.Ask, _ int) (map[string]capcount.Person, error) {
	out := map[string]capcount.Person{}
	for _, a := range asks {
		var rs []measurement.Decision
		for _, d := range s.records {
			if !d.Time.Before(a.Since) {
				rs = append(rs, d)
			}
		}
		out[a.VisitorID] = capcount.Person{Members: 1, Records: rs}
	}
	return out, nil
}

// cappedBenchPage is benchPage with two caps that apply to the visitor:
// the winter campaign (3 a week in Bucharest) and every block's "loc"
// variant (5 in a rolling 168h), counted by a warm capcount.Counter that
// holds 40 past exposures, below both caps, so every capped variant is
// checked and still shown.
func cappedBenchPage(b *testing.B) (*p.Engine, p.Context, []p.Block) {
	b.Helper()
	_, c, blocks := benchPage(b)
	set, err := p.CompileSegments([]p.Segment{{Key: "s0", Rule: `traits.visits > 3`}}, nil)
	require.NoError(b, err)
	engine, err := p.NewEngine(p.Options{
		Segments: set,
		Campaigns: []p.Campaign{
			{Key: "winter", Priority: 10, StartsAt: t0, EndsAt: t1, Cap: &p.Cap{Max: 3, Per: p.PerWeek, TimeZone: "Europe/Bucharest"}},
			{Key: "spring", Priority: 20, StartsAt: t1, EndsAt: t1.Add(time.Hour)},
		},
		Experiments: []p.Experiment{{Key: "cta", Arms: []p.Arm{{"a", 1}, {"b", 1}}, Holdout: 0.1}},
	})
	require.NoError(b, err)
	for i := range blocks {
		blocks[i].Variants[2].Cap = &p.Cap{Max: 5, Per: "168h"}
	}
	var history []measurement.Decision
	for i := range 40 {
		history = append(history, measurement.Decision{ID: fmt.Sprintf("d%d", i), Time: c.At.Add(-time.Duration(i) * 24 * time.Hour),
			Channel: "web", Blocks: []measurement.BlockDecision{{BlockID: fmt.Sprintf("block-%d", i%20), Variant: "loc"}}})
	}
	counter := capcount.New(capcount.Config{Store: historyStore{history}})
	b.Cleanup(counter.Close)
	c.Caps = counter.For(c.VisitorID)
	deadline := time.Now().Add(10 * time.Second)
	for c.Caps.CapCount(p.CapTarget{Scope: p.ScopeCampaign, Key: "winter"}, time.Time{}, "").Unloaded {
		require.True(b, time.Now().Before(deadline), "the counter never loaded")
		time.Sleep(time.Millisecond) // setup only: wait for the background load
	}
	return engine, c, blocks
}

// BenchmarkDecidePageCaps is BenchmarkDecidePage20x5Prepared with two caps
// checked on every block (a campaign cap and a rolling variant cap) from a
// warm in-memory counter; BenchmarkDecidePageNoCaps is the same engine and
// page without caps, so the difference is the caps' cost.
func BenchmarkDecidePageCaps(b *testing.B) {
	engine, c, blocks := cappedBenchPage(b)
	v := engine.Visitor(context.Background(), c)
	ds := v.DecidePage(blocks)
	read := 0
	for _, d := range ds {
		require.Empty(b, d.Suppressed)
		if d.CapsRead {
			read++
		}
	}
	require.NotZero(b, read, "caps were checked")
	b.ReportAllocs()
	for b.Loop() {
		v.DecidePage(blocks)
	}
}

func BenchmarkDecidePageNoCaps(b *testing.B) {
	_, c, blocks := cappedBenchPage(b)
	for i := range blocks {
		blocks[i].Variants[2].Cap = nil
	}
	c.Caps = nil
	engine, err := p.NewEngine(p.Options{Segments: nil,
		Campaigns: []p.Campaign{
			{Key: "winter", Priority: 10, StartsAt: t0, EndsAt: t1},
			{Key: "spring", Priority: 20, StartsAt: t1, EndsAt: t1.Add(time.Hour)},
		},
		Experiments: []p.Experiment{{Key: "cta", Arms: []p.Arm{{"a", 1}, {"b", 1}}, Holdout: 0.1}},
	})
	require.NoError(b, err)
	v := engine.Visitor(context.Background(), c)
	b.ReportAllocs()
	for b.Loop() {
		v.DecidePage(blocks)
	}
}
