package postgres_test

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/events"
	"github.com/mosaichq/mosaic/internal/testdb"
	"github.com/mosaichq/mosaic/scheduler"
	"github.com/mosaichq/mosaic/storage/postgres"
)

func transition(id string, kind scheduler.Kind, at time.Time) scheduler.Transition {
	return scheduler.Transition{CampaignID: id, CampaignKey: "key-" + id, Kind: kind, At: at, Channels: []string{"kiosk"}}
}

func TestAnnounceIsExactlyOnceUnderConcurrency(t *testing.T) {
	t.Parallel()
	pool, _ := testdb.Schema(t)
	log := postgres.NewEventLog(pool)
	at := time.Date(2026, 12, 1, 9, 0, 0, 123456789, time.UTC)
	tr := transition("c1", scheduler.Started, at)

	// Eight "leaders" race to announce the same transition.
	var inserted atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			_, ok, err := log.Announce(t.Context(), tr)
			if err == nil && ok {
				inserted.Add(1)
			}
			require.NoError(t, err)
		})
	}
	wg.Wait()
	require.EqualValues(t, 1, inserted.Load())

	evs, err := log.After(t.Context(), 0, 100)
	require.NoError(t, err)
	require.Len(t, evs, 1)
	e := evs[0]
	require.Equal(t, events.TypeCampaignStarted, e.Type)
	require.Equal(t, at.Truncate(time.Microsecond), e.At.UTC())
	require.Equal(t, &events.Campaign{ID: "c1", Key: "key-c1", Channels: []string{"kiosk"}, Devices: []string{}}, e.Campaign)

	// Another kind, or another instant, is another announcement.
	_, ok, err := log.Announce(t.Context(), transition("c1", scheduler.Ended, at))
	require.NoError(t, err)
	require.True(t, ok)
	_, ok, err = log.Announce(t.Context(), transition("c1", scheduler.Started, at.Add(time.Hour)))
	require.NoError(t, err)
	require.True(t, ok)

	done, err := log.Announced(t.Context(), at.Add(-time.Minute))
	require.NoError(t, err)
	require.Len(t, done, 3)
	require.True(t, done[tr.Key()], "a key with nanoseconds matches the stored microseconds")

	// Ids stay ordered with the gaps lost races leave.
	evs, err = log.After(t.Context(), 0, 100)
	require.NoError(t, err)
	require.Len(t, evs, 3)
	require.Less(t, evs[0].ID, evs[1].ID)
	require.Less(t, evs[1].ID, evs[2].ID)
	_, head, err := log.Bounds(t.Context())
	require.NoError(t, err)
	require.GreaterOrEqual(t, head, evs[2].ID)
}

func TestContentChangesBecomeChangedEvents(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := t.Context()
	_, err := b.svc.CreateContentType(ctx, content.ContentType{Key: "screen", Name: "Screen", Kind: content.TypeEntry,
		Fields: []content.Field{{Key: "title", Kind: content.KindText, Required: true}}})
	require.NoError(t, err)
	log := postgres.NewEventLog(b.pool)
	_, before, err := log.Bounds(ctx)
	require.NoError(t, err)

	lobby := b.publish(t, b.create(t, "screen", "lobby", map[string]any{"title": "Lobby"}))
	evs, err := log.After(ctx, before, 100)
	require.NoError(t, err)
	require.Len(t, evs, 1)
	c := evs[0].Change
	require.Equal(t, events.TypeChanged, evs[0].Type)
	require.Equal(t, "publish", c.Action)
	require.Equal(t, lobby.ID, c.Entry)
	require.Equal(t, "screen", c.Type)
	require.Equal(t, "lobby", c.Slug)
	require.Equal(t, "lobby", evs[0].Screen())
	require.Positive(t, c.Epoch)

	// A write that rolls back records no event (the trigger runs at commit).
	tx, err := b.pool.Begin(ctx)
	require.NoError(t, err)
	_, err = tx.Exec(ctx, `INSERT INTO content_changes (action) VALUES ('model')`)
	require.NoError(t, err)
	require.NoError(t, tx.Rollback(ctx))
	evs, err = log.After(ctx, before, 100)
	require.NoError(t, err)
	require.Len(t, evs, 1)
}

