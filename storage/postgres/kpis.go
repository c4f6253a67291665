package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/mosaichq/mosaic/measurement/report"
)

// KPI reads (migration 000016). Rows are per visitor id; the person is the
// visitor id's identity cluster now (identity_members), so merges count
// for past days too. $1 and $2 are the first and last UTC day, $3..$5 say
// whether device, channel and locale are broken down by (a dimension not
// broken down by reads ""), $6 the goal (NULL: every conversion). The
// dimensions are the visitor id's context (its latest decision record).
const (
	kpiDims = `CASE WHEN $3 THEN coalesce(v.device, '') ELSE '' END AS device,
		CASE WHEN $4 THEN coalesce(v.channel, '') ELSE '' END AS channel,
		CASE WHEN $5 THEN coalesce(v.locale, '') ELSE '' END AS locale`
	kpiUnit = `coalesce(m.cluster_id, x.visitor_id)`

	// People seen per cell, and what each spent up to the last day on
	// every device (lifetime value).
	sqlKpiPeople = `WITH seen AS (
			SELECT DISTINCT ` + kpiUnit + ` AS unit, ` + kpiDims + `
			FROM measurement_kpi_days x
			LEFT JOIN measurement_kpi_visitors v ON v.visitor_id = x.visitor_id
			LEFT JOIN identity_members m ON m.visitor_id = x.visitor_id
			WHERE x.day >= $1::date AND x.day <= $2::date),
		life AS (
			SELECT ` + kpiUnit + ` AS unit, sum(x.revenue) AS revenue
			FROM measurement_kpi_conversions x LEFT JOIN identity_members m ON m.visitor_id = x.visitor_id
			WHERE x.day <= $2::date AND ($6::text IS NULL OR x.goal = $6)
			GROUP BY 1)
		SELECT s.device, s.channel, s.locale, count(*), coalesce(sum(l.revenue), 0)::float8
		FROM seen s LEFT JOIN life l ON l.unit = s.unit
		GROUP BY 1, 2, 3`

	// Conversions in the range per cell (of the visitor id converting).
	sqlKpiConversions = `SELECT device, channel, locale, count(DISTINCT unit), sum(conversions)::bigint, sum(orders)::bigint,
			sum(revenue)::float8
		FROM (SELECT ` + kpiUnit + ` AS unit, ` + kpiDims + `, x.conversions, x.orders, x.revenue
			FROM measurement_kpi_conversions x
			LEFT JOIN measurement_kpi_visitors v ON v.visitor_id = x.visitor_id
			LEFT JOIN identity_members m ON m.visitor_id = x.visitor_id
			WHERE x.day >= $1::date AND x.day <= $2::date AND ($6::text IS NULL OR x.goal = $6)) c
		GROUP BY 1, 2, 3`

	// Time to conversion: people whose first conversion ever (up to the
	// last day) fell in the range, from their first visit on any device;
	// the cell is the converting visitor id's.
	sqlKpiTimeToConversion = `WITH conv AS (
			SELECT DISTINCT ON (1) ` + kpiUnit + ` AS unit, x.visitor_id, x.first_at
			FROM measurement_kpi_conversions x LEFT JOIN identity_members m ON m.visitor_id = x.visitor_id
			WHERE x.day <= $2::date AND ($6::text IS NULL OR x.goal = $6)
			ORDER BY 1, x.first_at),
		firsts AS (SELECT * FROM conv WHERE first_at >= ($1::date)::timestamp AT TIME ZONE 'UTC'),
		seen AS (
			SELECT ` + kpiUnit + ` AS unit, min(x.first_seen) AS first_seen
			FROM measurement_kpi_visitors x LEFT JOIN identity_members m ON m.visitor_id = x.visitor_id
			WHERE ` + kpiUnit + ` IN (SELECT unit FROM firsts)
			GROUP BY 1)
		SELECT device, channel, locale, count(*),
			percentile_cont(0.5) WITHIN GROUP (ORDER BY secs), percentile_cont(0.9) WITHIN GROUP (ORDER BY secs)
		FROM (SELECT ` + kpiDims + `, greatest(0, extract(epoch FROM f.first_at - s.first_seen))::float8 AS secs
			FROM firsts f JOIN seen s ON s.unit = f.unit
			LEFT JOIN measurement_kpi_visitors v ON v.visitor_id = f.visitor_id) t
		GROUP BY 1, 2, 3`
)

