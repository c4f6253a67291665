package eventlog_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/internal/testdb"
	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/measurement/eventlog"
	"github.com/mosaichq/mosaic/storage/postgres"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		goleak.IgnoreTopFunction("github.com/jackc/pgx/v5/pgxpool.(*Pool).backgroundHealthCheck"))
}

type bundle struct {
	pool *pgxpool.Pool
	dir  string
}

func setup(t *testing.T) bundle {
	t.Helper()
	pool, _ := testdb.Schema(t)
	return bundle{pool: pool, dir: t.TempDir()}
}

func open(t *testing.T, b bundle, cfg eventlog.Config) *eventlog.Log {
	t.Helper()
	if cfg.URL == "" {
		cfg.Dir = b.dir
	}
	if cfg.Store == nil {
		cfg.Store = postgres.NewMeasurementStore(b.pool)
	}
	l, err := eventlog.Open(t.Context(), cfg)
	require.NoError(t, err)
	t.Cleanup(l.Close)
	return l
}

func events(n int, prefix string) []measurement.Event {
	now := time.Now().UTC()
	out := make([]measurement.Event, n)
	for i := range out {
		out[i] = measurement.Event{ID: fmt.Sprintf("%s-%d", prefix, i), Type: measurement.TypeTrack, VisitorID: "v",
			Name: "n", Time: now, ReceivedAt: now}
	}
	return out
}

func count(t *testing.T, pool *pgxpool.Pool) int {
	t.Helper()
	var n int
	require.NoError(t, pool.QueryRow(context.Background(), `SELECT count(*) FROM measurement_events`).Scan(&n))
	return n
}

// waitRows waits for the store to hold want rows and the log to be empty.
func waitRows(t *testing.T, l *eventlog.Log, pool *pgxpool.Pool, want int) {
	t.Helper()
	require.Eventually(t, func() bool {
		pending, _, err := l.Pending(t.Context())
		return err == nil && pending == 0 && count(t, pool) >= want
	}, 20*time.Second, 20*time.Millisecond, "events in the store")
	require.Equal(t, want, count(t, pool))
}

// Accepted events land once: a batch appended again is dropped by the log
// (Nats-Msg-Id), and again after the dedupe window by the store.
func TestAppendLandsExactlyOnce(t *testing.T) {
	t.Parallel()
	b := setup(t)
	l := open(t, b, eventlog.Config{})
	require.NoError(t, l.Start(t.Context()))
	require.NoError(t, l.Start(t.Context()), "Start twice is harmless")
	batch := events(120, "once")
	dups, err := l.Append(t.Context(), batch)
	require.NoError(t, err)
	require.Zero(t, dups)
	waitRows(t, l, b.pool, 120)

	dups, err = l.Append(t.Context(), batch)
	require.NoError(t, err)
	require.Equal(t, 120, dups, "within the dedupe window the log drops them")
	waitRows(t, l, b.pool, 120)

	l.Stop()
	l.Stop()

	// A log that never saw them (past the dedupe window, or another
	// stream) lets them through: the store drops them.
	other := open(t, bundle{pool: b.pool, dir: t.TempDir()}, eventlog.Config{})
	require.NoError(t, other.Start(t.Context()))
	dups, err = other.Append(t.Context(), batch[:10])
	require.NoError(t, err)
	require.Zero(t, dups, "this log has not seen them")
	waitRows(t, other, b.pool, 120)
}

// What was accepted survives the process: a log closed with events
// pending (no consumer) and opened again on its directory writes them.
func TestPendingSurvivesRestart(t *testing.T) {
	t.Parallel()
	b := setup(t)
	l := open(t, b, eventlog.Config{})
	_, err := l.Append(t.Context(), events(30, "restart"))
	require.NoError(t, err)
	pending, _, err := l.Pending(t.Context())
	require.NoError(t, err)
	require.EqualValues(t, 1, pending, "30 events of one type: one message")
	l.Close()
	l.Close()
	require.Zero(t, count(t, b.pool), "nothing is written without a consumer")

	l = open(t, b, eventlog.Config{})
	require.NoError(t, l.Start(t.Context()))
	waitRows(t, l, b.pool, 30)
}

