package recommend_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/measurement/recommend"
)

// clock is a settable now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// clusters maps visitor ids to people as identity clusters would: an
// identity mapping changed by link (what the store's IdentityUnits
// answers after an identify commits).
type clusters struct {
	mu sync.Mutex
	m  map[string]string
}

func (c *clusters) link(v, u string) { c.mu.Lock(); c.m[v] = u; c.mu.Unlock() }
func (c *clusters) UnitsOf(_ context.Context, ids []string) (map[string]string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[string]string{}
	for _, id := range ids {
		out[id] = id
		if u, ok := c.m[id]; ok {
			out[id] = u
		}
	}
	return out, nil
}
func (c *clusters) VisitorsOf(context.Context, []string) (map[string][]string, error) {
	return nil, nil
}

var t0 = time.Date(2026, 12, 6, 10, 20, 0, 0, time.UTC)

type setup struct {
	e     *recommend.Engine
	clock *clock
	units *clusters
	n     int
}

func newSetup(t *testing.T) *setup {
	s := &setup{clock: &clock{t: t0}, units: &clusters{m: map[string]string{}}}
	s.e = recommend.New(recommend.Config{Units: s.units, Now: s.clock.Now, Refresh: time.Nanosecond})
	return s
}

func (s *setup) view(visitor, entry string, at time.Time) measurement.Event {
	s.n++
	return measurement.Event{ID: fmt.Sprint("e", s.n), Type: measurement.TypeView, VisitorID: visitor, Entry: entry, Time: at, ReceivedAt: at}
}

func (s *setup) observe(t *testing.T, evs ...measurement.Event) {
	t.Helper()
	s.e.Observe(t.Context(), evs)
}

func entries(items []recommend.Item) []string {
	out := []string{}
	for _, it := range items {
		out = append(out, it.Entry)
	}
	return out
}

func TestPopularWindows(t *testing.T) {
	t.Parallel()
	s := newSetup(t)
	// scarf: 3 views now; mug: 5 views two days ago; hat: 1 view 3 hours ago.
	s.observe(t, s.view("a", "scarf", t0), s.view("b", "scarf", t0), s.view("c", "scarf", t0.Add(-time.Minute)))
	for i := range 5 {
		s.observe(t, s.view(fmt.Sprint("m", i), "mug", t0.Add(-48*time.Hour)))
	}
	s.observe(t, s.view("d", "hat", t0.Add(-3*time.Hour)))

	q := recommend.Query{Source: recommend.Popular, Window: time.Hour, Candidates: 5}
	require.Equal(t, []string{"scarf"}, entries(s.e.Recommend(q)), "1h: only this hour's views")
	q.Window = 24 * time.Hour
	got := s.e.Recommend(q)
	require.Equal(t, []string{"scarf", "hat"}, entries(got))
	require.Equal(t, uint64(3), got[0].Count)
	q.Window = 7 * 24 * time.Hour
	require.Equal(t, []string{"mug", "scarf", "hat"}, entries(s.e.Recommend(q)), "7d: the mug's older views count")

	// Time passes: the window slides, what left it no longer counts.
	s.clock.Set(t0.Add(25 * time.Hour))
	q.Window = 24 * time.Hour
	require.Empty(t, s.e.Recommend(q), "nothing in the last 24 h")
	s.clock.Set(t0.Add(6 * 24 * time.Hour))
	q.Window = 7 * 24 * time.Hour
	require.Equal(t, []string{"scarf", "hat"}, entries(s.e.Recommend(q)), "the mug's day left the 7d window")

	// Not a window: nothing (content validation refuses it first).
	require.False(t, recommend.ValidWindow(90*time.Minute))
	require.False(t, recommend.ValidWindow(31*24*time.Hour))
	require.True(t, recommend.ValidWindow(72*time.Hour))
}

func TestPopularByDimensionFromDecisionRecords(t *testing.T) {
	t.Parallel()
	s := newSetup(t)
	s.e.ObserveDecisions([]measurement.Decision{
		{VisitorID: "phone", Time: t0, Device: "mobile", Channel: "web", Segments: []string{"vip"}},
		{VisitorID: "desk", Time: t0, Device: "desktop", Channel: "web"},
	})
	s.observe(t, s.view("phone", "boots", t0), s.view("desk", "lamp", t0), s.view("desk", "lamp", t0), s.view("other", "mug", t0))
	q := recommend.Query{Source: recommend.Popular, Window: 24 * time.Hour, Candidates: 5}
	require.Equal(t, []string{"lamp", "boots", "mug"}, entries(s.e.Recommend(q)))
	q.Dim = "device:mobile"
	require.Equal(t, []string{"boots"}, entries(s.e.Recommend(q)))
	q.Dim = "segment:vip"
	require.Equal(t, []string{"boots"}, entries(s.e.Recommend(q)))
	q.Dim = "channel:web"
	require.Equal(t, []string{"lamp", "boots"}, entries(s.e.Recommend(q)), "mug's visitor has no record: everyone only")
	q.Dim = "device:tv"
	require.Empty(t, s.e.Recommend(q))
}

