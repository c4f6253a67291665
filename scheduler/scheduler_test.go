package scheduler_test

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/events"
	"github.com/mosaichq/mosaic/internal/testdb"
	"github.com/mosaichq/mosaic/scheduler"
	"github.com/mosaichq/mosaic/storage/postgres"
)

const waitTimeout = 15 * time.Second

// campaigns is an in-memory scheduler.Source.
type campaigns struct {
	mu  sync.Mutex
	all []scheduler.Transition
}

func (c *campaigns) add(ts ...scheduler.Transition) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.all = append(c.all, ts...)
}

func (c *campaigns) Transitions(_ context.Context, from, to time.Time) ([]scheduler.Transition, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []scheduler.Transition
	for _, t := range c.all {
		if !t.At.Before(from) && t.At.Before(to) {
			out = append(out, t)
		}
	}
	return out, nil
}

type testBundle struct {
	pool      *pgxpool.Pool
	log       *postgres.EventLog
	campaigns *campaigns
}

func setup(t *testing.T) *testBundle {
	t.Helper()
	pool, _ := testdb.Schema(t)
	return &testBundle{pool: pool, log: postgres.NewEventLog(pool), campaigns: &campaigns{}}
}

// replica starts a scheduler as one replica would run it.
func (b *testBundle) replica(t *testing.T, cfg scheduler.Config) *scheduler.Scheduler {
	t.Helper()
	quiet := slog.New(slog.DiscardHandler)
	s := scheduler.New(b.campaigns, b.log, postgres.NewLeader(b.pool, "scheduler", 50*time.Millisecond, quiet), cfg)
	s.Start(t.Context())
	t.Cleanup(s.Stop)
	return s
}

func tr(id string, kind scheduler.Kind, at time.Time) scheduler.Transition {
	return scheduler.Transition{CampaignID: id, CampaignKey: "key-" + id, Kind: kind, At: at}
}

// waitEvents waits until the log holds n events and returns them.
func (b *testBundle) waitEvents(t *testing.T, n int) []events.Event {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		evs, err := b.log.After(t.Context(), 0, 1000)
		require.NoError(t, err)
		if len(evs) >= n {
			return evs
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d events after %s, want %d", len(evs), waitTimeout, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func summary(evs []events.Event) []string {
	var out []string
	for _, e := range evs {
		out = append(out, e.Campaign.Key+" "+e.Type)
	}
	return out
}

func TestAnnouncesEachTransitionOnceAcrossReplicas(t *testing.T) {
	t.Parallel()
	b := setup(t)
	now := time.Now()
	b.campaigns.add(
		tr("past", scheduler.Started, now.Add(-time.Minute)), // fell due while nobody led
		tr("soon", scheduler.Started, now.Add(300*time.Millisecond)),
		tr("soon", scheduler.Ended, now.Add(600*time.Millisecond)),
		tr("later", scheduler.Started, now.Add(time.Hour)),
	)
	a := b.replica(t, scheduler.Config{})
	c := b.replica(t, scheduler.Config{})

	evs := b.waitEvents(t, 3)
	require.Equal(t, []string{"key-past campaign.started", "key-soon campaign.started", "key-soon campaign.ended"}, summary(evs))
	for _, e := range evs[1:] {
		require.False(t, e.CreatedAt.Before(e.At), "announced before it happened")
	}
	require.NotEqual(t, a.Leading(), c.Leading(), "exactly one replica leads")

	// A stop written after the fact (its instant already behind the
	// leader) is still announced, once, when the leader is woken.
	b.campaigns.add(tr("soon", scheduler.Stopped, time.Now().Add(-time.Second)))
	a.Wake()
	c.Wake()
	evs = b.waitEvents(t, 4)
	require.Equal(t, "key-soon campaign.stopped", summary(evs)[3])

	// Nothing more happens before "later".
	a.Wake()
	c.Wake()
	evs = b.waitEvents(t, 4)
	require.Len(t, evs, 4)
}

func TestANewLeaderAnnouncesWhatFellDueWhileNobodyLed(t *testing.T) {
	t.Parallel()
	b := setup(t)
	first := b.replica(t, scheduler.Config{})
	require.Eventually(t, first.Leading, waitTimeout, 5*time.Millisecond)
	first.Stop() // the leader goes away (a crash releases the lock the same way)
	require.False(t, first.Leading())

	// Transitions fall due with no scheduler running...
	now := time.Now()
	b.campaigns.add(tr("x", scheduler.Started, now.Add(-2*time.Second)), tr("x", scheduler.Ended, now.Add(-time.Second)))
	// ...and the next process to lead announces them, oldest first.
	b.replica(t, scheduler.Config{})
	evs := b.waitEvents(t, 2)
	require.Equal(t, []string{"key-x campaign.started", "key-x campaign.ended"}, summary(evs))
}

func TestAnnouncedHookAndPruning(t *testing.T) {
	t.Parallel()
	b := setup(t)
	var mu sync.Mutex
	var seen []string
	var delays []time.Duration
	b.campaigns.add(tr("h", scheduler.Started, time.Now().Add(-500*time.Millisecond)))
	b.replica(t, scheduler.Config{Retention: 2 * time.Second, PruneEvery: time.Nanosecond, MaxSleep: 20 * time.Millisecond,
		Announced: func(e events.Event) {
			mu.Lock()
			seen = append(seen, e.Type)
			mu.Unlock()
		},
		Delayed: func(tr scheduler.Transition, d time.Duration) {
			mu.Lock()
			delays = append(delays, d)
			mu.Unlock()
		}})
	// Announced once; pruned once older than the retention; and, being
	// pruned, not taken for unannounced by the rounds that follow.
	deadline := time.Now().Add(waitTimeout)
	var prunedAt time.Time
	for {
		pruned, head, err := b.log.Bounds(t.Context())
		require.NoError(t, err)
		if pruned == head && head > 0 && prunedAt.IsZero() {
			prunedAt = time.Now()
		}
		mark, _, err := b.log.Watermark(t.Context())
		require.NoError(t, err)
		if !prunedAt.IsZero() && mark.After(prunedAt.Add(100*time.Millisecond)) {
			break
		}
		require.True(t, time.Now().Before(deadline), "never pruned")
		time.Sleep(5 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	require.Equal(t, []string{events.TypeCampaignStarted}, seen)
	// Announced after its instant (it was already due): the
	// delay says so, once.
	require.Len(t, delays, 1)
	require.Positive(t, delays[0])
}

// TestOverdue: a transition that fell due while nobody led is overdue, as
// any replica sees it; once announced it is not; one still ahead never is.
func TestOverdue(t *testing.T) {
	t.Parallel()
	b := setup(t)
	quiet := slog.New(slog.DiscardHandler)
	// Not started: it never leads, it only looks.
	watcher := scheduler.New(b.campaigns, b.log, postgres.NewLeader(b.pool, "scheduler", 50*time.Millisecond, quiet), scheduler.Config{})
	d, err := watcher.Overdue(t.Context())
	require.NoError(t, err)
	require.Zero(t, d, "nothing due")

	b.campaigns.add(tr("o", scheduler.Started, time.Now().Add(-2*time.Second)), tr("o", scheduler.Ended, time.Now().Add(time.Hour)))
	d, err = watcher.Overdue(t.Context())
	require.NoError(t, err)
	require.Positive(t, d, "due and not announced")

	b.replica(t, scheduler.Config{})
	b.waitEvents(t, 1)
	d, err = watcher.Overdue(t.Context())
	require.NoError(t, err)
	require.Zero(t, d, "announced; the end is still ahead")
}