// KpiTotals implements report.KpiStore.
func (r *ReportStore) KpiTotals(ctx context.Context, from, to time.Time, by report.Breakdown, goal string) ([]report.KpiTotals, error) {
	args := []any{from.Format(time.DateOnly), to.Format(time.DateOnly), by.Device, by.Channel, by.Locale, nullText(goal)}
	cells := map[report.Context]*report.KpiTotals{}
	cell := func(c report.Context) *report.KpiTotals {
		t := cells[c]
		if t == nil {
			t = &report.KpiTotals{Context: c}
			cells[c] = t
		}
		return t
	}
	read := func(what, sql string, scan func(c report.Context, rows pgx.Rows) error) error {
		rows, err := r.pool.Query(ctx, sql, args...)
		if err != nil {
			return fmt.Errorf("reading the KPI rollup (%s): %w", what, err)
		}
		defer rows.Close()
		for rows.Next() {
			var c report.Context
			if err := scan(c, rows); err != nil {
				return fmt.Errorf("reading the KPI rollup (%s): %w", what, err)
			}
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("reading the KPI rollup (%s): %w", what, err)
		}
		return nil
	}
	err := read("people", sqlKpiPeople, func(c report.Context, rows pgx.Rows) error {
		var n int64
		var life float64
		if err := rows.Scan(&c.Device, &c.Channel, &c.Locale, &n, &life); err != nil {
			return err
		}
		t := cell(c)
		t.Visitors, t.LifetimeRevenue = n, life
		return nil
	})
	if err == nil {
		err = read("conversions", sqlKpiConversions, func(c report.Context, rows pgx.Rows) error {
			var conv, n, orders int64
			var revenue float64
			if err := rows.Scan(&c.Device, &c.Channel, &c.Locale, &conv, &n, &orders, &revenue); err != nil {
				return err
			}
			t := cell(c)
			t.Converters, t.Conversions, t.Orders, t.Revenue = conv, n, orders, revenue
			return nil
		})
	}
	if err == nil {
		err = read("time to conversion", sqlKpiTimeToConversion, func(c report.Context, rows pgx.Rows) error {
			var n int64
			var med, p90 float64
			if err := rows.Scan(&c.Device, &c.Channel, &c.Locale, &n, &med, &p90); err != nil {
				return err
			}
			t := cell(c)
			t.Converted, t.MedianSeconds, t.P90Seconds = n, med, p90
			return nil
		})
	}
	if err != nil {
		return nil, err
	}
	out := make([]report.KpiTotals, 0, len(cells))
	for _, t := range cells {
		out = append(out, *t)
	}
	return out, nil
}

var _ report.KpiStore = (*ReportStore)(nil)

// Funnels read raw events (the service bounds the range to 31 days plus
// the window; the day bounds prune partitions): the ones a step can
// match, each with its person (the visitor id's identity cluster now) and
// visitor id as 64-bit hashes (fixed-width rows sort and decode faster
// than text; two people share a hash with odds of ~1e-8 at 1e6 people),
// the positions of its name and entry in the scan's lists and, for a
// breakdown, the visitor id's context; ordered by person then time, so
// the funnel is walked one person at a time.
const (
	funnelFrom  = `FROM measurement_events e LEFT JOIN identity_members m ON m.visitor_id = e.visitor_id `
	funnelWhere = `WHERE e.day >= ($1::timestamptz AT TIME ZONE 'UTC')::date AND e.day <= ($2::timestamptz AT TIME ZONE 'UTC')::date
			AND e.time >= $1 AND e.time < $2
			AND ((e.type = 'conversion' AND e.goal = ANY($3)) OR (e.type = 'track' AND e.name = ANY($3))
				OR (e.type = 'view' AND ('view' = ANY($3) OR e.entry = ANY($4))))
		ORDER BY 1, 3`
	funnelColumns = `SELECT hashtextextended(coalesce(m.cluster_id, e.visitor_id), 0), hashtextextended(e.visitor_id, 0), e.time,
			coalesce(array_position($3, CASE e.type WHEN 'conversion' THEN e.goal WHEN 'track' THEN e.name ELSE 'view' END), 0),
			coalesce(CASE WHEN e.type = 'view' THEN array_position($4, e.entry) END, 0)`
	sqlFunnelScan        = funnelColumns + ` ` + funnelFrom + funnelWhere
	sqlFunnelScanContext = funnelColumns + `, coalesce(v.device, ''), coalesce(v.channel, ''), coalesce(v.locale, '') ` +
		funnelFrom + `LEFT JOIN measurement_kpi_visitors v ON v.visitor_id = e.visitor_id ` + funnelWhere
)

// FunnelEvents implements report.FunnelStore.
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
	var n int64
	err := pgx.BeginTxFunc(ctx, r.pool, pgx.TxOptions{AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		// The sort of a month of events fits in memory rather than on disk.
		if _, err := tx.Exec(ctx, sqlFunnelWorkMem); err != nil {
			return err
		}
		var e report.FunnelEvent
		var unit, visitor int64
		var name, entry int32
		dest := []any{&unit, &visitor, &e.Time, &name, &entry}
		sql := sqlFunnelScan
		if q.WithContext {
			sql = sqlFunnelScanContext
			dest = append(dest, &e.Context.Device, &e.Context.Channel, &e.Context.Locale)
		}
		rows, err := tx.Query(ctx, sql, q.From, q.To, names, entries)
		if err != nil {
			return err
		}
		_, err = pgx.ForEachRow(rows, dest, func() error {
			n++
			e.Unit, e.Visitor = uint64(unit), uint64(visitor)
			e.Match = match(q.NameMatch, name) | match(q.EntryMatch, entry)
			return visit(e)
		})
		return err
	})
	if err != nil {
		return n, fmt.Errorf("reading events for a funnel: %w", err)
	}
	return n, nil
}

const sqlFunnelWorkMem = `SET LOCAL work_mem = '256MB'`

var _ report.FunnelStore = (*ReportStore)(nil)
