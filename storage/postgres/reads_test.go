package postgres_test

import (
	"context"
	"encoding/json"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/internal/testdb"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// These tests run against a real hot standby made by pg_basebackup from
// the test server (testdb.NewStandby), streaming from it.

type readsBundle struct {
	*testBundle
	reads   *postgres.Reads
	standby *testdb.Standby
	sbConn  *pgx.Conn // to the standby, to pause and resume its replay
}

func setupReads(t *testing.T, maxLag time.Duration) *readsBundle {
	t.Helper()
	_, u := testdb.Schema(t)
	sb := testdb.NewStandby(t) // after the schema: the copy has it
	ctx := t.Context()
	primary, err := postgres.NewPool(ctx, u)
	require.NoError(t, err)
	t.Cleanup(primary.Close)
	reads, err := postgres.OpenReads(ctx, primary, postgres.ReadConfig{URLs: []string{sb.URL(u)}, MaxLag: maxLag, CheckEvery: 20 * time.Millisecond})
	require.NoError(t, err)
	reads.Start()
	t.Cleanup(reads.Stop)
	b := &readsBundle{testBundle: &testBundle{pool: primary, store: postgres.New(primary).WithReads(reads), clock: &clock{}},
		reads: reads, standby: sb}
	b.svc = b.newService(t)
	b.sbConn, err = pgx.Connect(ctx, sb.URL(u))
	require.NoError(t, err)
	t.Cleanup(func() { _ = b.sbConn.Close(context.Background()) })
	return b
}

// title reads the published shoe straight from the store (no cache).
func (b *readsBundle) title(t *testing.T, ctx context.Context) string {
	t.Helper()
	rows, err := b.store.PublishedBySlug(ctx, "product", "shoe", []string{"en"}, time.Now())
	if err != nil || len(rows) != 1 {
		t.Errorf("reading the shoe: %d rows, error %v", len(rows), err)
		return ""
	}
	var fields struct{ Title string }
	if err := json.Unmarshal(rows[0].Fields, &fields); err != nil {
		t.Errorf("decoding the shoe: %v", err)
	}
	return fields.Title
}

func (b *readsBundle) standbyReads() uint64 {
	s, _, _ := b.reads.Stats()
	return s[0].Reads
}

func (b *readsBundle) usable() bool {
	s, _, _ := b.reads.Stats()
	return s[0].Usable
}

func (b *readsBundle) pauseReplay(t *testing.T) {
	t.Helper()
	_, err := b.sbConn.Exec(t.Context(), "SELECT pg_wal_replay_pause()")
	require.NoError(t, err)
}

func (b *readsBundle) resumeReplay(t *testing.T) {
	t.Helper()
	_, err := b.sbConn.Exec(t.Context(), "SELECT pg_wal_replay_resume()")
	require.NoError(t, err)
}

// publishShoe publishes the shoe with title, as ctx's session.
func (b *readsBundle) publishShoe(t *testing.T, ctx context.Context, e content.Entry, title string) content.Entry {
	t.Helper()
	e, err := b.svc.UpdateEntry(ctx, actor, e.ID, e.Locale, content.EntryPatch{Fields: map[string]any{"title": title}}, e.Version)
	require.NoError(t, err)
	e, err = b.svc.PublishEntry(ctx, actor, e.ID, e.Locale, nil)
	require.NoError(t, err)
	return e
}

// setupShoe publishes the shoe ("Shoe") and waits until the standby
// serves it.
func (b *readsBundle) setupShoe(t *testing.T) content.Entry {
	t.Helper()
	_, err := b.svc.CreateContentType(t.Context(), productType())
	require.NoError(t, err)
	e := b.publish(t, b.create(t, "product", "shoe", map[string]any{"title": "Shoe"}))
	b.reads.Advance(t.Context()) // as the change feed does
	require.Eventually(t, func() bool {
		before := b.standbyReads()
		return b.title(t, t.Context()) == "Shoe" && b.standbyReads() > before
	}, 20*time.Second, 10*time.Millisecond, "the standby never served the published shoe")
	return e
}

func TestReadsServedByStandby(t *testing.T) {
	t.Parallel()
	b := setupReads(t, time.Minute)
	e := b.setupShoe(t)
	ctx := t.Context()

	var n int
	require.NoError(t, b.sbConn.QueryRow(ctx, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'mosaic-read'").Scan(&n))
	require.Positive(t, n, "the store holds connections to the standby")

	// Stop the standby replaying: what it answers is then visibly its own.
	b.pauseReplay(t)
	b.publishShoe(t, ctx, e, "Better shoe")
	require.Equal(t, "Shoe", b.title(t, ctx), "read from the standby, which has not replayed the change")

	// The change feed's notification raises the floor: the standby is
	// skipped until it has replayed as far, so a refilled cache is fresh.
	b.reads.Advance(ctx)
	before := b.standbyReads()
	require.Equal(t, "Better shoe", b.title(t, ctx))
	require.Equal(t, before, b.standbyReads(), "a standby below the floor serves nothing")

	b.resumeReplay(t)
	require.Eventually(t, func() bool {
		before := b.standbyReads()
		return b.title(t, ctx) == "Better shoe" && b.standbyReads() > before
	}, 20*time.Second, 10*time.Millisecond, "the standby caught up and serves again")
}

func TestReadYourWrites(t *testing.T) {
	t.Parallel()
	b := setupReads(t, time.Minute)
	e := b.setupShoe(t)
	ctx := t.Context()
	b.pauseReplay(t)

	// A request that only reads has no position to hand back.
	reader := postgres.WithReadSession(ctx, 0)
	require.Equal(t, "Shoe", b.title(t, reader))
	_, wrote, err := b.reads.Written(reader)
	require.NoError(t, err)
	require.False(t, wrote)

	// The editor's request writes, then reads inside it see the write.
	editor := postgres.WithReadSession(ctx, 0)
	b.publishShoe(t, editor, e, "Editor's shoe")
	require.Equal(t, "Editor's shoe", b.title(t, editor), "a read inside a write is the primary's")
	lsn, wrote, err := b.reads.Written(editor)
	require.NoError(t, err)
	require.True(t, wrote)

	// The editor's next request carries the position back: fresh, while
	// another visitor still reads the (paused) standby.
	next := postgres.WithReadSession(ctx, lsn)
	require.Equal(t, "Editor's shoe", b.title(t, next))
	require.Equal(t, "Shoe", b.title(t, postgres.WithReadSession(ctx, 0)), "no pin without the editor's position")

	b.resumeReplay(t)
	require.Eventually(t, func() bool {
		before := b.standbyReads()
		return b.title(t, next) == "Editor's shoe" && b.standbyReads() > before
	}, 20*time.Second, 10*time.Millisecond, "once the standby has replayed the write it serves the editor too")
}

// load reads from n goroutines until stopped and counts reads and errors.
type load struct {
	reads, failed atomic.Int64
	stop          chan struct{}
	each          []atomic.Int64 // reads per worker
	wg            sync.WaitGroup
	mu            sync.Mutex
	firstErr      error
}

func startLoad(n int, read func(ctx context.Context) error) *load {
	l := &load{stop: make(chan struct{}), each: make([]atomic.Int64, n)}
	for w := range n {
		l.wg.Go(func() {
			for {
				select {
				case <-l.stop:
					return
				default:
				}
				if err := read(context.Background()); err != nil {
					l.failed.Add(1)
					l.mu.Lock()
					if l.firstErr == nil {
						l.firstErr = err
					}
					l.mu.Unlock()
				}
				l.reads.Add(1)
				l.each[w].Add(1)
			}
		})
	}
	return l
}

func (l *load) end(t *testing.T) {
	t.Helper()
	close(l.stop)
	l.wg.Wait()
	require.Zero(t, l.failed.Load(), "failed reads under load, first: %v", l.firstErr)
}

// settle waits until every worker has finished two more reads: a read
// that picked a server before what the test just saw is then over.
func (l *load) settle(t *testing.T) {
	t.Helper()
	goals := make([]int64, len(l.each))
	for i := range l.each {
		goals[i] = l.each[i].Load() + 2
	}
	require.Eventually(t, func() bool {
		for i := range l.each {
			if l.each[i].Load() < goals[i] {
				return false
			}
		}
		return true
	}, 30*time.Second, 5*time.Millisecond, "every load worker finished its reads in flight")
}

// waitReads waits for n more reads under load.
func (l *load) waitReads(t *testing.T, n int64, msg string) {
	t.Helper()
	target := l.reads.Load() + n
	require.Eventually(t, func() bool { return l.reads.Load() >= target }, 30*time.Second, 5*time.Millisecond, msg)
}

func TestStandbyStoppedUnderLoad(t *testing.T) {
	t.Parallel()
	b := setupReads(t, time.Minute)
	b.setupShoe(t)
	reports := postgres.NewReportStore(b.pool).WithReads(b.reads)
	l := startLoad(4, func(ctx context.Context) error {
		rows, err := b.store.PublishedBySlug(ctx, "product", "shoe", []string{"en"}, time.Now())
		if err == nil && len(rows) != 1 {
			t.Errorf("got %d rows", len(rows))
		}
		if err == nil {
			_, err = reports.Metrics(ctx, false)
		}
		return err
	})
	l.waitReads(t, 100, "load before the stop")
	require.NoError(t, b.standby.Halt(t.Context()))
	require.Eventually(t, func() bool { return !b.usable() }, 20*time.Second, 5*time.Millisecond, "a stopped standby is skipped")
	l.settle(t)
	before := b.standbyReads()
	l.waitReads(t, 200, "load while the standby is down")
	require.Equal(t, before, b.standbyReads(), "nothing is read from a stopped standby")

	require.NoError(t, b.standby.Resume(t.Context()))
	require.Eventually(t, func() bool { return b.usable() && b.standbyReads() > before+50 }, 30*time.Second, 5*time.Millisecond,
		"a restarted standby serves reads again")
	l.end(t)
}

func TestLaggingStandbySkippedUnderLoad(t *testing.T) {
	t.Parallel()
	b := setupReads(t, 200*time.Millisecond)
	e := b.setupShoe(t)
	l := startLoad(4, func(ctx context.Context) error {
		_, err := b.store.PublishedBySlug(ctx, "product", "shoe", []string{"en"}, time.Now())
		return err
	})
	l.waitReads(t, 100, "load before the lag")
	b.pauseReplay(t)
	// Written without the change feed's Advance: only the lag bound can
	// keep the standby's stale answer out.
	b.publishShoe(t, t.Context(), e, "New shoe")
	require.Eventually(t, func() bool { return !b.usable() }, 20*time.Second, 5*time.Millisecond, "a standby beyond the lag bound is skipped")
	l.settle(t)
	before := b.standbyReads()
	l.waitReads(t, 200, "load while the standby lags")
	require.Equal(t, before, b.standbyReads(), "nothing is read from a lagging standby")
	require.Equal(t, "New shoe", b.title(t, t.Context()), "the primary's answer")

	b.resumeReplay(t)
	require.Eventually(t, func() bool { return b.usable() && b.standbyReads() > before+50 }, 30*time.Second, 5*time.Millisecond,
		"a standby that caught up serves reads again")
	l.end(t)
}

func TestParseLSN(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"0/0", "0/16B3748", "1/0", "FFFFFFFF/FFFFFFFF"} {
		l, err := postgres.ParseLSN(s)
		require.NoError(t, err, s)
		require.Equal(t, s, l.String())
	}
	a, _ := postgres.ParseLSN("0/FFFFFFFF")
	b, _ := postgres.ParseLSN("1/0")
	require.Less(t, a, b, "the high half counts more")
	for _, s := range []string{"", "16B3748", "0/xyz", "0/1/2", "100000000/0"} {
		_, err := postgres.ParseLSN(s)
		require.Error(t, err, s)
	}
}

// The search index reads the epoch, then the content as of it: reading
// the epoch raises the floor, so a standby that has not replayed that far
// serves none of what follows.
func TestEpochRaisesTheFloor(t *testing.T) {
	t.Parallel()
	b := setupReads(t, time.Minute)
	e := b.setupShoe(t)
	ctx := t.Context()
	b.pauseReplay(t)
	b.publishShoe(t, ctx, e, "Indexed shoe")
	require.Equal(t, "Shoe", b.title(t, ctx), "the paused standby's answer, before the epoch is read")
	_, err := b.store.Epoch(ctx)
	require.NoError(t, err)
	require.Equal(t, "Indexed shoe", b.title(t, ctx), "after it: as of the epoch")
	b.resumeReplay(t)
}

// A process whose change feed does not listen yet holds its routed reads
// on the primary; released, the floor is the primary's position then.
func TestHoldUntilReleased(t *testing.T) {
	t.Parallel()
	b := setupReads(t, time.Minute)
	e := b.setupShoe(t)
	ctx := t.Context()
	b.pauseReplay(t)
	b.publishShoe(t, ctx, e, "Held shoe")
	require.Equal(t, "Shoe", b.title(t, ctx), "the paused standby's answer")

	b.reads.Hold()
	before := b.standbyReads()
	require.Equal(t, "Held shoe", b.title(t, ctx), "held: the primary's")
	b.reads.Release(ctx)
	require.Equal(t, "Held shoe", b.title(t, ctx), "released: never from before the release")
	require.Equal(t, before, b.standbyReads())

	b.resumeReplay(t)
	require.Eventually(t, func() bool {
		before := b.standbyReads()
		return b.title(t, ctx) == "Held shoe" && b.standbyReads() > before
	}, 20*time.Second, 10*time.Millisecond, "the standby serves once it has replayed the release's position")
}