func TestAlsoViewedCountsPeopleOnce(t *testing.T) {
	t.Parallel()
	s := newSetup(t)
	// Three people view scarf and mug; one of them views both again and
	// again: still one person. One views scarf and hat.
	for _, v := range []string{"a", "b", "c"} {
		s.observe(t, s.view(v, "scarf", t0), s.view(v, "mug", t0.Add(time.Minute)))
	}
	s.observe(t, s.view("a", "scarf", t0.Add(2*time.Minute)), s.view("a", "mug", t0.Add(3*time.Minute)))
	s.observe(t, s.view("d", "hat", t0), s.view("d", "scarf", t0.Add(time.Minute)))

	q := recommend.Query{Source: recommend.AlsoViewed, Entry: "scarf", Candidates: 5}
	got := s.e.Recommend(q)
	require.Equal(t, []string{"mug", "hat"}, entries(got))
	require.Equal(t, uint64(3), got[0].Count, "people, not views")
	require.Equal(t, "alsoViewed: 3 people who viewed wool-scarf also viewed thermal-mug",
		recommend.Explain(q, got, func(id string) string {
			return map[string]string{"scarf": "wool-scarf", "mug": "thermal-mug"}[id]
		}))
	q.Entry = "mug"
	require.Equal(t, []string{"scarf"}, entries(s.e.Recommend(q)), "symmetric; never the entry itself")
	q.Entry = "unknown"
	require.Empty(t, s.e.Recommend(q))
}

func purchase(id, visitor string, entries ...string) measurement.Event {
	props, _ := json.Marshal(map[string]any{"entries": entries})
	return measurement.Event{ID: id, Type: measurement.TypeTrack, Name: recommend.PurchaseEvent, VisitorID: visitor,
		Properties: props, Time: t0, ReceivedAt: t0}
}

func TestExcludePurchased(t *testing.T) {
	t.Parallel()
	s := newSetup(t)
	s.observe(t, s.view("a", "scarf", t0), s.view("b", "scarf", t0), s.view("a", "mug", t0), s.view("c", "hat", t0))
	s.observe(t, purchase("p1", "a", "scarf"))

	q := recommend.Query{Source: recommend.Popular, Window: 24 * time.Hour, Candidates: 5, VisitorID: "a"}
	require.Equal(t, []string{"scarf", "hat", "mug"}, entries(s.e.Recommend(q)), "without the filter")
	q.ExcludePurchased = true
	require.Equal(t, []string{"hat", "mug"}, entries(s.e.Recommend(q)), "a bought the scarf")
	q.VisitorID = "b"
	require.Equal(t, []string{"scarf", "hat", "mug"}, entries(s.e.Recommend(q)), "b bought nothing")
	q.VisitorID = ""
	require.Equal(t, []string{"scarf", "hat", "mug"}, entries(s.e.Recommend(q)), "no one: nothing excluded")
}

