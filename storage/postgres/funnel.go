package postgres

import (
	"context"
	"encoding/binary"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/measurement/report"
)

// Funnels read the narrow copy of the events (migration 000023; the
// service bounds the range to 31 days plus the window, and the day bounds
// prune partitions): the rows of the steps' name ids over the range, each
// with its visitor id as a 64-bit hash. The person is the visitor id's
// identity cluster now, resolved here from a map of every member's hash
// to its cluster's (two people share a hash with odds of ~1e-8 at 1e6
// people): at 5 M events the same join in the query cost PostgreSQL
// ~0.9 s of CPU for 2.3 M rows, reading the 188,600 members 0.05 s. For a
// breakdown the query joins the visitor id's context. PostgreSQL returns
// rows unordered and they are sorted here by person then time, as
// fixed-width values (funnel_sort.go): sorting in the query (and merging parallel
// workers' sorts) cost more than reading did (EXPLAIN ANALYZE at 1 M
// events).
const (
	// The name ids a scan reads: conversions' goals and track events'
	// names among $1, and views when $1 holds "view" or their entry is in
	// $2.
	sqlFunnelNames = `SELECT id, type, name FROM measurement_funnel_names
		WHERE (type <> 'view' AND name = ANY($1)) OR (type = 'view' AND ('view' = ANY($1) OR name = ANY($2)))`
	sqlFunnelMembers = `SELECT hashtextextended(visitor_id, 0), hashtextextended(cluster_id, 0) FROM identity_members`
	funnelWhere      = `WHERE f.day >= ($1::timestamptz AT TIME ZONE 'UTC')::date AND f.day <= ($2::timestamptz AT TIME ZONE 'UTC')::date
			AND f.name = ANY($3) AND f.time >= $1 AND f.time < $2`
	sqlFunnelScan        = `SELECT f.visitor, f.time, f.name FROM measurement_funnel_events f ` + funnelWhere
	sqlFunnelScanContext = `SELECT f.visitor, f.time, f.name, coalesce(v.device, ''), coalesce(v.channel, ''), coalesce(v.locale, '')
		FROM measurement_funnel_events f LEFT JOIN measurement_kpi_visitors v ON hashtextextended(v.visitor_id, 0) = f.visitor ` + funnelWhere
)

// funnelRow is one event held for sorting: 32 bytes.
type funnelRow struct {
	unit, visitor uint64
	time          int64 // Unix microseconds
	match         uint32
	context       uint32 // index in the scan's contexts
}

// FunnelEvents implements report.FunnelStore. It holds the range's
// matching events in memory (32 bytes each, 64 while they are scattered
// into buckets) to sort them, so it refuses
// more than report.MaxFunnelEvents.
func (r *ReportStore) FunnelEvents(ctx context.Context, q report.FunnelScan, visit func(report.FunnelEvent) error) (int64, error) {
	names, entries := q.Names, q.Entries
	if names == nil {
		names = []string{}
	}
	if entries == nil {
		entries = []string{}
	}
	var held []funnelRow
	var counts [funnelBuckets]int
	contexts := []report.Context{{}}
	contextIndex := map[string]uint32{"\x00\x00": 0}
	err := reportTx(ctx, r.pool, func(tx pgx.Tx) error {
		match, err := funnelNameMatches(ctx, tx, q, names, entries)
		if err != nil || len(match) == 0 {
			return err
		}
		ids := make([]int32, 0, len(match))
		for id := range match {
			ids = append(ids, id)
		}
		persons, err := funnelPersons(ctx, tx)
		if err != nil {
			return err
		}
		sql := sqlFunnelScan
		if q.WithContext {
			sql = sqlFunnelScanContext
		}
		rows, err := tx.Query(ctx, sql, q.From, q.To, ids)
		if err != nil {
			return err
		}
		defer rows.Close()
		if err := binaryColumns(rows, 3); err != nil {
			return err
		}
		var key []byte
		for rows.Next() {
			if len(held) >= report.MaxFunnelEvents {
				return errs.Invalid("too many events", errs.FieldError{Path: "from", Message: fmt.Sprintf(
					"the range holds more than %d events of these steps: narrow from and to", report.MaxFunnelEvents)})
			}
			v := rows.RawValues()
			if len(v[0]) != 8 || len(v[1]) != 8 || len(v[2]) != 4 {
				return fmt.Errorf("a funnel row of unexpected widths %d, %d, %d", len(v[0]), len(v[1]), len(v[2]))
			}
			visitor := binary.BigEndian.Uint64(v[0])
			unit, ok := persons[visitor]
			if !ok {
				unit = visitor
			}
			row := funnelRow{unit: unit, visitor: visitor, time: int64(binary.BigEndian.Uint64(v[1])) + pgEpochMicros,
				match: match[int32(binary.BigEndian.Uint32(v[2]))]}
			if q.WithContext {
				// The key is looked up without a copy; a new context is
				// copied once.
				key = append(append(append(append(append(key[:0], v[3]...), 0), v[4]...), 0), v[5]...)
				i, ok := contextIndex[string(key)]
				if !ok {
					i = uint32(len(contexts))
					contexts = append(contexts, report.Context{Device: string(v[3]), Channel: string(v[4]), Locale: string(v[5])})
					contextIndex[string(key)] = i
				}
				row.context = i
			}
			held = append(held, row)
			counts[funnelBucket(unit)]++
		}
		return rows.Err()
	})
	if err != nil {
		if _, ok := errs.As(err); ok {
			return int64(len(held)), err
		}
		return int64(len(held)), fmt.Errorf("reading events for a funnel: %w", err)
	}
	// The walk lets held go once its rows are scattered into buckets.
	n := int64(len(held))
	rows := held
	held = nil
	err = walkFunnelRows(rows, &counts, func(row funnelRow) error {
		return visit(report.FunnelEvent{Unit: row.unit, Visitor: row.visitor, Time: time.UnixMicro(row.time).UTC(),
			Match: row.match, Context: contexts[row.context]})
	})
	return n, err
}

