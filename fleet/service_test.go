package fleet_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/fleet"
	"github.com/mosaichq/mosaic/internal/testdb"
	"github.com/mosaichq/mosaic/ratelimit"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// The service over the real store; the bundle side is a small stand-in
// that counts builds (the real one is exercised over HTTP in server/).

type source struct {
	mu      sync.Mutex
	builds  map[fleet.Key]int
	current map[string]fleet.Current // by screen slug
	err     map[string]error
}

func (s *source) CheckContext(channel, device, locale string) error {
	if channel == "tv" {
		return errs.Invalid("unknown channel", errs.FieldError{Path: "channel", Message: "unknown"})
	}
	return nil
}

// Published: every screen the tests use is published, but "draft".
func (s *source) Published(_ context.Context, screen, _ string) error {
	if screen == "draft" {
		return errs.E(errs.NotFound, "no published screen %q", screen)
	}
	return nil
}

func (s *source) Current(_ context.Context, k fleet.Key) (fleet.Current, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.builds[k]++
	if err := s.err[k.Screen]; err != nil {
		return fleet.Current{}, err
	}
	return s.current[k.Screen], nil
}

type testBundle struct {
	svc   *fleet.Service
	src   *source
	clock *clock
}

var t0 = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

// clock is set by the test; nothing sleeps.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func setup(t *testing.T, mod ...func(*fleet.Config)) *testBundle {
	t.Helper()
	pool, _ := testdb.Schema(t)
	b := &testBundle{clock: &clock{t: t0}, src: &source{builds: map[fleet.Key]int{},
		current: map[string]fleet.Current{"lobby": {Version: "1-aa", Frame: "k1"}, "hall": {Version: "1-bb", Frame: "h1"}},
		err:     map[string]error{"gone": errs.E(errs.NotFound, "no published screen")}}}
	cfg := fleet.Config{Store: postgres.New(pool).Fleet(), Source: b.src, Now: b.clock.Now}
	for _, m := range mod {
		m(&cfg)
	}
	var err error
	b.svc, err = fleet.New(cfg)
	require.NoError(t, err)
	return b
}

func (b *testBundle) record(t *testing.T, id, screen, frame string, mod ...func(*fleet.Heartbeat)) {
	t.Helper()
	h := fleet.Heartbeat{ScreenID: id, Screen: screen, Frame: frame, Channel: "kiosk"}
	for _, m := range mod {
		m(&h)
	}
	require.NoError(t, b.svc.Record(t.Context(), h))
}

func states(list []fleet.Status) map[string]fleet.State {
	out := map[string]fleet.State{}
	for _, s := range list {
		out[s.ScreenID] = s.State
	}
	return out
}

func TestServiceListClassifiesAndBuildsOncePerKey(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.record(t, "lobby-1", "lobby", "k1")
	b.record(t, "lobby-2", "lobby", "k1")
	b.record(t, "lobby-3", "lobby", "k0")
	b.record(t, "lobby-ro", "lobby", "k1", func(h *fleet.Heartbeat) { h.Locale = "ro" })
	b.record(t, "hall-1", "hall", "h1")
	b.record(t, "gone-1", "gone", "g1")

	list, err := b.svc.List(t.Context(), fleet.Filter{})
	require.NoError(t, err)
	require.Equal(t, map[string]fleet.State{"lobby-1": fleet.Online, "lobby-2": fleet.Online, "lobby-3": fleet.Stale,
		"lobby-ro": fleet.Online, "hall-1": fleet.Online, "gone-1": fleet.Stale}, states(list))
	require.Equal(t, map[fleet.Key]int{
		{Screen: "lobby", Channel: "kiosk"}: 1, {Screen: "lobby", Channel: "kiosk", Locale: "ro"}: 1,
		{Screen: "hall", Channel: "kiosk"}: 1, {Screen: "gone", Channel: "kiosk"}: 1,
	}, b.src.builds, "each distinct context built once")
	var order []string
	for _, s := range list {
		order = append(order, s.ScreenID)
	}
	require.Equal(t, []string{"gone-1", "hall-1", "lobby-1", "lobby-2", "lobby-3", "lobby-ro"}, order)
	require.Equal(t, "1-aa", list[2].CurrentVersion)
	require.Empty(t, list[0].CurrentVersion, "no bundle for an unpublished screen")

	// At exactly offlineAfter every unit is still on time; a microsecond later none is.
	b.clock.Add(fleet.DefaultOfflineAfter)
	list, err = b.svc.List(t.Context(), fleet.Filter{State: fleet.Offline})
	require.NoError(t, err)
	require.Empty(t, list)
	b.record(t, "hall-1", "hall", "h1")
	b.clock.Add(time.Microsecond)
	list, err = b.svc.List(t.Context(), fleet.Filter{State: fleet.Offline})
	require.NoError(t, err)
	require.Len(t, list, 5)
	list, err = b.svc.List(t.Context(), fleet.Filter{State: fleet.Online})
	require.NoError(t, err)
	require.Equal(t, map[string]fleet.State{"hall-1": fleet.Online}, states(list), "hall-1 reported again")
}

