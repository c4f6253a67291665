package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Read-your-writes, by WAL position rather than by time. A request that
// writes is answered with the primary's position after its writes; the
// client sends it back (a cookie, or the Mosaic-Read-After header) and its
// routed reads then go to a standby only once that standby has replayed
// that far, else to the primary. A time pin (say, "the primary for 5 s
// after a write") would be both too long (every read of a busy editor
// on the primary while the standbys are milliseconds behind) and too short
// (a standby lagging more than the pin serves the editor a world without
// their write); a position is exact, and costs one query after a write.

// LSN is a position in the primary's write-ahead log (PostgreSQL's
// pg_lsn), written as two hexadecimal halves: 0/16B3748.
type LSN uint64

// ParseLSN reads a pg_lsn's text form.
func ParseLSN(s string) (LSN, error) {
	hi, lo, ok := strings.Cut(s, "/")
	if ok {
		h, err1 := strconv.ParseUint(hi, 16, 32)
		l, err2 := strconv.ParseUint(lo, 16, 32)
		if err1 == nil && err2 == nil {
			return LSN(h<<32 | l), nil
		}
	}
	return 0, fmt.Errorf("%q is not a WAL position such as 0/16B3748", s)
}

func (l LSN) String() string { return fmt.Sprintf("%X/%X", uint64(l)>>32, uint32(l)) }

// session is one request's read session: the position its routed reads
// must see, and whether it wrote (its later reads then go to the primary).
type session struct {
	after LSN
	wrote atomic.Bool
}

type sessionKey struct{}

// WithReadSession starts a read session for one request: its routed reads
// see at least after (zero: no more than any read). Writes made through a
// pool from NewPool with the returned context mark the session, and
// Written then tells the position to hand back to the client.
func WithReadSession(ctx context.Context, after LSN) context.Context {
	return context.WithValue(ctx, sessionKey{}, &session{after: after})
}

func sessionFrom(ctx context.Context) *session {
	s, _ := ctx.Value(sessionKey{}).(*session)
	return s
}

// Written reports whether ctx's read session wrote and, if so, the
// primary's position now, which its later reads must see. Call it once the
// writes have committed (before the response goes out).
func (r *Reads) Written(ctx context.Context) (LSN, bool, error) {
	s := sessionFrom(ctx)
	if r == nil || len(r.standbys) == 0 || s == nil || !s.wrote.Load() {
		return 0, false, nil
	}
	lsn, err := primaryLSN(ctx, r.primary)
	if err != nil {
		return 0, false, err
	}
	return lsn, true, nil
}

// NewPool opens the primary's pool with the tracer that marks a read
// session when a statement writes.
func NewPool(ctx context.Context, url string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, err
	}
	cfg.ConnConfig.Tracer = writeTracer{}
	return pgxpool.NewWithConfig(ctx, cfg)
}

// writeTracer marks the read session of a statement that changed rows or
// the schema. It sees every statement, in transactions or not, whichever
// store method sent it, so no write path can forget to say it wrote.
type writeTracer struct{}

func (writeTracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	return ctx
}

func (writeTracer) TraceQueryEnd(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryEndData) {
	if d.Err == nil && writes(d.CommandTag.String()) {
		markWrote(ctx)
	}
}

func (writeTracer) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	return ctx
}

func (writeTracer) TraceBatchQuery(ctx context.Context, _ *pgx.Conn, d pgx.TraceBatchQueryData) {
	if d.Err == nil && writes(d.CommandTag.String()) {
		markWrote(ctx)
	}
}

func (writeTracer) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

func (writeTracer) TraceCopyFromStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceCopyFromStartData) context.Context {
	return ctx
}

func (writeTracer) TraceCopyFromEnd(ctx context.Context, _ *pgx.Conn, d pgx.TraceCopyFromEndData) {
	if d.Err == nil {
		markWrote(ctx)
	}
}

func markWrote(ctx context.Context) {
	if s := sessionFrom(ctx); s != nil {
		s.wrote.Store(true)
	}
}

// writes reports whether a command tag is a write's.
func writes(tag string) bool {
	verb, _, _ := strings.Cut(tag, " ")
	switch verb {
	case "INSERT", "UPDATE", "DELETE", "MERGE", "COPY", "CREATE", "ALTER", "DROP", "TRUNCATE":
		return true
	}
	return false
}
