package recommend_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/measurement/recommend"
)

// loaded is an engine holding a catalogue of products viewed by visitors
// with decision records (3 devices, 2 channels, 4 segments), as memory
// per 100,000 products is measured (bench/RESULTS.md, issue 19).
func loaded(b *testing.B, products, visitors, views int) (*recommend.Engine, uint64) {
	b.Helper()
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	e := recommend.New(recommend.Config{Now: func() time.Time { return t0 }, Refresh: time.Nanosecond})
	rng := rand.New(rand.NewPCG(1, 2))
	devices, channels, segments := []string{"mobile", "desktop", "tablet"}, []string{"web", "app"}, []string{"vip", "new", "returning", "big-spender"}
	var ds []measurement.Decision
	for v := range visitors {
		ds = append(ds, measurement.Decision{VisitorID: fmt.Sprint("v", v), Time: t0.Add(-time.Hour), Device: devices[v%3],
			Channel: channels[v%2], Segments: []string{segments[v%4]}})
	}
	e.ObserveDecisions(ds)
	// Views skewed towards popular products (Zipf), spread over 30 days.
	zipf := rand.NewZipf(rand.New(rand.NewPCG(3, 4)), 1.1, 10, uint64(products-1))
	batch := make([]measurement.Event, 0, 1000)
	for i := range views {
		at := t0.Add(-time.Duration(rng.IntN(30*24*60)) * time.Minute)
		batch = append(batch, measurement.Event{ID: fmt.Sprint("e", i), Type: measurement.TypeView,
			VisitorID: fmt.Sprint("v", rng.IntN(visitors)), Entry: fmt.Sprintf("product-%06d", zipf.Uint64()), Time: at})
		if len(batch) == cap(batch) {
			e.Observe(context.Background(), batch)
			batch = batch[:0]
		}
	}
	e.Observe(context.Background(), batch)
	var after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&after)
	return e, after.HeapAlloc - before.HeapAlloc
}

// BenchmarkRecommend: memory per 100,000 products (the engine after 1M
// views of a 100,000-product catalogue by 200,000 visitors) and the cost
// of each source's answer; popular recomputes its ranking every call
// here (Refresh 1 ns), a worst case: the server recomputes at most once a
// second per audience and window.
func BenchmarkRecommend(b *testing.B) {
	const products, visitors, views = 100_000, 200_000, 1_000_000
	e, heap := loaded(b, products, visitors, views)
	for _, tc := range []struct {
		name string
		q    recommend.Query
	}{
		{"popular-7d-everyone", recommend.Query{Source: recommend.Popular, Window: 7 * 24 * time.Hour, Candidates: 10}},
		{"popular-24h-device", recommend.Query{Source: recommend.Popular, Dim: "device:mobile", Window: 24 * time.Hour, Candidates: 10}},
		{"alsoViewed", recommend.Query{Source: recommend.AlsoViewed, Entry: "product-000010", Candidates: 10}},
		{"recentlyViewed", recommend.Query{Source: recommend.RecentlyViewed, VisitorID: "v7", ExcludePurchased: true, Candidates: 10}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				if len(e.Recommend(tc.q)) == 0 {
					b.Fatal("no recommendations")
				}
			}
			b.ReportMetric(float64(heap)/(1<<20), "MiB-total")
			st := e.Stats()
			b.ReportMetric(float64(st.Counters), "counters")
			b.ReportMetric(float64(st.Pairs), "pairs")
			b.ReportMetric(float64(st.People), "people")
		})
	}
}

// BenchmarkObserve is the consumer's cost per view (a 1,000-event batch
// per op, people resolved by the default units).
func BenchmarkObserve(b *testing.B) {
	e := recommend.New(recommend.Config{})
	rng := rand.New(rand.NewPCG(1, 2))
	batch := make([]measurement.Event, 1000)
	n := 0
	for b.Loop() {
		for i := range batch {
			n++
			batch[i] = measurement.Event{ID: fmt.Sprint("e", n), Type: measurement.TypeView, VisitorID: fmt.Sprint("v", rng.IntN(100_000)),
				Entry: fmt.Sprintf("product-%06d", rng.IntN(100_000)), Time: time.Now()}
		}
		e.Observe(context.Background(), batch)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(batch)), "ns/view")
}
