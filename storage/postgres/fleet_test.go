package postgres_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/fleet"
	"github.com/mosaichq/mosaic/internal/testdb"
	"github.com/mosaichq/mosaic/storage/postgres"
)

var fleetT0 = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

func setupFleet(t *testing.T) *postgres.FleetStore {
	t.Helper()
	pool, _ := testdb.Schema(t)
	return postgres.New(pool).Fleet()
}

func beat(id, screen string) fleet.Heartbeat {
	off := -12.5
	return fleet.Heartbeat{ScreenID: id, Screen: screen, Channel: "kiosk", Device: "kiosk", Locale: "en",
		BundleVersion: "42-0a1b", Frame: "f0", ClockOffsetMs: &off, Client: "mosaic-kiosk/1", Address: "192.0.2.7"}
}

func allUnits(t *testing.T, s *postgres.FleetStore) []fleet.Unit {
	t.Helper()
	units, err := s.Screens(t.Context(), fleet.Query{Limit: 1000})
	require.NoError(t, err)
	return units
}

func TestFleetRecordKeepsFirstSeen(t *testing.T) {
	t.Parallel()
	s := setupFleet(t)
	ctx := t.Context()
	require.NoError(t, s.Record(ctx, beat("lobby-1", "lobby"), fleetT0, fleet.NewUnit{Max: 10}))
	units := allUnits(t, s)
	require.Len(t, units, 1)
	require.Equal(t, fleet.Unit{Heartbeat: beat("lobby-1", "lobby"), FirstSeenAt: fleetT0, LastSeenAt: fleetT0}, normalise(units[0]))

	// A later heartbeat replaces every reported field, absent ones included.
	later := fleetT0.Add(30 * time.Second)
	require.NoError(t, s.Record(ctx, fleet.Heartbeat{ScreenID: "lobby-1", Screen: "hall", Frame: "f1"}, later, fleet.NewUnit{Max: 10}))
	units = allUnits(t, s)
	require.Len(t, units, 1)
	require.Equal(t, fleet.Unit{Heartbeat: fleet.Heartbeat{ScreenID: "lobby-1", Screen: "hall", Frame: "f1"},
		FirstSeenAt: fleetT0, LastSeenAt: later}, normalise(units[0]), "first seen kept, the rest replaced")
}

// normalise puts times in UTC for comparison.
func normalise(u fleet.Unit) fleet.Unit {
	u.FirstSeenAt, u.LastSeenAt = u.FirstSeenAt.UTC(), u.LastSeenAt.UTC()
	return u
}

func TestFleetRecordBound(t *testing.T) {
	t.Parallel()
	s := setupFleet(t)
	ctx := t.Context()
	require.NoError(t, s.Record(ctx, beat("a", "lobby"), fleetT0, fleet.NewUnit{Max: 2}))
	require.NoError(t, s.Record(ctx, beat("b", "lobby"), fleetT0, fleet.NewUnit{Max: 2}))
	err := s.Record(ctx, beat("c", "lobby"), fleetT0, fleet.NewUnit{Max: 2})
	require.ErrorIs(t, err, fleet.ErrFull)
	require.Equal(t, errs.RateLimited, errs.CodeOf(err))
	later := fleetT0.Add(time.Minute)
	require.NoError(t, s.Record(ctx, beat("a", "lobby"), later, fleet.NewUnit{Max: 2}), "a known id still reports when full")
	units := allUnits(t, s)
	require.Len(t, units, 2, "nothing written for the refused id")
	require.Equal(t, "a", units[0].ScreenID)
	require.Equal(t, later, units[0].LastSeenAt.UTC())
}

