package postgres

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/measurement/report"
)

// Funnels read raw events (the service bounds the range to 31 days plus
// the window; the day bounds prune partitions): the ones a step can
// match, each with its person (the visitor id's identity cluster now) and
// visitor id as 64-bit hashes (two people share a hash with odds of ~1e-8
// at 1e6 people), the positions of its name and entry in the scan's lists
// and, for a breakdown, the visitor id's context. PostgreSQL returns them
// unordered (its parallel workers stream them as they scan) and they are
// sorted here by person then time, as fixed-width values: sorting in the
// query (and merging the workers' sorts) cost more than reading the
// events did (EXPLAIN ANALYZE at 1 M events).
const (
	funnelFrom  = `FROM measurement_events e LEFT JOIN identity_members m ON m.visitor_id = e.visitor_id `
	funnelWhere = `WHERE e.day >= ($1::timestamptz AT TIME ZONE 'UTC')::date AND e.day <= ($2::timestamptz AT TIME ZONE 'UTC')::date
			AND e.time >= $1 AND e.time < $2
			AND ((e.type = 'conversion' AND e.goal = ANY($3)) OR (e.type = 'track' AND e.name = ANY($3))
				OR (e.type = 'view' AND ('view' = ANY($3) OR e.entry = ANY($4))))`
	funnelColumns = `SELECT hashtextextended(coalesce(m.cluster_id, e.visitor_id), 0), hashtextextended(e.visitor_id, 0), e.time,
			coalesce(array_position($3, CASE e.type WHEN 'conversion' THEN e.goal WHEN 'track' THEN e.name ELSE 'view' END), 0),
			coalesce(CASE WHEN e.type = 'view' THEN array_position($4, e.entry) END, 0)`
	sqlFunnelScan        = funnelColumns + ` ` + funnelFrom + funnelWhere
	sqlFunnelScanContext = funnelColumns + `, coalesce(v.device, ''), coalesce(v.channel, ''), coalesce(v.locale, '') ` +
		funnelFrom + `LEFT JOIN measurement_kpi_visitors v ON v.visitor_id = e.visitor_id ` + funnelWhere
)

// funnelRow is one event held for sorting: 32 bytes.
type funnelRow struct {
	unit, visitor uint64
	time          int64 // Unix microseconds
	match         uint32
	context       uint32 // index in the scan's contexts
}

// FunnelEvents implements report.FunnelStore. It holds the range's
// matching events in memory (32 bytes each) to sort them, so it refuses
// more than report.MaxFunnelEvents.
func (r *ReportStore) FunnelEvents(ctx context.Context, q report.FunnelScan, visit func(report.FunnelEvent) error) (int64, error) {
	names, entries := q.Names, q.Entries
	if names == nil {
		names = []string{}
	}
	if entries == nil {
		entries = []string{}
	}
	match := func(list []uint32, pos int32) uint32 {
		if pos < 1 || int(pos) > len(list) {
			return 0
		}
		return list[pos-1]
	}
	var held []funnelRow
	contexts := []report.Context{{}}
	contextIndex := map[report.Context]uint32{{}: 0}
	err := reportTx(ctx, r.pool, func(tx pgx.Tx) error {
		var unit, visitor int64
		var at time.Time
		var name, entry int32
		var c report.Context
		dest := []any{&unit, &visitor, &at, &name, &entry}
		sql := sqlFunnelScan
		if q.WithContext {
			sql = sqlFunnelScanContext
			dest = append(dest, &c.Device, &c.Channel, &c.Locale)
		}
		rows, err := tx.Query(ctx, sql, q.From, q.To, names, entries)
		if err != nil {
			return err
		}
		_, err = pgx.ForEachRow(rows, dest, func() error {
			if len(held) >= report.MaxFunnelEvents {
				return errs.Invalid("too many events", errs.FieldError{Path: "from", Message: fmt.Sprintf(
					"the range holds more than %d events of these steps: narrow from and to", report.MaxFunnelEvents)})
			}
			row := funnelRow{unit: uint64(unit), visitor: uint64(visitor), time: at.UnixMicro(),
				match: match(q.NameMatch, name) | match(q.EntryMatch, entry)}
			if q.WithContext {
				i, ok := contextIndex[c]
				if !ok {
					i = uint32(len(contexts))
					contexts, contextIndex[c] = append(contexts, c), i
				}
				row.context = i
			}
			held = append(held, row)
			return nil
		})
		return err
	})
	if err != nil {
		if _, ok := errs.As(err); ok {
			return int64(len(held)), err
		}
		return int64(len(held)), fmt.Errorf("reading events for a funnel: %w", err)
	}
	slices.SortFunc(held, func(a, b funnelRow) int { return cmp.Or(cmp.Compare(a.unit, b.unit), cmp.Compare(a.time, b.time)) })
	for _, row := range held {
		if err := visit(report.FunnelEvent{Unit: row.unit, Visitor: row.visitor, Time: time.UnixMicro(row.time).UTC(),
			Match: row.match, Context: contexts[row.context]}); err != nil {
			return int64(len(held)), err
		}
	}
	return int64(len(held)), nil
}

var _ report.FunnelStore = (*ReportStore)(nil)