func TestEventIDsCommitInOrder(t *testing.T) {
	t.Parallel()
	pool, _ := testdb.Schema(t)
	log := postgres.NewEventLog(pool)
	ctx := t.Context()
	// A slow writer takes the next id and holds it uncommitted...
	tx, err := pool.Begin(ctx)
	require.NoError(t, err)
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	_, err = tx.Exec(ctx, `INSERT INTO content_changes (action) VALUES ('model')`)
	require.NoError(t, err)
	_, err = tx.Exec(ctx, `SET CONSTRAINTS ALL IMMEDIATE`) // run the deferred trigger now
	require.NoError(t, err)
	// ...so a second writer waits for it rather than commit a later id
	// first, which a reader paging by id would then skip.
	announced := make(chan error, 1)
	go func() {
		_, _, err := log.Announce(context.WithoutCancel(ctx), transition("c1", scheduler.Started, time.Now()))
		announced <- err
	}()
	select {
	case err := <-announced:
		t.Fatalf("the second writer committed while the first held its id (err %v)", err)
	case <-time.After(200 * time.Millisecond):
	}
	require.NoError(t, tx.Commit(ctx))
	require.NoError(t, <-announced)
	evs, err := log.After(ctx, 0, 10)
	require.NoError(t, err)
	require.Len(t, evs, 2)
	require.Equal(t, events.TypeChanged, evs[0].Type)
	require.Equal(t, events.TypeCampaignStarted, evs[1].Type)
}

func TestWatermarkAndPrune(t *testing.T) {
	t.Parallel()
	pool, _ := testdb.Schema(t)
	log := postgres.NewEventLog(pool)
	ctx := t.Context()
	_, ok, err := log.Watermark(ctx)
	require.NoError(t, err)
	require.False(t, ok)
	t1 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	require.NoError(t, log.SetWatermark(ctx, t1))
	require.NoError(t, log.SetWatermark(ctx, t1.Add(-time.Hour)), "moving back is ignored, not an error")
	w, ok, err := log.Watermark(ctx)
	require.NoError(t, err)
	require.True(t, ok)
	require.True(t, w.Equal(t1))

	for i := range 3 {
		_, _, err := log.Announce(ctx, transition("c", scheduler.Started, t1.Add(time.Duration(i)*time.Minute)))
		require.NoError(t, err)
	}
	n, err := log.Prune(ctx, time.Now().Add(-time.Hour))
	require.NoError(t, err)
	require.Zero(t, n)
	n, err = log.Prune(ctx, time.Now().Add(time.Hour))
	require.NoError(t, err)
	require.EqualValues(t, 3, n)
	pruned, head, err := log.Bounds(ctx)
	require.NoError(t, err)
	require.Equal(t, head, pruned, "a client from before the prune must resync")
}

func TestLeaderIsSingleAndTakesOverWhenTheLeaderDies(t *testing.T) {
	t.Parallel()
	pool, u := testdb.Schema(t)
	quiet := slog.New(slog.DiscardHandler)
	type term struct {
		who  int
		stop context.Context
	}
	terms := make(chan term, 4)
	// (Leadership cannot be exclusive to the instant: a leader whose
	// session died learns it at its next check. Exactly-once rests on the
	// announcement's unique key, not on this.)
	lead := func(who int) func(ctx context.Context) {
		return func(ctx context.Context) {
			terms <- term{who, ctx}
			<-ctx.Done()
		}
	}
	// Replica 1 has a pool of its own, so its connections can be killed
	// without touching replica 2's.
	app := fmt.Sprintf("replica1-%d", time.Now().UnixNano())
	cfg, err := pgxpool.ParseConfig(u)
	require.NoError(t, err)
	cfg.ConnConfig.RuntimeParams["application_name"] = app
	pool1, err := pgxpool.NewWithConfig(t.Context(), cfg)
	require.NoError(t, err)
	t.Cleanup(pool1.Close)
	ctx1, stop1 := context.WithCancel(t.Context())
	ctx2, stop2 := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	wg.Go(func() { postgres.NewLeader(pool1, "test", 50*time.Millisecond, quiet).Lead(ctx1, lead(1)) })
	first := waitTerm(t, terms)
	require.Equal(t, 1, first.who)
	wg.Go(func() { postgres.NewLeader(pool, "test", 50*time.Millisecond, quiet).Lead(ctx2, lead(2)) })

	// Kill replica 1's lock session the way a crash would: the server
	// ends it, and replica 2, blocked waiting for the lock, gets it.
	_, err = pool.Exec(t.Context(), `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, app)
	require.NoError(t, err)
	second := waitTerm(t, terms)
	require.Equal(t, 2, second.who)
	select {
	case extra := <-terms:
		t.Fatalf("replica %d leads as well", extra.who)
	case <-time.After(100 * time.Millisecond):
	}
	select {
	case <-first.stop.Done(): // replica 1 noticed it lost the lock
	case <-time.After(waitTimeout):
		t.Fatal("the old leader did not step down")
	}
	// Replica 1 campaigns again and waits; stopping replica 2 hands over.
	stop2()
	third := waitTerm(t, terms)
	require.Equal(t, 1, third.who)
	stop1()
	wg.Wait()
}

func waitTerm[T any](t *testing.T, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(waitTimeout):
		t.Fatal("no leader within", waitTimeout)
		panic("unreachable")
	}
}
