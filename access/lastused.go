package access

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// lastUsed collects when each key was last used and writes them together:
// a delivery request must not cost a database write.
type lastUsed struct {
	store    Store
	interval time.Duration
	log      *slog.Logger

	mu      sync.Mutex
	pending map[string]time.Time

	startOnce, stopOnce sync.Once
	quit, done          chan struct{}
}

func newLastUsed(store Store, interval time.Duration, log *slog.Logger) *lastUsed {
	return &lastUsed{store: store, interval: interval, log: log, pending: map[string]time.Time{},
		quit: make(chan struct{}), done: make(chan struct{})}
}

// touch notes that key id was used at t.
func (l *lastUsed) touch(id string, t time.Time) {
	l.mu.Lock()
	if t.After(l.pending[id]) {
		l.pending[id] = t
	}
	l.mu.Unlock()
}

func (l *lastUsed) start() {
	l.startOnce.Do(func() {
		go func() {
			defer close(l.done)
			tick := time.NewTicker(l.interval)
			defer tick.Stop()
			for {
				select {
				case <-l.quit:
					return
				case <-tick.C:
					l.flush(context.Background())
				}
			}
		}()
	})
}

// stop ends the loop and writes what is pending.
func (l *lastUsed) stop() {
	l.stopOnce.Do(func() {
		close(l.quit)
		l.startOnce.Do(func() { close(l.done) }) // never started: nothing to wait for
		<-l.done
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		l.flush(ctx)
	})
}

// flush writes and forgets the pending times. A failed write is put back so
// the next flush retries it (a later use wins).
func (l *lastUsed) flush(ctx context.Context) {
	l.mu.Lock()
	batch := l.pending
	l.pending = map[string]time.Time{}
	l.mu.Unlock()
	if len(batch) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := l.store.TouchKeys(ctx, batch); err != nil {
		l.log.WarnContext(ctx, "recording API keys' last use", "keys", len(batch), "error", err)
		for id, t := range batch {
			l.touch(id, t)
		}
	}
}