// New ids racing for the last places: the bound holds exactly.
func TestFleetRecordBoundConcurrent(t *testing.T) {
	t.Parallel()
	s := setupFleet(t)
	const max, tries = 5, 20
	var wg sync.WaitGroup
	var mu sync.Mutex
	refused := 0
	for i := range tries {
		wg.Go(func() {
			err := s.Record(t.Context(), beat(fmt.Sprintf("unit-%02d", i), "lobby"), fleetT0, fleet.NewUnit{Max: max})
			if err != nil {
				require.ErrorIs(t, err, fleet.ErrFull)
				mu.Lock()
				refused++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	require.Len(t, allUnits(t, s), max)
	require.Equal(t, tries-max, refused)
}

func TestFleetScreensFilters(t *testing.T) {
	t.Parallel()
	s := setupFleet(t)
	ctx := t.Context()
	// Recorded out of order; listed by screen, then id in byte order.
	for i, u := range []struct{ id, screen string }{
		{"b", "lobby"}, {"a", "lobby"}, {"Z", "lobby"}, {"x", "hall"}, {"c", "store/lobby"},
	} {
		require.NoError(t, s.Record(ctx, beat(u.id, u.screen), fleetT0.Add(time.Duration(i)*time.Minute), fleet.NewUnit{Max: 100}))
	}
	ids := func(q fleet.Query) []string {
		t.Helper()
		if q.Limit == 0 {
			q.Limit = 100
		}
		units, err := s.Screens(ctx, q)
		require.NoError(t, err)
		out := []string{}
		for _, u := range units {
			out = append(out, u.Screen+":"+u.ScreenID)
		}
		return out
	}
	require.Equal(t, []string{"hall:x", "lobby:Z", "lobby:a", "lobby:b", "store/lobby:c"}, ids(fleet.Query{}))
	require.Equal(t, []string{"lobby:Z", "lobby:a", "lobby:b"}, ids(fleet.Query{Screen: "lobby"}))
	require.Empty(t, ids(fleet.Query{Screen: "lob"}))
	// b at +0, a at +1m, Z at +2m, x at +3m, c at +4m.
	require.Equal(t, []string{"hall:x", "lobby:Z", "store/lobby:c"}, ids(fleet.Query{SeenSince: fleetT0.Add(2 * time.Minute)}), "since is inclusive")
	require.Equal(t, []string{"lobby:a", "lobby:b"}, ids(fleet.Query{SeenBefore: fleetT0.Add(2 * time.Minute)}), "before is exclusive")
	require.Equal(t, []string{"lobby:a"}, ids(fleet.Query{Screen: "lobby", SeenSince: fleetT0.Add(time.Minute),
		SeenBefore: fleetT0.Add(3 * time.Minute), After: &fleet.Cursor{Screen: "lobby", ScreenID: "Z"}}), "every filter at once")
	require.Equal(t, []string{"hall:x", "lobby:Z"}, ids(fleet.Query{Limit: 2}))
	require.Equal(t, []string{"lobby:a", "lobby:b"}, ids(fleet.Query{Limit: 2, After: &fleet.Cursor{Screen: "lobby", ScreenID: "Z"}}))
	require.Equal(t, []string{"store/lobby:c"}, ids(fleet.Query{After: &fleet.Cursor{Screen: "lobby", ScreenID: "b"}}))
}

func TestFleetForget(t *testing.T) {
	t.Parallel()
	s := setupFleet(t)
	ctx := t.Context()
	require.NoError(t, s.Record(ctx, beat("a", "lobby"), fleetT0, fleet.NewUnit{Max: 2}))
	require.NoError(t, s.Record(ctx, beat("b", "lobby"), fleetT0, fleet.NewUnit{Max: 2}))
	ok, err := s.Forget(ctx, "a")
	require.NoError(t, err)
	require.True(t, ok)
	ok, err = s.Forget(ctx, "a")
	require.NoError(t, err)
	require.False(t, ok, "already gone")
	ok, err = s.Forget(ctx, "A")
	require.NoError(t, err)
	require.False(t, ok, "ids are exact")
	units := allUnits(t, s)
	require.Len(t, units, 1)
	require.Equal(t, "b", units[0].ScreenID)

	// Forgetting frees its place under the bound; the id comes back new.
	later := fleetT0.Add(time.Hour)
	require.NoError(t, s.Record(ctx, beat("c", "lobby"), later, fleet.NewUnit{Max: 2}))
	require.ErrorIs(t, s.Record(ctx, beat("a", "lobby"), later, fleet.NewUnit{Max: 2}), fleet.ErrFull)
	_, err = s.Forget(ctx, "c")
	require.NoError(t, err)
	require.NoError(t, s.Record(ctx, beat("a", "lobby"), later, fleet.NewUnit{Max: 2}))
	units = allUnits(t, s)
	require.Equal(t, "a", units[0].ScreenID)
	require.Equal(t, later, units[0].FirstSeenAt.UTC(), "a fresh first seen")
}

func TestFleetPruneAndCounts(t *testing.T) {
	t.Parallel()
	s := setupFleet(t)
	ctx := t.Context()
	cutoff := fleetT0.Add(time.Hour)
	for _, u := range []struct {
		id string
		at time.Time
	}{
		{"old", fleetT0},
		{"just-before", cutoff.Add(-time.Microsecond)},
		{"at-cutoff", cutoff},
		{"after", cutoff.Add(time.Minute)},
	} {
		require.NoError(t, s.Record(ctx, beat(u.id, "lobby"), u.at, fleet.NewUnit{Max: 100}))
	}
	seen, total, err := s.Counts(ctx, cutoff)
	require.NoError(t, err)
	require.Equal(t, [2]int{2, 4}, [2]int{seen, total}, "since is inclusive")

	n, err := s.Prune(ctx, cutoff)
	require.NoError(t, err)
	require.Equal(t, 2, n)
	var ids []string
	for _, u := range allUnits(t, s) {
		ids = append(ids, u.ScreenID)
	}
	require.Equal(t, []string{"after", "at-cutoff"}, ids, "only rows last seen strictly before the cutoff")
	n, err = s.Prune(ctx, cutoff)
	require.NoError(t, err)
	require.Zero(t, n, "nothing left to prune")

	seen, total, err = s.Counts(ctx, cutoff.Add(time.Hour))
	require.NoError(t, err)
	require.Equal(t, [2]int{0, 2}, [2]int{seen, total})
	require.NoError(t, s.Record(ctx, beat("after", "lobby"), cutoff.Add(2*time.Hour), fleet.NewUnit{Max: 100}))
	seen, total, err = s.Counts(ctx, cutoff.Add(time.Hour))
	require.NoError(t, err)
	require.Equal(t, [2]int{1, 2}, [2]int{seen, total})
}

func TestFleetCountsEmpty(t *testing.T) {
	t.Parallel()
	seen, total, err := setupFleet(t).Counts(t.Context(), fleetT0)
	require.NoError(t, err)
	require.Equal(t, [2]int{0, 0}, [2]int{seen, total})
}

// A full fleet makes room by evicting the unit silent longest, if it has
// been silent since before EvictBefore; a new id's admission runs first
// and its refusal writes nothing.
func TestFleetRecordEvictsSilent(t *testing.T) {
	t.Parallel()
	s := setupFleet(t)
	ctx := t.Context()
	full := fleet.NewUnit{Max: 2}
	require.NoError(t, s.Record(ctx, beat("old", "lobby"), fleetT0, full))
	require.NoError(t, s.Record(ctx, beat("recent", "lobby"), fleetT0.Add(time.Hour), full))
	now := fleetT0.Add(2 * time.Hour)

	// Both reported since the cut-off: nothing to evict.
	require.ErrorIs(t, s.Record(ctx, beat("new", "lobby"), now, fleet.NewUnit{Max: 2, EvictBefore: fleetT0}), fleet.ErrFull)
	// "old" has been silent since before it: it makes room.
	require.NoError(t, s.Record(ctx, beat("new", "lobby"), now, fleet.NewUnit{Max: 2, EvictBefore: fleetT0.Add(time.Minute)}))
	var ids []string
	for _, u := range allUnits(t, s) {
		ids = append(ids, u.ScreenID)
	}
	require.Equal(t, []string{"new", "recent"}, ids)

	refused := errs.E(errs.RateLimited, "slow down")
	admit := fleet.NewUnit{Max: 10, Admit: func() error { return refused }}
	require.ErrorIs(t, s.Record(ctx, beat("another", "lobby"), now, admit), refused)
	require.Len(t, allUnits(t, s), 2, "a refused admission writes nothing")
	require.NoError(t, s.Record(ctx, beat("recent", "lobby"), now, admit), "known ids are not admitted again")
}
