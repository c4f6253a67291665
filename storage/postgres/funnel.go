package postgres

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
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
// identity cluster now, resolved here from a table of every member's
// hash to its cluster's (funnel_lookup.go) (two people share a hash with odds of ~1e-8 at 1e6
// people): at 5 M events the same join in the query cost PostgreSQL
// ~0.9 s of CPU for 2.3 M rows, reading the 188,600 members 0.05 s. For a
// breakdown every visitor id's context is read the same way, once, not
// joined in each part's query. PostgreSQL returns
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
	sqlFunnelScan     = `SELECT f.visitor, f.time, f.name FROM measurement_funnel_events f ` + funnelWhere
	sqlFunnelContexts = `SELECT hashtextextended(visitor_id, 0), coalesce(device, ''), coalesce(channel, ''), coalesce(locale, '')
		FROM measurement_kpi_visitors`
)

// funnelRow is one event held for sorting: 32 bytes.
type funnelRow struct {
	unit, visitor uint64
	time          int64 // Unix microseconds
	match         uint32
	context       uint32 // index in funnelContexts.list
}

// funnelParts is how many queries read a funnel's rows at once, each on
// its own connection and goroutine, over its share of the range's days
// (funnelSplit): while one waits for PostgreSQL the other decodes, so
// both of the machine's cores work (one query: 2.78 s wall for 3.01 s of
// CPU at 5 M events). Split by day, each query reads its own partitions
// only; split by the sign of the visitor id hash, as first done, each
// scanned every partition and dropped half the rows (1.3 s of
// PostgreSQL CPU at 5 M events instead of ~1 s).
const funnelParts = 2

// funnelChunkRows is the length of the chunks a part holds its rows in:
// appended to one slice, 2.3 M rows were copied again at every growth
// (~0.07 s of CPU at 5 M events).
const funnelChunkRows = 1 << 16

// funnelPart is what one query read.
type funnelPart struct {
	chunks [][]funnelRow
	n      int
	counts [funnelBuckets]int
}

func (part *funnelPart) add(row funnelRow) {
	if len(part.chunks) == 0 || len(part.chunks[len(part.chunks)-1]) == funnelChunkRows {
		part.chunks = append(part.chunks, make([]funnelRow, 0, funnelChunkRows))
	}
	last := &part.chunks[len(part.chunks)-1]
	*last = append(*last, row)
	part.n++
	part.counts[funnelBucket(row.unit)]++
}

// funnelSplit cuts [from, to) into at most parts ranges at UTC
// midnights, as even in days as they can be: a part's day bounds then
// prune the partitions the others read.
func funnelSplit(from, to time.Time, parts int) []time.Time {
	first := from.UTC().Truncate(24 * time.Hour)
	days := int(to.Sub(first)/(24*time.Hour)) + 1
	bounds := []time.Time{from}
	for p := 1; p < parts; p++ {
		at := first.AddDate(0, 0, p*days/parts)
		if at.After(bounds[len(bounds)-1]) && at.Before(to) {
			bounds = append(bounds, at)
		}
	}
	return append(bounds, to)
}

// FunnelEvents implements report.FunnelStore: FunnelEventParts with
// one walker.
func (r *ReportStore) FunnelEvents(ctx context.Context, q report.FunnelScan, visit func(report.FunnelEvent) error) (int64, error) {
	return r.FunnelEventParts(ctx, q, 1, func(_ int, e report.FunnelEvent) error { return visit(e) })
}

