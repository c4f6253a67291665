package periodic_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/mosaichq/mosaic/internal/periodic"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The job runs repeatedly; stop cancels the run in progress, waits for it,
// and nothing runs after it returns.
func TestStartRunsUntilStopped(t *testing.T) {
	var runs atomic.Int32
	third := make(chan struct{})
	cancelled := make(chan struct{})
	stop := periodic.Start(time.Millisecond, func(ctx context.Context) {
		if runs.Add(1) == 3 {
			close(third)
			<-ctx.Done() // the third run lasts until stop
			close(cancelled)
		}
	})
	<-third
	stop()
	select {
	case <-cancelled:
	default:
		t.Fatal("stop returned before the run in progress ended")
	}
	after := runs.Load()
	stop() // twice is fine
	if runs.Load() != after {
		t.Fatalf("ran after stop: %d then %d", after, runs.Load())
	}
}

// Nothing runs at once: the first run waits for the interval.
func TestStartWaitsForTheFirstInterval(t *testing.T) {
	var runs atomic.Int32
	stop := periodic.Start(time.Hour, func(context.Context) { runs.Add(1) })
	stop()
	if n := runs.Load(); n != 0 {
		t.Fatalf("%d runs before the first interval", n)
	}
}
