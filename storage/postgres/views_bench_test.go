package postgres_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/mosaichq/mosaic/internal/testdb"
	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// BenchmarkViewsOfCachedCopies: per op, one batch of 1,000 view events of
// cached copies (50 computed answers of 9 blocks, one in an experiment,
// each viewed by 20 other visitors) written as the log's consumer writes
// them, then settled by the sweep into 1,000 derived records — the work
// a storefront's views cost PostgreSQL and the consumer in place of a
// record per serve. views/s counts the views settled into records.
func BenchmarkViewsOfCachedCopies(b *testing.B) {
	pool, _ := testdb.Schema(b)
	s := postgres.NewMeasurementStore(pool)
	ctx := b.Context()
	blocks := []measurement.BlockDecision{{BlockID: "e1", Variant: "default", Reason: measurement.ReasonDefault}}
	for i := range 8 {
		blocks = append(blocks, measurement.BlockDecision{BlockID: fmt.Sprint("b", i), Variant: "mobile", Reason: measurement.ReasonContext})
	}
	blocks[4] = measurement.BlockDecision{BlockID: "b3", Variant: "a", Experiment: "exp", Arm: "a", Reason: measurement.ReasonExperiment}
	b.ResetTimer()
	for n := range b.N {
		b.StopTimer()
		ds := make([]measurement.Decision, 50)
		for i := range ds {
			ds[i] = measurement.Decision{ID: uuid.Must(uuid.NewV7()).String(), Time: time.Now().UTC(), VisitorID: fmt.Sprint("c", n, "-", i),
				Channel: "web", Device: "mobile", Consent: true, Purposes: measurement.Purposes(), EntryID: "e1", EntrySlug: "home",
				EntryVersion: 1, Blocks: blocks}
		}
		if _, err := s.WriteDecisions(ctx, ds); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		events := make([]measurement.Event, 1000)
		now := time.Now().UTC()
		for i := range events {
			events[i] = measurement.Event{ID: fmt.Sprint(n, "-", i), Type: measurement.TypeView, VisitorID: fmt.Sprint("v", n, "-", i),
				Time: now, ReceivedAt: now, DecisionID: ds[i%len(ds)].ID, BlockID: "b3"}
		}
		if _, err := s.WriteEvents(ctx, events); err != nil {
			b.Fatal(err)
		}
		out, err := s.SweepViews(ctx, 1000, measurement.ViewWait)
		if err != nil {
			b.Fatal(err)
		}
		if out[measurement.ViewDerived] != len(events) {
			b.Fatalf("settled %v, want %d derived", out, len(events))
		}
	}
	b.ReportMetric(float64(b.N*1000)/b.Elapsed().Seconds(), "views/s")
}

// BenchmarkViewsBaseline is BenchmarkViewsOfCachedCopies' events batch as
// track events: what the same 1,000 events cost without views to settle.
func BenchmarkViewsBaseline(b *testing.B) {
	pool, _ := testdb.Schema(b)
	s := postgres.NewMeasurementStore(pool)
	ctx := b.Context()
	for n := range b.N {
		events := make([]measurement.Event, 1000)
		now := time.Now().UTC()
		for i := range events {
			events[i] = measurement.Event{ID: fmt.Sprint(n, "-", i), Type: measurement.TypeTrack, VisitorID: fmt.Sprint("v", n, "-", i),
				Time: now, ReceivedAt: now, Name: "scroll"}
		}
		if _, err := s.WriteEvents(ctx, events); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*1000)/b.Elapsed().Seconds(), "events/s")
}
