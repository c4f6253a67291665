package periodic

import (
	"context"
	"sync"
	"time"
)

// Start runs job every interval — not at once: a process starting should
// not sweep before it serves — until the returned stop is called. stop
// cancels the context a run in progress sees, waits for that run to end,
// and is safe to call more than once.
func Start(interval time.Duration, job func(ctx context.Context)) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			job(ctx)
		}
	})
	return func() { cancel(); wg.Wait() }
}
