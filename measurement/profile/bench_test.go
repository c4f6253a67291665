package profile_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/mosaichq/mosaic/measurement/profile"
)

// BenchmarkCacheGetHit is what a delivery pays for a visitor seen
// recently: a map lookup under the cache's lock, no database round trip.
func BenchmarkCacheGetHit(b *testing.B) {
	store := &memStore{data: map[string]profile.Data{}}
	c := profile.NewCache(profile.Config{Store: store, TTL: time.Hour})
	b.Cleanup(c.Close)
	ids := make([]string, 10_000)
	for i := range ids {
		ids[i] = fmt.Sprint("visitor-", i)
		c.Get(ids[i])
	}
	for _, id := range ids {
		for c.Get(id) == nil {
			time.Sleep(time.Millisecond) // a benchmark's warm-up, not a test
		}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if c.Get(ids[i%len(ids)]) == nil {
			b.Fatal("miss")
		}
		i++
	}
}

// BenchmarkWith is what Observe does per event accepted for a cached
// person whose profile is full (MaxEvents over six names): the list of
// that name is copied, the rest shared.
func BenchmarkWith(b *testing.B) {
	names := []string{"product_view", "cart_add", "purchase", "search", "view", "signup"}
	events := make([]profile.Event, profile.MaxEvents)
	for i := range events {
		events[i] = profile.Event{ID: fmt.Sprint(i), Name: names[i%len(names)], Time: t0.Add(-time.Duration(i) * time.Hour),
			Properties: map[string]any{"sku": "s1"}}
	}
	p := profile.New(profile.Facts{Visitors: 1}, events)
	e := profile.Event{ID: "new", Name: "cart_add", Time: t0, Properties: map[string]any{"category": "shoes"}}
	b.ReportAllocs()
	for b.Loop() {
		p.With(e)
	}
}