// funnelNameMatches reads the name ids q reads, with the steps each
// matches.
func funnelNameMatches(ctx context.Context, tx pgx.Tx, q report.FunnelScan, names, entries []string) (map[int32]uint32, error) {
	rows, err := tx.Query(ctx, sqlFunnelNames, names, entries)
	if err != nil {
		return nil, err
	}
	at := func(list []string, match []uint32, key string) uint32 {
		if i := slices.Index(list, key); i >= 0 && i < len(match) {
			return match[i]
		}
		return 0
	}
	out := map[int32]uint32{}
	var id int32
	var typ, name string
	_, err = pgx.ForEachRow(rows, []any{&id, &typ, &name}, func() error {
		if typ == "view" {
			out[id] = at(q.Names, q.NameMatch, "view") | at(q.Entries, q.EntryMatch, name)
		} else {
			out[id] = at(q.Names, q.NameMatch, name)
		}
		return nil
	})
	return out, err
}

// funnelPersons maps every identity member's visitor id hash to its
// cluster's.
func funnelPersons(ctx context.Context, tx pgx.Tx) (map[uint64]uint64, error) {
	rows, err := tx.Query(ctx, sqlFunnelMembers)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if err := binaryColumns(rows, 2); err != nil {
		return nil, err
	}
	out := map[uint64]uint64{}
	for rows.Next() {
		v := rows.RawValues()
		if len(v[0]) != 8 || len(v[1]) != 8 {
			return nil, fmt.Errorf("an identity member of unexpected widths %d, %d", len(v[0]), len(v[1]))
		}
		out[binary.BigEndian.Uint64(v[0])] = binary.BigEndian.Uint64(v[1])
	}
	return out, rows.Err()
}

// pgEpochMicros is PostgreSQL's epoch (2000-01-01 UTC) in Unix
// microseconds: a timestamptz's binary value counts from it.
const pgEpochMicros = 946_684_800_000_000

// binaryColumns makes sure rows' first n columns come in binary format,
// which a funnel decodes itself: 2.3 M rows through pgx's scan plans cost
// more than reading them did.
func binaryColumns(rows pgx.Rows, n int) error {
	fields := rows.FieldDescriptions()
	if len(fields) < n {
		return fmt.Errorf("a funnel read %d columns, want %d", len(fields), n)
	}
	for _, f := range fields[:n] {
		if f.Format != pgx.BinaryFormatCode {
			return fmt.Errorf("a funnel read column %s as text, want binary", f.Name)
		}
	}
	return nil
}

var _ report.FunnelStore = (*ReportStore)(nil)
