package postgres_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/mosaichq/mosaic/internal/testdb"
	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// BenchmarkWriteEvents: one consumer batch of 1,000 events per op, as
// the log's consumer writes it. exposed: conversions of 5,000 visitors
// exposed to an experiment (rollups do all their work); plain: track
// events of visitors never exposed (rollups look and find nothing).
func BenchmarkWriteEvents(b *testing.B) {
	for _, exposed := range []bool{false, true} {
		b.Run(fmt.Sprint("exposed=", exposed), func(b *testing.B) {
			pool, _ := testdb.Schema(b)
			s := postgres.NewMeasurementStore(pool)
			ctx := b.Context()
			now := time.Now().UTC().Add(-time.Hour)
			if exposed {
				ds := make([]measurement.Decision, 5000)
				for i := range ds {
					ds[i] = exposure(fmt.Sprint("d", i), fmt.Sprint("v", i), 0, []string{"a", "b"}[i%2])
					ds[i].Time = now
				}
				if _, err := s.WriteDecisions(ctx, ds); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			for n := range b.N {
				events := make([]measurement.Event, 1000)
				for i := range events {
					at := now.Add(time.Duration(n*1000+i) * time.Millisecond)
					v := float64(i % 40)
					events[i] = measurement.Event{ID: fmt.Sprint(n, "-", i), VisitorID: fmt.Sprint("v", (n*1000+i)%5000),
						Time: at, ReceivedAt: at, Type: measurement.TypeTrack, Name: "scroll"}
					if exposed {
						events[i].Type, events[i].Name, events[i].Goal, events[i].Value = measurement.TypeConversion, "", "purchase", &v
					}
				}
				if _, err := s.WriteEvents(ctx, events); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
