package fleet_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/fleet"
)

func TestServiceForget(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := t.Context()
	b.record(t, "lobby-1", "lobby", "k1")
	b.record(t, "lobby-2", "lobby", "k1")

	for _, id := range []string{"", "lobby 1", "lobby/1", "lobbé", strings.Repeat("x", 65)} {
		ok, err := b.svc.Forget(ctx, id)
		e, isErr := errs.As(err)
		require.True(t, isErr, "%q: %v", id, err)
		require.Equal(t, errs.BadUserInput, e.Code, id)
		require.Equal(t, "screenId", e.Fields[0].Path, id)
		require.False(t, ok)
	}
	ok, err := b.svc.Forget(ctx, "lobby-1")
	require.NoError(t, err)
	require.True(t, ok)
	ok, err = b.svc.Forget(ctx, "lobby-1")
	require.NoError(t, err)
	require.False(t, ok, "nothing left to forget")
	ok, err = b.svc.Forget(ctx, "never-seen")
	require.NoError(t, err)
	require.False(t, ok)

	list, err := b.svc.List(ctx, fleet.Filter{})
	require.NoError(t, err)
	require.Equal(t, map[string]fleet.State{"lobby-2": fleet.Online}, states(list))

	// It comes back as a new unit when it reports again.
	b.clock.Add(time.Hour)
	b.record(t, "lobby-1", "lobby", "k1")
	list, err = b.svc.List(ctx, fleet.Filter{State: fleet.Online})
	require.NoError(t, err)
	require.Len(t, list, 1)
	require.Equal(t, t0.Add(time.Hour), list[0].FirstSeenAt.UTC())
}

func TestServicePrune(t *testing.T) {
	t.Parallel()
	const forget = 24 * time.Hour
	b := setup(t, func(c *fleet.Config) { c.ForgetAfter = forget })
	ctx := t.Context()
	b.record(t, "old", "lobby", "k1")
	b.clock.Add(time.Hour)
	b.record(t, "newer", "lobby", "k1")

	b.clock.Add(forget - time.Hour)
	n, err := b.svc.Prune(ctx)
	require.NoError(t, err)
	require.Zero(t, n, "exactly forgetAfter is kept")
	b.clock.Add(time.Microsecond)
	n, err = b.svc.Prune(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	list, err := b.svc.List(ctx, fleet.Filter{})
	require.NoError(t, err)
	require.Equal(t, map[string]fleet.State{"newer": fleet.Offline}, states(list))
}

func TestServicePruneDisabled(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.record(t, "old", "lobby", "k1")
	b.clock.Add(10 * 365 * 24 * time.Hour)
	n, err := b.svc.Prune(t.Context())
	require.NoError(t, err)
	require.Zero(t, n, "ForgetAfter 0 never forgets")
	b.svc.StartPruner(time.Millisecond)() // starts nothing, so stops at once
	list, err := b.svc.List(t.Context(), fleet.Filter{})
	require.NoError(t, err)
	require.Len(t, list, 1)
}

// The pruner runs in the background until stopped (goleak checks it ends).
func TestServiceStartPruner(t *testing.T) {
	t.Parallel()
	b := setup(t, func(c *fleet.Config) { c.ForgetAfter = time.Hour })
	b.record(t, "old", "lobby", "k1")
	b.clock.Add(2 * time.Hour)
	stop := b.svc.StartPruner(time.Millisecond)
	require.Eventually(t, func() bool {
		online, offline, err := b.svc.Counts(t.Context())
		return err == nil && online+offline == 0
	}, 10*time.Second, 5*time.Millisecond)
	stop()
	stop() // safe twice
}

func TestServiceCounts(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := t.Context()
	online, offline, err := b.svc.Counts(ctx)
	require.NoError(t, err)
	require.Equal(t, [2]int{0, 0}, [2]int{online, offline})

	b.record(t, "a", "lobby", "k1")
	b.record(t, "b", "lobby", "k0") // STALE, counted as online
	b.record(t, "c", "gone", "g1")
	online, offline, err = b.svc.Counts(ctx)
	require.NoError(t, err)
	require.Equal(t, [2]int{3, 0}, [2]int{online, offline})
	require.Empty(t, b.src.builds, "counting builds no bundle")

	b.clock.Add(fleet.DefaultOfflineAfter)
	b.record(t, "a", "lobby", "k1")
	online, offline, err = b.svc.Counts(ctx)
	require.NoError(t, err)
	require.Equal(t, [2]int{3, 0}, [2]int{online, offline}, "exactly offlineAfter is still online")
	b.clock.Add(time.Microsecond)
	online, offline, err = b.svc.Counts(ctx)
	require.NoError(t, err)
	require.Equal(t, [2]int{1, 2}, [2]int{online, offline})
}