// A full buffer refuses with SERVICE_UNAVAILABLE (the client retries), and
// takes events again once the consumer drains it.
func TestFullLogRefuses(t *testing.T) {
	t.Parallel()
	b := setup(t)
	l := open(t, b, eventlog.Config{MaxMsgs: 5})
	for i := range 5 { // a message per batch of one type
		_, err := l.Append(t.Context(), events(1, fmt.Sprint("full", i)))
		require.NoError(t, err)
	}
	_, err := l.Append(t.Context(), events(1, "more"))
	require.Error(t, err)
	require.Equal(t, errs.ServiceUnavailable, errs.CodeOf(err))
	require.Contains(t, err.Error(), "buffer is full")

	require.NoError(t, l.Start(t.Context()))
	waitRows(t, l, b.pool, 5)
	_, err = l.Append(t.Context(), events(1, "more"))
	require.NoError(t, err)
	waitRows(t, l, b.pool, 6)
}

// refusingStore refuses, for what it holds, any batch holding the event
// "poison" (as PostgreSQL refuses a value it cannot store) and writes the
// rest to the real store.
type refusingStore struct{ measurement.Store }

func (s refusingStore) WriteEvents(ctx context.Context, events []measurement.Event) (int, error) {
	for _, e := range events {
		if e.ID == "poison" {
			return 0, errs.E(errs.BadUserInput, "refused")
		}
	}
	return s.Store.WriteEvents(ctx, events)
}

// One event the store refuses does not stall the log: it is dropped, the
// others of its batch land.
func TestPoisonEventDoesNotStall(t *testing.T) {
	t.Parallel()
	b := setup(t)
	batch := events(20, "p")
	batch[7].ID = "poison"
	l := open(t, b, eventlog.Config{Store: refusingStore{postgres.NewMeasurementStore(b.pool)}, Retry: time.Millisecond})
	_, err := l.Append(t.Context(), batch)
	require.NoError(t, err)
	require.NoError(t, l.Start(t.Context()))
	waitRows(t, l, b.pool, 19)
}

// externalNATS starts a nats-server with JetStream (TEST_NATS_SERVER, set by
// internal/tools/testenv) and answers its URL; skips the test when there
// is none.
func externalNATS(t *testing.T) string {
	t.Helper()
	bin := os.Getenv("TEST_NATS_SERVER")
	if bin == "" {
		t.Skip("TEST_NATS_SERVER is not set: run through go run ./internal/tools/testenv")
	}
	port := freePort(t)
	cmd := exec.Command(bin, "-a", "127.0.0.1", "-p", fmt.Sprint(port), "-js", "-sd", t.TempDir())
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	return fmt.Sprintf("nats://127.0.0.1:%d", port)
}

// openExternal opens a Log (cfg) on the external server at url once it
// is up.
func openExternal(t *testing.T, url string, cfg eventlog.Config) *eventlog.Log {
	t.Helper()
	cfg.URL = url
	var l *eventlog.Log
	require.Eventually(t, func() bool {
		var err error
		l, err = eventlog.Open(t.Context(), cfg)
		return err == nil
	}, 20*time.Second, 50*time.Millisecond, "nats-server up")
	t.Cleanup(l.Close)
	return l
}

// An external nats-server serves the same log.
func TestExternalServer(t *testing.T) {
	t.Parallel()
	url := externalNATS(t)
	b := setup(t)
	l := openExternal(t, url, eventlog.Config{Store: postgres.NewMeasurementStore(b.pool)})
	require.NoError(t, l.Start(t.Context()))
	batch := events(50, "ext")
	_, err := l.Append(t.Context(), batch)
	require.NoError(t, err)
	dups, err := l.Append(t.Context(), batch)
	require.NoError(t, err)
	require.Equal(t, 50, dups)
	waitRows(t, l, b.pool, 50)
}