// A state filter keeps reading past rows it drops until first are found.
func TestServiceListStateFilterPages(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, u := range []struct{ id, frame string }{{"a", "k0"}, {"b", "k1"}, {"c", "k0"}, {"d", "k0"}, {"e", "k1"}, {"f", "k1"}} {
		b.record(t, u.id, "lobby", u.frame)
	}
	list, err := b.svc.List(t.Context(), fleet.Filter{State: fleet.Online, First: 2})
	require.NoError(t, err)
	require.Equal(t, map[string]fleet.State{"b": fleet.Online, "e": fleet.Online}, states(list))
	list, err = b.svc.List(t.Context(), fleet.Filter{State: fleet.Stale, First: 5})
	require.NoError(t, err)
	require.Len(t, list, 3)
	list, err = b.svc.List(t.Context(), fleet.Filter{Screen: "hall"})
	require.NoError(t, err)
	require.Empty(t, list)
}

func TestServiceRefuses(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := t.Context()
	for _, f := range []fleet.Filter{{First: -1}, {First: fleet.MaxFirst + 1}, {Screen: "Not a slug"}, {State: "online"}} {
		_, err := b.svc.List(ctx, f)
		require.Equal(t, errs.BadUserInput, errs.CodeOf(err), "%+v", f)
	}
	err := b.svc.Record(ctx, fleet.Heartbeat{ScreenID: "a", Screen: "lobby", Channel: "tv"})
	require.Equal(t, errs.BadUserInput, errs.CodeOf(err))
	err = b.svc.Record(ctx, fleet.Heartbeat{Screen: "lobby"})
	require.Equal(t, errs.BadUserInput, errs.CodeOf(err))
	list, err := b.svc.List(ctx, fleet.Filter{})
	require.NoError(t, err)
	require.Empty(t, list, "nothing written")

	// A build that fails for the database's reasons fails the listing.
	b.record(t, "x", "broken", "k")
	b.src.err["broken"] = errors.New("connection reset")
	_, err = b.svc.List(ctx, fleet.Filter{})
	require.ErrorContains(t, err, "connection reset")
}

func TestNewValidates(t *testing.T) {
	t.Parallel()
	src := &source{}
	store := postgres.New(nil).Fleet()
	for _, c := range []fleet.Config{
		{Source: src},
		{Store: store, Source: src, Interval: time.Millisecond},
		{Store: store, Source: src, Interval: time.Minute, OfflineAfter: time.Second},
		{Store: store, Source: src, MaxScreens: -1},
		{Store: store, Source: src, ForgetAfter: -time.Hour},
		{Store: store, Source: src, ForgetAfter: fleet.DefaultOfflineAfter - time.Second},
	} {
		_, err := fleet.New(c)
		require.Error(t, err, "%+v", c)
	}
}

// Filling the fleet with made-up ids: refused for screens that are not
// published, held to a budget per key and per address, and a full fleet
// evicts ids that went silent before it refuses a new one.
func TestServiceNewUnitsAreBounded(t *testing.T) {
	t.Parallel()
	b := setup(t, func(c *fleet.Config) {
		c.MaxScreens = 5
		c.NewPerKey = ratelimit.Config{PerSecond: 1.0 / 60, Burst: 3}
		c.NewPerAddress = ratelimit.Config{PerSecond: 1.0 / 60, Burst: 4}
	})
	ctx := t.Context()
	beat := func(id, screen, caller, addr string) error {
		return b.svc.Record(ctx, fleet.Heartbeat{ScreenID: id, Screen: screen, Channel: "kiosk", Caller: caller, Address: addr})
	}
	err := beat("d1", "draft", "apikey:k1", "10.0.0.1")
	require.Equal(t, errs.NotFound, errs.CodeOf(err), "an unpublished screen gets no unit")

	for i := range 3 {
		require.NoError(t, beat(fmt.Sprint("k1-", i), "lobby", "apikey:k1", fmt.Sprint("10.0.1.", i)))
	}
	err = beat("k1-3", "lobby", "apikey:k1", "10.0.1.9")
	require.Equal(t, errs.RateLimited, errs.CodeOf(err))
	require.ErrorContains(t, err, "this API key has registered many new screens")
	require.NoError(t, beat("k1-0", "lobby", "apikey:k1", "10.0.1.0"), "a known unit always reports")

	for i := range 4 {
		err = beat(fmt.Sprint("a-", i), "lobby", fmt.Sprint("apikey:other-", i), "10.0.2.1")
		if i < 2 {
			require.NoError(t, err) // 5 units now: the fleet is full
		} else {
			require.ErrorIs(t, err, fleet.ErrFull, "full, and nobody is silent")
		}
	}
	// The made-up ids stop reporting; the real ones go on. Past OFFLINE,
	// a new real unit takes the place of the longest silent.
	b.clock.Add(2 * time.Minute)
	for _, id := range []string{"k1-0", "k1-1", "a-0"} {
		require.NoError(t, beat(id, "lobby", "apikey:k1", "10.0.1.0"))
	}
	require.NoError(t, beat("real-1", "lobby", "apikey:k9", "10.0.3.1"))
	list, err := b.svc.List(ctx, fleet.Filter{})
	require.NoError(t, err)
	require.Len(t, list, 5)
	require.Contains(t, states(list), "real-1")
}
