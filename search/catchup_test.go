package search_test

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/search"
)

// busySource is the real content service whose change log, for the first
// rounds, looks like content being written faster than the index rebuilds:
// a first start while the demo content is seeded.
type busySource struct {
	*content.Service
	busyCalls atomic.Int32
}

func (s *busySource) ChangesSince(ctx context.Context, epoch int64, limit int) ([]content.Change, error) {
	if s.busyCalls.Add(-1) >= 0 {
		return make([]content.Change, limit), nil
	}
	return s.Service.ChangesSince(ctx, epoch, limit)
}

// records keeps every log record's level and message.
type records struct {
	mu   sync.Mutex
	list []slog.Record
}

func (r *records) Enabled(context.Context, slog.Level) bool { return true }
func (r *records) Handle(_ context.Context, rec slog.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.list = append(r.list, rec)
	return nil
}
func (r *records) WithAttrs([]slog.Attr) slog.Handler { return r }
func (r *records) WithGroup(string) slog.Handler      { return r }

// TestCatchingUpLogsNoError: content outpacing the first rebuilds is the
// normal first start, not a failure: the index catches up without an
// ERROR line (a warning only after many rounds), then answers.
func TestCatchingUpLogsNoError(t *testing.T) {
	t.Parallel()
	b := setup(t)
	src := &busySource{Service: b.svc}
	src.busyCalls.Store(4) // more than one process round of three
	logs := &records{}
	ix, err := search.Open(search.Config{Dir: b.dir, Source: src, Logger: slog.New(logs), RetryDelay: time.Millisecond})
	require.NoError(t, err)
	t.Cleanup(ix.Close)
	ix.Start(nil)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	require.NoError(t, ix.WaitReady(ctx))

	logs.mu.Lock()
	defer logs.mu.Unlock()
	caughtUp := false
	for _, rec := range logs.list {
		require.Less(t, rec.Level, slog.LevelWarn, "%s: %s", rec.Level, rec.Message)
		caughtUp = caughtUp || rec.Message == "search index catching up: content is still changing; going again"
	}
	require.True(t, caughtUp, "the catching up is said, at INFO")
	res, err := ix.Search(ctx, search.Request{Query: "winter", First: 5})
	require.NoError(t, err)
	require.NotZero(t, res.Total)
}
