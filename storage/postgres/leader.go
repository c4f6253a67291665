package postgres

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

const (
	// The lock key covers the database and schema, so test schemas (and
	// tenants in separate schemas) elect their own leaders.
	sqlAdvisoryLock = `SELECT pg_advisory_lock(hashtextextended('mosaic/' || $1::text || '/' || current_database() || '/' || current_schema(), 0))`
	// PostgreSQL 14+: a backend waiting for the lock notices within a
	// second when its client has gone, instead of queueing until granted.
	sqlCheckClient = `SET client_connection_check_interval = '1s'`
)

// Leader is a scheduler.Elector on a PostgreSQL session advisory lock, held
// on a connection of its own. The database releases the lock the moment
// that connection ends — when the leader's process dies, even by kill -9 —
// and the next waiting replica, blocked in pg_advisory_lock, gets it at
// once: no lease to expire, no polling interval to wait out.
type Leader struct {
	pool  *pgxpool.Pool
	name  string
	check time.Duration
	log   *slog.Logger
}

// NewLeader returns an elector for the role name. check is how often the
// leader verifies its connection (and hence its lock) is still alive.
func NewLeader(pool *pgxpool.Pool, name string, check time.Duration, log *slog.Logger) *Leader {
	if check <= 0 {
		check = time.Second
	}
	return &Leader{pool: pool, name: name, check: check, log: log}
}

// Lead implements scheduler.Elector.
func (l *Leader) Lead(ctx context.Context, fn func(ctx context.Context)) {
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		led, err := l.term(ctx, fn)
		if ctx.Err() != nil {
			return
		}
		if led {
			backoff = 100 * time.Millisecond
		}
		l.log.WarnContext(ctx, "leader election: connection lost; campaigning again", "role", l.name, "error", err, "in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 5*time.Second)
	}
}

// term waits for the lock, then runs fn until the lock's connection fails
// or ctx ends. led reports whether fn ran.
func (l *Leader) term(ctx context.Context, fn func(ctx context.Context)) (led bool, err error) {
	pooled, err := l.pool.Acquire(ctx)
	if err != nil {
		return false, err
	}
	// The lock belongs to this session: the connection never goes back to
	// the pool, and closing it is what releases the lock.
	conn := pooled.Hijack()
	defer conn.Close(context.Background())
	_, _ = conn.Exec(ctx, sqlCheckClient) // best effort: older servers lack it
	if _, err := conn.Exec(ctx, sqlAdvisoryLock, l.name); err != nil {
		return false, fmt.Errorf("waiting for the %s lock: %w", l.name, err)
	}
	leadCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(leadCtx)
	}()
	tick := time.NewTicker(l.check)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			cancel()
			<-done
			return true, ctx.Err()
		case <-tick.C:
			pctx, pcancel := context.WithTimeout(ctx, l.check)
			err := conn.Ping(pctx)
			pcancel()
			if err != nil {
				// The lock may already be someone else's: stop first.
				cancel()
				<-done
				return true, fmt.Errorf("lost the %s lock's connection: %w", l.name, err)
			}
		}
	}
}
