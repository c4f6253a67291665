package postgres

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
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
			AND f.name = ANY($3) AND f.time >= $1 AND f.time < $2 AND (f.visitor < 0) = $4`
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

// funnelParts is how many queries read a funnel's rows at once, each on
// its own connection and goroutine, over its share of the visitor id
// hashes (their sign): while one waits for PostgreSQL the other decodes,
// so both of the machine's cores work (one query: 2.78 s wall for 3.01 s
// of CPU at 5 M events).
const funnelParts = 2

// funnelPart is what one query read.
type funnelPart struct {
	held     []funnelRow
	counts   [funnelBuckets]int
	contexts []report.Context // row.context indexes these
}

// FunnelEvents implements report.FunnelStore. It holds the range's
// matching events in memory (32 bytes each, 64 while they are scattered
// into buckets) to sort them, so it refuses more than
// report.MaxFunnelEvents.
func (r *ReportStore) FunnelEvents(ctx context.Context, q report.FunnelScan, visit func(report.FunnelEvent) error) (int64, error) {
	names, entries := q.Names, q.Entries
	if names == nil {
		names = []string{}
	}
	if entries == nil {
		entries = []string{}
	}
	var match map[int32]uint32
	var persons map[uint64]uint64
	err := reportTx(ctx, r.pool, func(tx pgx.Tx) error {
		var err error
		if match, err = funnelNameMatches(ctx, tx, q, names, entries); err != nil || len(match) == 0 {
			return err
		}
		persons, err = funnelPersons(ctx, tx)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("reading events for a funnel: %w", err)
	}
	if len(match) == 0 {
		return 0, nil
	}
	ids := make([]int32, 0, len(match))
	for id := range match {
		ids = append(ids, id)
	}
	readCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	var parts [funnelParts]funnelPart
	var failed [funnelParts]error
	var total atomic.Int64
	var wg sync.WaitGroup
	for p := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := reportTx(readCtx, r.pool, func(tx pgx.Tx) error {
				return parts[p].read(readCtx, tx, q, ids, p == 0, match, persons, &total)
			})
			if err != nil {
				failed[p] = err
				cancel()
			}
		}()
	}
	wg.Wait()
	n := int64(len(parts[0].held) + len(parts[1].held))
	for _, err := range failed {
		if _, ok := errs.As(err); ok {
			return n, err
		}
	}
	for _, err := range failed {
		// The other part's cancellation is not the cause.
		if err != nil && (!errors.Is(err, context.Canceled) || ctx.Err() != nil) {
			return n, fmt.Errorf("reading events for a funnel: %w", err)
		}
	}
	if n > report.MaxFunnelEvents {
		return n, tooManyFunnelEvents()
	}
	contexts := mergeFunnelContexts(&parts)
	var counts [funnelBuckets]int
	held := make([][]funnelRow, funnelParts)
	for p := range parts {
		for b, c := range parts[p].counts {
			counts[b] += c
		}
		held[p] = parts[p].held
		parts[p].held = nil // the walk lets them go once scattered
	}
	err = walkFunnelRows(held, &counts, func(row funnelRow) error {
		return visit(report.FunnelEvent{Unit: row.unit, Visitor: row.visitor, Time: time.UnixMicro(row.time).UTC(),
			Match: row.match, Context: contexts[row.context]})
	})
	return n, err
}

func tooManyFunnelEvents() error {
	return errs.Invalid("too many events", errs.FieldError{Path: "from", Message: fmt.Sprintf(
		"the range holds more than %d events of these steps: narrow from and to", report.MaxFunnelEvents)})
}

// read reads the rows of visitor id hashes below zero (negative) or not.
// total counts every part's rows, in steps of funnelLimitStep, so the
// parts together hold at most report.MaxFunnelEvents plus a step each.
func (part *funnelPart) read(ctx context.Context, tx pgx.Tx, q report.FunnelScan, ids []int32, negative bool,
	match map[int32]uint32, persons map[uint64]uint64, total *atomic.Int64) error {
	sql := sqlFunnelScan
	if q.WithContext {
		sql = sqlFunnelScanContext
	}
	rows, err := tx.Query(ctx, sql, q.From, q.To, ids, negative)
	if err != nil {
		return err
	}
	defer rows.Close()
	if err := binaryColumns(rows, 3); err != nil {
		return err
	}
	part.contexts = []report.Context{{}}
	contextIndex := map[string]uint32{"\x00\x00": 0}
	var key []byte
	for rows.Next() {
		if len(part.held)%funnelLimitStep == 0 && total.Add(funnelLimitStep) > report.MaxFunnelEvents+funnelParts*funnelLimitStep {
			return tooManyFunnelEvents()
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
				i = uint32(len(part.contexts))
				part.contexts = append(part.contexts, report.Context{Device: string(v[3]), Channel: string(v[4]), Locale: string(v[5])})
				contextIndex[string(key)] = i
			}
			row.context = i
		}
		part.held = append(part.held, row)
		part.counts[funnelBucket(unit)]++
	}
	return rows.Err()
}

// funnelLimitStep rows are counted against the limit at a time: one
// shared counter per row would be contended by the parts.
const funnelLimitStep = 4096

// mergeFunnelContexts returns one list of the parts' contexts, the rows'
// indexes renumbered into it.
func mergeFunnelContexts(parts *[funnelParts]funnelPart) []report.Context {
	out := parts[0].contexts
	at := make(map[report.Context]uint32, len(out))
	for i, c := range out {
		at[c] = uint32(i)
	}
	for p := 1; p < funnelParts; p++ {
		renumber := make([]uint32, len(parts[p].contexts))
		same := true
		for i, c := range parts[p].contexts {
			j, ok := at[c]
			if !ok {
				j = uint32(len(out))
				out = append(out, c)
				at[c] = j
			}
			renumber[i] = j
			same = same && j == uint32(i)
		}
		if same {
			continue
		}
		for i := range parts[p].held {
			parts[p].held[i].context = renumber[parts[p].held[i].context]
		}
	}
	return out
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
