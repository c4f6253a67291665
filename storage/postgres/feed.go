package postgres

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Change is one change-feed notification.
type Change struct {
	Epoch  int64  `json:"epoch"`
	Action string `json:"action"` // publish, unpublish, delete, model; resync after a reconnect
	Entry  string `json:"entry,omitempty"`
	Locale string `json:"locale,omitempty"`
	Type   string `json:"type,omitempty"`
}

// Feed LISTENs on the change channel on a dedicated connection and hands
// each change to a handler. After a dropped connection it reconnects with
// backoff and emits a "resync" change: notifications sent while it was
// away are lost, so caches must be dropped wholesale.
type Feed struct {
	pool    *pgxpool.Pool
	handler func(Change)
	log     *slog.Logger

	stopOnce sync.Once
	cancel   context.CancelFunc
	done     chan struct{}
	ready    chan struct{}
}

// NewFeed returns a feed; Start begins listening.
func NewFeed(pool *pgxpool.Pool, log *slog.Logger, handler func(Change)) *Feed {
	return &Feed{pool: pool, handler: handler, log: log, done: make(chan struct{}), ready: make(chan struct{})}
}

// Start returns at once; Ready is closed once the first LISTEN is in place.
func (f *Feed) Start(ctx context.Context) {
	ctx, f.cancel = context.WithCancel(ctx)
	go f.run(ctx)
}

// Ready is closed when the feed first listens.
func (f *Feed) Ready() <-chan struct{} { return f.ready }

// Stop ends listening and waits for the loop to exit. Safe to call twice.
func (f *Feed) Stop() {
	f.stopOnce.Do(func() {
		if f.cancel != nil {
			f.cancel()
			<-f.done
		}
	})
}

func (f *Feed) run(ctx context.Context) {
	defer close(f.done)
	var readyOnce sync.Once
	backoff := 100 * time.Millisecond
	for first := true; ctx.Err() == nil; first = false {
		err := f.listen(ctx, func() {
			readyOnce.Do(func() { close(f.ready) })
			if !first {
				f.handler(Change{Action: "resync"})
			}
			backoff = 100 * time.Millisecond
		})
		if ctx.Err() != nil {
			return
		}
		f.log.WarnContext(ctx, "change feed disconnected; reconnecting", "error", err, "in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 10*time.Second)
	}
}

func (f *Feed) listen(ctx context.Context, onListening func()) error {
	pooled, err := f.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	// The connection carries LISTEN state: never hand it back to the pool.
	// Hijack first and use only the hijacked *pgx.Conn: the pooled handle
	// is dead once hijacked.
	conn := pooled.Hijack()
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+ChangesChannel); err != nil {
		return err
	}
	onListening()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		var c Change
		if err := json.Unmarshal([]byte(n.Payload), &c); err != nil {
			f.log.ErrorContext(ctx, "bad change notification", "payload", n.Payload, "error", err)
			c = Change{Action: "resync"}
		}
		f.handler(c)
	}
}
