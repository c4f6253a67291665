package postgres

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Listener LISTENs on a few channels on one dedicated connection and hands
// every notification to a handler. After a dropped connection it
// reconnects with backoff and calls connected again: notifications sent
// meanwhile are lost, so whatever it feeds must re-read its source then.
type Listener struct {
	pool      *pgxpool.Pool
	channels  []string
	log       *slog.Logger
	notify    func(channel, payload string)
	connected func()

	stopOnce sync.Once
	cancel   context.CancelFunc
	done     chan struct{}
	ready    chan struct{}
}

// NewListener returns a listener on channels. notify runs on the
// listener's goroutine and must not block; connected (optional) runs after
// every successful LISTEN, the first included.
func NewListener(pool *pgxpool.Pool, log *slog.Logger, channels []string, notify func(channel, payload string), connected func()) *Listener {
	return &Listener{pool: pool, channels: channels, log: log, notify: notify, connected: connected,
		done: make(chan struct{}), ready: make(chan struct{})}
}

// Start returns at once; Ready is closed once the first LISTEN is in place.
func (l *Listener) Start(ctx context.Context) {
	ctx, l.cancel = context.WithCancel(ctx)
	go l.run(ctx)
}

// Ready is closed when the listener first listens.
func (l *Listener) Ready() <-chan struct{} { return l.ready }

// Stop ends listening and waits. Safe to call twice, or without Start.
func (l *Listener) Stop() {
	l.stopOnce.Do(func() {
		if l.cancel != nil {
			l.cancel()
			<-l.done
		}
	})
}

func (l *Listener) run(ctx context.Context) {
	defer close(l.done)
	var readyOnce sync.Once
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := l.listen(ctx, func() {
			readyOnce.Do(func() { close(l.ready) })
			backoff = 100 * time.Millisecond
			if l.connected != nil {
				l.connected()
			}
		})
		if ctx.Err() != nil {
			return
		}
		l.log.WarnContext(ctx, "listener disconnected; reconnecting", "channels", l.channels, "error", err, "in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 10*time.Second)
	}
}

func (l *Listener) listen(ctx context.Context, onListening func()) error {
	pooled, err := l.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	// LISTEN state belongs to the connection: never hand it back.
	conn := pooled.Hijack()
	defer conn.Close(context.Background())
	for _, ch := range l.channels {
		if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{ch}.Sanitize()); err != nil {
			return err
		}
	}
	onListening()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		l.notify(n.Channel, n.Payload)
	}
}