func TestRecentlyViewedAcrossDevices(t *testing.T) {
	t.Parallel()
	s := newSetup(t)
	// The phone views two products before its sign-in, the tablet one.
	s.observe(t, s.view("phone", "scarf", t0), s.view("phone", "mug", t0.Add(time.Minute)))
	s.observe(t, s.view("tablet", "hat", t0.Add(2*time.Minute)))
	s.observe(t, s.view("stranger", "boots", t0))
	q := recommend.Query{Source: recommend.RecentlyViewed, VisitorID: "tablet", Candidates: 5}
	require.Equal(t, []string{"hat"}, entries(s.e.Recommend(q)))

	// Both sign in: the next batches (identify events) link them.
	s.units.link("phone", "ann")
	s.units.link("tablet", "ann")
	s.observe(t, measurement.Event{ID: "i1", Type: measurement.TypeIdentify, VisitorID: "phone", UserID: "ann", Time: t0},
		measurement.Event{ID: "i2", Type: measurement.TypeIdentify, VisitorID: "tablet", UserID: "ann", Time: t0})
	require.Equal(t, []string{"hat", "mug", "scarf"}, entries(s.e.Recommend(q)), "the phone's views on the tablet")
	q.VisitorID = "phone"
	require.Equal(t, []string{"hat", "mug", "scarf"}, entries(s.e.Recommend(q)))
	q.Entry = "mug"
	require.Equal(t, []string{"hat", "scarf"}, entries(s.e.Recommend(q)), "never the current entry")

	// Must not happen: a stranger sees ann's history, or ann the stranger's.
	q = recommend.Query{Source: recommend.RecentlyViewed, VisitorID: "stranger", Candidates: 5}
	require.Equal(t, []string{"boots"}, entries(s.e.Recommend(q)))
	q.VisitorID = ""
	require.Empty(t, s.e.Recommend(q), "no visitor: no history")

	// A withdrawal forgets the person.
	s.observe(t, measurement.Event{ID: "c1", Type: measurement.TypeConsent, VisitorID: "tablet",
		Withdrawn: []measurement.Purpose{measurement.PurposePersonalization}, Time: t0})
	q.VisitorID = "phone"
	require.Empty(t, s.e.Recommend(q))
}

func TestRecentlyViewedKeepsTheLastDistinct(t *testing.T) {
	t.Parallel()
	s := &setup{clock: &clock{t: t0}}
	s.e = recommend.New(recommend.Config{MaxRecent: 3, Now: s.clock.Now})
	for i, x := range []string{"a", "b", "a", "c", "d"} {
		s.observe(t, s.view("v", x, t0.Add(time.Duration(i)*time.Minute)))
	}
	// A late event (client clock) goes where its time says.
	s.observe(t, s.view("v", "e", t0.Add(-time.Hour)))
	q := recommend.Query{Source: recommend.RecentlyViewed, VisitorID: "v", Candidates: 10}
	require.Equal(t, []string{"d", "c", "a"}, entries(s.e.Recommend(q)))
}

// history is a stored past for Rebuild.
type history struct {
	events    []measurement.Event
	decisions []measurement.Decision
	during    func() // runs while the events are read
}

func (h history) RecommendEvents(_ context.Context, _ time.Time, _ int, fn func([]measurement.Event) error) error {
	if h.during != nil {
		h.during()
	}
	return fn(h.events)
}
func (h history) RecommendContexts(_ context.Context, _ time.Time, fn func([]measurement.Decision) error) error {
	return fn(h.decisions)
}

func TestRebuildThenLiveCountsOnce(t *testing.T) {
	t.Parallel()
	s := newSetup(t)
	stored := []measurement.Event{s.view("a", "scarf", t0), s.view("b", "scarf", t0)}
	overlap := stored[1] // committed before the rebuild read it, observed while it ran
	live := s.view("c", "mug", t0)
	h := history{events: stored, decisions: []measurement.Decision{{VisitorID: "a", Time: t0, Device: "mobile"}},
		during: func() { s.observe(t, overlap, live) }}
	require.NoError(t, s.e.Rebuild(t.Context(), h))
	got := s.e.Recommend(recommend.Query{Source: recommend.Popular, Window: time.Hour, Candidates: 5})
	require.Equal(t, []string{"scarf", "mug"}, entries(got))
	require.Equal(t, uint64(2), got[0].Count, "the overlapping event counts once")
	got = s.e.Recommend(recommend.Query{Source: recommend.Popular, Dim: "device:mobile", Window: time.Hour, Candidates: 5})
	require.Equal(t, []string{"scarf"}, entries(got), "contexts come back too")
}

// An entry keeps its most co-viewed neighbours, also when every count is
// the same (all pairs seen once).
func TestAlsoViewedNeighboursBounded(t *testing.T) {
	t.Parallel()
	e := recommend.New(recommend.Config{MaxNeighbors: 3, MaxRecent: 50})
	var evs []measurement.Event
	for i := range 20 {
		evs = append(evs, measurement.Event{ID: fmt.Sprint("e", i), Type: measurement.TypeView, VisitorID: "v",
			Entry: fmt.Sprintf("p%02d", i), Time: t0.Add(time.Duration(i) * time.Second)})
	}
	e.Observe(t.Context(), evs)
	got := e.Recommend(recommend.Query{Source: recommend.AlsoViewed, Entry: "p00", Candidates: 50})
	require.LessOrEqual(t, len(got), 6, "at most twice MaxNeighbors between prunes")
	require.NotEmpty(t, got)
}