// FunnelEventParts implements report.FunnelPartsStore. It holds the
// range's matching events in memory (32 bytes each, 64 while they are
// scattered into buckets) to sort them, so it refuses more than
// report.MaxFunnelEvents.
func (r *ReportStore) FunnelEventParts(ctx context.Context, q report.FunnelScan, walkers int, visit func(int, report.FunnelEvent) error) (int64, error) {
	walkers = max(walkers, 1)
	names, entries := q.Names, q.Entries
	if names == nil {
		names = []string{}
	}
	if entries == nil {
		entries = []string{}
	}
	readCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	// The identity members (and for a breakdown the visitor ids'
	// contexts) are read while the names are, and while the parts'
	// queries run: a part waits for them only to decode its rows.
	var persons funnelTable
	contexts := funnelContexts{list: []report.Context{{}}} // all rows in context 0 without a breakdown
	var personsErr error
	personsRead := make(chan struct{})
	go func() {
		defer close(personsRead)
		personsErr = reportTx(readCtx, r.pool, func(tx pgx.Tx) error {
			var err error
			if persons, err = readFunnelPersons(readCtx, tx); err != nil || !q.WithContext {
				return err
			}
			contexts, err = readFunnelContexts(readCtx, tx)
			return err
		})
		if personsErr != nil {
			cancel()
		}
	}()
	var match funnelMatches
	err := reportTx(readCtx, r.pool, func(tx pgx.Tx) error {
		var err error
		match, err = funnelNameMatches(readCtx, tx, q, names, entries)
		return err
	})
	if err != nil || len(match.ids) == 0 {
		cancel()
		<-personsRead
		if err != nil {
			return 0, fmt.Errorf("reading events for a funnel: %w", err)
		}
		return 0, nil
	}
	bounds := funnelSplit(q.From, q.To, funnelParts)
	parts := make([]funnelPart, len(bounds)-1)
	failed := make([]error, len(parts))
	var total atomic.Int64
	var wg sync.WaitGroup
	for p := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := reportTx(readCtx, r.pool, func(tx pgx.Tx) error {
				return parts[p].read(readCtx, tx, q, bounds[p], bounds[p+1], &match, personsRead, &persons, &contexts, &total)
			})
			if err != nil {
				failed[p] = err
				cancel()
			}
		}()
	}
	wg.Wait()
	<-personsRead
	var n int64
	for p := range parts {
		n += int64(parts[p].n)
	}
	failed = append(failed, personsErr)
	for _, err := range failed {
		if _, ok := errs.As(err); ok {
			return n, err
		}
	}
	for _, err := range failed {
		// Another part's cancellation is not the cause.
		if err != nil && (!errors.Is(err, context.Canceled) || ctx.Err() != nil) {
			return n, fmt.Errorf("reading events for a funnel: %w", err)
		}
	}
	if n > report.MaxFunnelEvents {
		return n, tooManyFunnelEvents()
	}
	held := make([]funnelHeld, len(parts))
	for p := range parts {
		held[p] = funnelHeld{chunks: parts[p].chunks, counts: &parts[p].counts}
		parts[p].chunks = nil // the walk lets them go once scattered
	}
	err = walkFunnelRows(held, walkers, func(w int, row funnelRow) error {
		return visit(w, report.FunnelEvent{Unit: row.unit, Visitor: row.visitor, Time: time.UnixMicro(row.time).UTC(),
			Match: row.match, Context: contexts.list[row.context]})
	})
	return n, err
}

func tooManyFunnelEvents() error {
	return errs.Invalid("too many events", errs.FieldError{Path: "from", Message: fmt.Sprintf(
		"the range holds more than %d events of these steps: narrow from and to", report.MaxFunnelEvents)})
}

// read reads the rows of [from, to), decoding them once persons (and
// contexts, when asked) are read. A row's context is looked up only when
// it matches the first step: a funnel is grouped by its first step's.
// total counts every part's rows, in steps of funnelLimitStep, so the
// parts together hold at most report.MaxFunnelEvents plus a step each.
func (part *funnelPart) read(ctx context.Context, tx pgx.Tx, q report.FunnelScan, from, to time.Time, match *funnelMatches,
	personsRead <-chan struct{}, persons *funnelTable, contexts *funnelContexts, total *atomic.Int64) error {
	rows, err := tx.Query(ctx, sqlFunnelScan, from, to, match.ids)
	if err != nil {
		return err
	}
	defer rows.Close()
	if err := binaryColumns(rows, 3); err != nil {
		return err
	}
	select {
	case <-personsRead:
	case <-ctx.Done():
		return ctx.Err()
	}
	for rows.Next() {
		if part.n%funnelLimitStep == 0 && total.Add(funnelLimitStep) > report.MaxFunnelEvents+funnelParts*funnelLimitStep {
			return tooManyFunnelEvents()
		}
		v := rows.RawValues()
		if len(v[0]) != 8 || len(v[1]) != 8 || len(v[2]) != 4 {
			return fmt.Errorf("a funnel row of unexpected widths %d, %d, %d", len(v[0]), len(v[1]), len(v[2]))
		}
		visitor := binary.BigEndian.Uint64(v[0])
		row := funnelRow{unit: persons.unit(visitor), visitor: visitor, time: int64(binary.BigEndian.Uint64(v[1])) + pgEpochMicros,
			match: match.of(int32(binary.BigEndian.Uint32(v[2])))}
		if q.WithContext && row.match&1 != 0 {
			row.context = contexts.of(visitor)
		}
		part.add(row)
	}
	return rows.Err()
}

// funnelLimitStep rows are counted against the limit at a time: one
// shared counter per row would be contended by the parts.
const funnelLimitStep = 4096

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

var _ report.FunnelPartsStore = (*ReportStore)(nil)
