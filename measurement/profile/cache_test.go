package profile_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/measurement/profile"
)

// memStore is a store in memory: the cache's logic is the subject here;
// storage/postgres's ProfileData is exercised end to end (server tests).
type memStore struct {
	mu    sync.Mutex
	data  map[string]profile.Data
	loads int
}

func (s *memStore) ProfileData(_ context.Context, ids []string, since time.Time, limit int) (map[string]profile.Data, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.loads++
	out := map[string]profile.Data{}
	for _, id := range ids {
		if d, ok := s.data[id]; ok {
			out[id] = d
		}
	}
	return out, nil
}

func (s *memStore) set(id string, d profile.Data) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.data[id] = d
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

var t0 = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

func track(id, visitor, name string, at time.Time) measurement.Event {
	return measurement.Event{ID: id, Type: measurement.TypeTrack, VisitorID: visitor, Name: name, Time: at,
		Properties: []byte(`{"category":"shoes","qty":2}`)}
}

func loaded(t *testing.T, c *profile.Cache, visitor string) *profile.Profile {
	t.Helper()
	var p *profile.Profile
	require.Eventually(t, func() bool { p = c.Get(visitor); return p != nil }, 10*time.Second, time.Millisecond,
		"%s is loaded in the background", visitor)
	return p
}

func TestCacheLoadsInTheBackground(t *testing.T) {
	t.Parallel()
	clk := &clock{t: t0}
	store := &memStore{data: map[string]profile.Data{
		"phone": {ClusterID: "c1", Members: []string{"phone", "tablet"},
			Events: []measurement.Event{track("e1", "phone", "product_view", t0.Add(-time.Hour)), track("e2", "tablet", "product_view", t0.Add(-2*time.Hour))},
			Devices: []measurement.Device{{VisitorID: "phone", Device: "mobile", Channel: "web", LastSeen: t0.Add(-time.Minute)},
				{VisitorID: "tablet", Device: "tablet", Channel: "app", LastSeen: t0.Add(-3 * time.Hour)}}},
	}}
	c := profile.NewCache(profile.Config{Store: store, Now: clk.now, TTL: time.Minute})
	t.Cleanup(c.Close)

	require.Nil(t, c.Get("phone"), "not loaded yet: nil, an empty history, never an error or a wait")
	p := loaded(t, c, "phone")
	require.True(t, p.Known)
	require.Equal(t, 2, p.Visitors)
	require.Equal(t, 2, p.Count("product_view", t0, 24*time.Hour))
	require.Equal(t, []string{"mobile", "tablet"}, p.Devices)
	require.Equal(t, []string{"web", "app"}, p.Channels)
	require.Equal(t, t0.Add(-3*time.Hour), p.FirstSeen)
	require.Equal(t, p.Stamp, c.Stamp("phone"))
	require.NotZero(t, p.Stamp)

	// A visitor the store knows nothing of is a known, empty profile.
	nobody := loaded(t, c, "nobody")
	require.True(t, nobody.Known)
	require.Zero(t, nobody.Count("product_view", t0, 24*time.Hour))
	require.Zero(t, c.Stamp("never-asked"), "Stamp queues nothing")

	// Within the TTL nothing is loaded again.
	loads := store.loads
	for range 10 {
		c.Get("phone")
	}
	store.mu.Lock()
	require.Equal(t, loads, store.loads)
	store.mu.Unlock()

	// Past it, the old profile is answered while the new one loads.
	store.set("phone", profile.Data{ClusterID: "c1", Members: []string{"phone"}})
	clk.add(time.Minute)
	require.Same(t, p, c.Get("phone"), "the old profile is answered during the reload")
	require.Eventually(t, func() bool { return c.Get("phone").Count("product_view", t0, 24*time.Hour) == 0 },
		10*time.Second, time.Millisecond, "reloaded after the TTL")
}

// Events this replica accepted reach the cached profile of their whole
// cluster at once, and a profile loaded before the consumer stored them
// still gets them; an event already stored is not counted twice.
func TestCacheObserve(t *testing.T) {
	t.Parallel()
	clk := &clock{t: t0}
	store := &memStore{data: map[string]profile.Data{
		"phone":  {ClusterID: "c1", Members: []string{"phone", "tablet"}},
		"tablet": {ClusterID: "c1", Members: []string{"phone", "tablet"}},
	}}
	c := profile.NewCache(profile.Config{Store: store, Now: clk.now, TTL: time.Minute})
	t.Cleanup(c.Close)
	c.Get("phone")
	before := loaded(t, c, "phone")

	c.Observe([]measurement.Event{track("e1", "phone", "cart_add", t0),
		{ID: "i1", Type: measurement.TypeIdentify, VisitorID: "phone", UserID: "u"}})
	after := c.Get("phone")
	require.Equal(t, 1, after.Count("cart_add", t0, time.Hour))
	require.Zero(t, before.Count("cart_add", t0, time.Hour), "profiles are immutable: the cache swaps them")
	require.NotEqual(t, before.Stamp, after.Stamp)
	last, ok := after.Last("cart_add", t0)
	require.True(t, ok)
	require.Equal(t, map[string]any{"category": "shoes", "qty": int64(2)}, last.Properties)

	// The tablet, loaded later, finds the phone's event though the store
	// does not have it yet; once the store has it, it counts once.
	c.Get("tablet")
	require.Equal(t, 1, loaded(t, c, "tablet").Count("cart_add", t0, time.Hour))
	store.set("tablet", profile.Data{ClusterID: "c1", Members: []string{"phone", "tablet"},
		Events: []measurement.Event{track("e1", "phone", "cart_add", t0)}})
	clk.add(time.Minute)
	old := c.Stamp("tablet")
	c.Get("tablet")
	require.Eventually(t, func() bool { return c.Stamp("tablet") != old }, 10*time.Second, time.Millisecond)
	require.Equal(t, 1, c.Get("tablet").Count("cart_add", t0.Add(time.Minute), time.Hour))

	// A visitor not in the cache: nothing to update, kept for its load.
	c.Observe([]measurement.Event{track("e2", "laptop", "cart_add", t0)})
	c.Get("laptop")
	require.Equal(t, 1, loaded(t, c, "laptop").Count("cart_add", t0.Add(time.Minute), time.Hour))
}

// The cache keeps at most MaxEntries visitor ids.
func TestCacheBound(t *testing.T) {
	t.Parallel()
	store := &memStore{data: map[string]profile.Data{}}
	c := profile.NewCache(profile.Config{Store: store, TTL: time.Hour, MaxEntries: 3})
	t.Cleanup(c.Close)
	for _, v := range []string{"a", "b", "c", "d"} {
		c.Get(v)
		loaded(t, c, v)
	}
	known := 0
	for _, v := range []string{"a", "b", "c", "d"} {
		if c.Stamp(v) != 0 {
			known++
		}
	}
	require.LessOrEqual(t, known, 3)
	require.NotZero(t, c.Stamp("d"), "the latest load is kept")
}
