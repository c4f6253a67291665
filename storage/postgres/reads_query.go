package postgres

import (
	"context"
	"slices"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
)

// reader is what a routed read runs on: the primary's pool when there are
// no standbys, else a routed querier.
func (s *Store) reader() querier { return readerOf(s.pool, s.reads) }

func (r *ReportStore) reader() querier { return readerOf(r.pool, r.reads) }

func readerOf(primary querier, reads *Reads) querier {
	if reads == nil || len(reads.standbys) == 0 {
		return primary
	}
	return routed{reads}
}

// WithReads routes s's published reads, search rebuild reads and reports
// through r (nil: all on the primary). It returns s.
func (s *Store) WithReads(r *Reads) *Store {
	s.reads = r
	return s
}

// WithReads routes the reports through rd (nil: all on the primary). It
// returns r.
func (r *ReportStore) WithReads(rd *Reads) *ReportStore {
	r.reads = rd
	return r
}

// routed picks the server per query (Reads.pick) and, on a standby, reads
// the whole result before returning it: any failure of the standby then
// happens inside Query, where the query can run again on the primary,
// rather than half-way through the caller's loop over the rows. Routed
// reads are small (a page, a report's aggregates), so holding one in
// memory costs little.
type routed struct{ r *Reads }

func (q routed) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	r := q.r
	if r.held.Load() {
		r.primaryReads.Add(1)
		return r.primary.Query(ctx, sql, args...)
	}
	floor := LSN(r.floor.Load())
	if s := sessionFrom(ctx); s != nil {
		if s.wrote.Load() { // the reads inside a write see it
			r.primaryReads.Add(1)
			return r.primary.Query(ctx, sql, args...)
		}
		floor = max(floor, s.after)
	}
	sb := r.pick(floor)
	if sb == nil {
		r.primaryReads.Add(1)
		return r.primary.Query(ctx, sql, args...)
	}
	rows, err := sb.pool.Query(ctx, sql, args...)
	if err == nil {
		var b *bufRows
		if b, err = buffer(rows); err == nil {
			sb.reads.Add(1)
			return b, nil
		}
	}
	if !standbyFault(ctx, err) {
		return nil, err
	}
	r.setUsable(sb, false, "a read failed: "+err.Error())
	r.fallbacks.Add(1)
	r.primaryReads.Add(1)
	return r.primary.Query(ctx, sql, args...)
}

func (q routed) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	rows, err := q.Query(ctx, sql, args...)
	return row{rows, err}
}

// row is pgx's QueryRow over Query: the first row, ErrNoRows without one.
type row struct {
	rows pgx.Rows
	err  error
}

func (r row) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	defer r.rows.Close()
	if !r.rows.Next() {
		if err := r.rows.Err(); err != nil {
			return err
		}
		return pgx.ErrNoRows
	}
	if err := r.rows.Scan(dest...); err != nil {
		return err
	}
	r.rows.Close()
	return r.rows.Err()
}

// typeMaps are decoding maps for buffered rows: a connection's own map is
// not safe to use once the connection is back in its pool. The store
// registers no custom types, so a fresh map decodes what the connection's
// would.
var typeMaps = sync.Pool{New: func() any { return pgtype.NewMap() }}

// bufRows is a result read in full, replayed through pgx.Rows.
type bufRows struct {
	fields []pgconn.FieldDescription
	values [][][]byte
	tag    pgconn.CommandTag
	i      int
	m      *pgtype.Map
	err    error
}

func buffer(rows pgx.Rows) (*bufRows, error) {
	defer rows.Close()
	// The descriptions live in the connection's buffers, reused by its
	// next query once it is back in the pool: copy them, as the values.
	b := &bufRows{fields: slices.Clone(rows.FieldDescriptions()), i: -1}
	for rows.Next() {
		raw := rows.RawValues()
		vals := make([][]byte, len(raw))
		for i, v := range raw {
			if v != nil {
				vals[i] = append(make([]byte, 0, len(v)), v...)
			}
		}
		b.values = append(b.values, vals)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	b.tag = rows.CommandTag()
	b.m = typeMaps.Get().(*pgtype.Map)
	return b, nil
}

func (b *bufRows) Close() {
	if b.m != nil {
		typeMaps.Put(b.m)
		b.m = nil
	}
	b.i = len(b.values)
}

func (b *bufRows) Err() error                                   { return b.err }
func (b *bufRows) CommandTag() pgconn.CommandTag                { return b.tag }
func (b *bufRows) FieldDescriptions() []pgconn.FieldDescription { return b.fields }
func (b *bufRows) Conn() *pgx.Conn                              { return nil }
func (b *bufRows) TypeMap() *pgtype.Map                         { return b.m }

func (b *bufRows) Next() bool {
	if b.m == nil || b.err != nil {
		return false
	}
	b.i++
	if b.i >= len(b.values) {
		b.Close()
		return false
	}
	return true
}

func (b *bufRows) Scan(dest ...any) error {
	if b.m == nil || b.i < 0 || b.i >= len(b.values) {
		return pgx.ErrNoRows
	}
	if err := pgx.ScanRow(b.m, b.fields, b.values[b.i], dest...); err != nil {
		b.err = err
		return err
	}
	return nil
}

func (b *bufRows) RawValues() [][]byte {
	if b.i < 0 || b.i >= len(b.values) {
		return nil
	}
	return b.values[b.i]
}

func (b *bufRows) Values() ([]any, error) {
	if b.m == nil || b.i < 0 || b.i >= len(b.values) {
		return nil, pgx.ErrNoRows
	}
	out := make([]any, len(b.fields))
	for i, fd := range b.fields {
		src := b.values[b.i][i]
		if src == nil {
			continue
		}
		if t, ok := b.m.TypeForOID(fd.DataTypeOID); ok {
			v, err := t.Codec.DecodeValue(b.m, fd.DataTypeOID, fd.Format, src)
			if err != nil {
				return nil, err
			}
			out[i] = v
			continue
		}
		out[i] = string(src)
	}
	return out, nil
}
