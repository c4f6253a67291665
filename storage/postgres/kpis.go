package postgres

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/sync/errgroup"

	"github.com/mosaichq/mosaic/measurement/report"
)

// KPI reads (migration 000016). Rows are per visitor id; the person is the
// visitor id's identity cluster now (identity_members), so merges count
// for past days too, hashed to 64 bits (people are counted distinct and
// joined by it: an int8 sorts and hashes faster than text; two of 1e6
// people share a hash with odds of ~1e-8). $1 and $2 are the first and
// last UTC day, $3 the goal (NULL: every conversion). A breakdown's
// queries ($4..$6: whether device, channel and locale are broken down by;
// one not broken down by reads "") return the cells and, marked, the
// total in one pass; the total's alone skip the visitor ids' context. The
// dimensions are the visitor id's context (its latest decision record).
const (
	kpiDims = `CASE WHEN $4 THEN coalesce(v.device, '') ELSE '' END AS device,
		CASE WHEN $5 THEN coalesce(v.channel, '') ELSE '' END AS channel,
		CASE WHEN $6 THEN coalesce(v.locale, '') ELSE '' END AS locale`
	kpiNoDims    = `'' AS device, '' AS channel, '' AS locale`
	kpiUnit      = `hashtextextended(coalesce(m.cluster_id, x.visitor_id), 0)`
	kpiMember    = ` LEFT JOIN identity_members m ON m.visitor_id = x.visitor_id `
	kpiContext   = ` LEFT JOIN measurement_kpi_visitors v ON v.visitor_id = `
	kpiDayRange  = ` x.day >= $1::date AND x.day <= $2::date `
	kpiGoal      = ` ($3::text IS NULL OR x.goal = $3) `
	kpiSeenCells = `SELECT DISTINCT ` + kpiUnit + ` AS unit, ` + kpiDims + ` FROM measurement_kpi_days x` + kpiMember +
		kpiContext + `x.visitor_id WHERE` + kpiDayRange
	kpiSeenTotal = `SELECT DISTINCT ` + kpiUnit + ` AS unit FROM measurement_kpi_days x` + kpiMember + `WHERE` + kpiDayRange
	// What each person spent up to the last day, on every device.
	kpiLife = `SELECT ` + kpiUnit + ` AS unit, sum(x.revenue) AS revenue FROM measurement_kpi_conversions x` + kpiMember +
		`WHERE x.day <= $2::date AND` + kpiGoal + `GROUP BY 1`

	// People seen, and their lifetime value.
	sqlKpiPeopleTotal = `WITH seen AS (` + kpiSeenTotal + `), life AS (` + kpiLife + `)
		SELECT true, '', '', '', count(*), coalesce(sum(l.revenue), 0)::float8 FROM seen s LEFT JOIN life l ON l.unit = s.unit`
	sqlKpiPeopleCells = `WITH seen AS (` + kpiSeenCells + `), life AS (` + kpiLife + `)
		SELECT false, s.device, s.channel, s.locale, count(*), coalesce(sum(l.revenue), 0)::float8
		FROM seen s LEFT JOIN life l ON l.unit = s.unit GROUP BY 2, 3, 4
		UNION ALL SELECT true, '', '', '', count(*), coalesce(sum(l.revenue), 0)::float8
		FROM (SELECT DISTINCT unit FROM seen) s LEFT JOIN life l ON l.unit = s.unit`

	// Conversions in the range (a cell is the converting visitor id's).
	kpiConvSums            = `count(DISTINCT unit), coalesce(sum(conversions), 0)::bigint, coalesce(sum(orders), 0)::bigint, sum(revenue)::float8`
	sqlKpiConversionsTotal = `SELECT true, '', '', '', ` + kpiConvSums + ` FROM (` + kpiConvTotalFrom + `) c`
	sqlKpiConversionsCells = `WITH c AS (` + kpiConvCellsFrom + `)
		SELECT false, device, channel, locale, ` + kpiConvSums + ` FROM c GROUP BY 2, 3, 4
		UNION ALL SELECT true, '', '', '', ` + kpiConvSums + ` FROM c`
	kpiConvTotalFrom = `SELECT ` + kpiUnit + ` AS unit, x.conversions, x.orders, x.revenue FROM measurement_kpi_conversions x` +
		kpiMember + `WHERE` + kpiDayRange + `AND` + kpiGoal
	kpiConvCellsFrom = `SELECT ` + kpiUnit + ` AS unit, ` + kpiDims + `, x.conversions, x.orders, x.revenue
		FROM measurement_kpi_conversions x` + kpiMember + kpiContext + `x.visitor_id WHERE` + kpiDayRange + `AND` + kpiGoal

	// Time to conversion: people whose first conversion ever (up to the
	// last day) fell in the range, from their first visit on any device;
	// a cell is the converting visitor id's.
	kpiFirsts = `WITH conv AS (
			SELECT DISTINCT ON (1) ` + kpiUnit + ` AS unit, x.visitor_id, x.first_at
			FROM measurement_kpi_conversions x` + kpiMember + `WHERE x.day <= $2::date AND` + kpiGoal + `
			ORDER BY 1, x.first_at),
		firsts AS (SELECT * FROM conv WHERE first_at >= ($1::date)::timestamp AT TIME ZONE 'UTC'),
		seen AS (
			SELECT ` + kpiUnit + ` AS unit, min(x.first_seen) AS first_seen
			FROM measurement_kpi_visitors x` + kpiMember + `
			WHERE ` + kpiUnit + ` IN (SELECT unit FROM firsts)
			GROUP BY 1),
		t AS (SELECT f.visitor_id, greatest(0, extract(epoch FROM f.first_at - s.first_seen))::float8 AS secs
			FROM firsts f JOIN seen s ON s.unit = f.unit)`
	kpiPercentiles              = `count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY secs), percentile_cont(0.9) WITHIN GROUP (ORDER BY secs)`
	sqlKpiTimeToConversionTotal = kpiFirsts + ` SELECT true, '', '', '', ` + kpiPercentiles + ` FROM t`
	sqlKpiTimeToConversionCells = kpiFirsts + `, c AS (SELECT t.secs, ` + kpiDims + ` FROM t` + kpiContext + `t.visitor_id)
		SELECT false, device, channel, locale, ` + kpiPercentiles + ` FROM c GROUP BY 2, 3, 4
		UNION ALL SELECT true, '', '', '', ` + kpiPercentiles + ` FROM t`
)

// KpiTotals implements report.KpiStore.
func (r *ReportStore) KpiTotals(ctx context.Context, from, to time.Time, by report.Breakdown, goal string) (report.KpiTotals, []report.KpiTotals, error) {
	args := []any{from.Format(time.DateOnly), to.Format(time.DateOnly), nullText(goal)}
	people, conversions, ttc := sqlKpiPeopleTotal, sqlKpiConversionsTotal, sqlKpiTimeToConversionTotal
	cellsAsked := len(by.Dimensions()) > 0
	if cellsAsked {
		args = append(args, by.Device, by.Channel, by.Locale)
		people, conversions, ttc = sqlKpiPeopleCells, sqlKpiConversionsCells, sqlKpiTimeToConversionCells
	}
	var total report.KpiTotals
	cells := map[report.Context]*report.KpiTotals{}
	var mu sync.Mutex // cell's map, written by the three reads
	cell := func(isTotal bool, c report.Context) *report.KpiTotals {
		if isTotal {
			return &total
		}
		t := cells[c]
		if t == nil {
			t = &report.KpiTotals{Context: c}
			cells[c] = t
		}
		return t
	}
	// The three reads run at once, each in a transaction on a connection
	// of its own: each was already a statement of its own snapshot, and
	// one after the other they left a core idle (5 M events: ~3–4 s of
	// PostgreSQL CPU, the people read half of it).
	read := func(ctx context.Context, what, sql string, scan func(rows pgx.Rows) error) error {
		return reportTx(ctx, r.pool, func(tx pgx.Tx) error {
			rows, err := tx.Query(ctx, sql, args...)
			if err != nil {
				return fmt.Errorf("reading the KPI rollup (%s): %w", what, err)
			}
			defer rows.Close()
			for rows.Next() {
				mu.Lock()
				err := scan(rows)
				mu.Unlock()
				if err != nil {
					return fmt.Errorf("reading the KPI rollup (%s): %w", what, err)
				}
			}
			if err := rows.Err(); err != nil {
				return fmt.Errorf("reading the KPI rollup (%s): %w", what, err)
			}
			return nil
		})
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		var isTotal bool
		var c report.Context
		var n int64
		var life float64
		return read(gctx, "people", people, func(rows pgx.Rows) error {
			if err := rows.Scan(&isTotal, &c.Device, &c.Channel, &c.Locale, &n, &life); err != nil {
				return err
			}
			t := cell(isTotal, c)
			t.Visitors, t.LifetimeRevenue = n, life
			return nil
		})
	})
	g.Go(func() error {
		var isTotal bool
		var c report.Context
		var conv, n, orders int64
		var revenue *float64
		return read(gctx, "conversions", conversions, func(rows pgx.Rows) error {
			if err := rows.Scan(&isTotal, &c.Device, &c.Channel, &c.Locale, &conv, &n, &orders, &revenue); err != nil {
				return err
			}
			t := cell(isTotal, c)
			t.Converters, t.Conversions, t.Orders = conv, n, orders
			if revenue != nil {
				t.Revenue = *revenue
			}
			return nil
		})
	})
	g.Go(func() error {
		var isTotal bool
		var c report.Context
		var n int64
		var med, p90 *float64
		return read(gctx, "time to conversion", ttc, func(rows pgx.Rows) error {
			if err := rows.Scan(&isTotal, &c.Device, &c.Channel, &c.Locale, &n, &med, &p90); err != nil {
				return err
			}
			t := cell(isTotal, c)
			t.Converted = n
			if n > 0 && med != nil && p90 != nil {
				t.MedianSeconds, t.P90Seconds = *med, *p90
			}
			return nil
		})
	})
	err := g.Wait()
	if err != nil {
		return total, nil, err
	}
	out := make([]report.KpiTotals, 0, len(cells))
	for _, t := range cells {
		out = append(out, *t)
	}
	return total, out, nil
}

var _ report.KpiStore = (*ReportStore)(nil)

// Report reads run in a read-only transaction of their own settings:
// without JIT, which spent 1.2–2.1 s compiling each KPI query over a
// month (EXPLAIN ANALYZE, 1 M events) for a query that runs once, and
// with the memory to sort a month of rows without spilling to disk.
const sqlReportSettings = `SELECT set_config('jit', 'off', true), set_config('work_mem', '256MB', true)`

func reportTx(ctx context.Context, pool *pgxpool.Pool, fn func(pgx.Tx) error) error {
	return pgx.BeginTxFunc(ctx, pool, pgx.TxOptions{AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, sqlReportSettings); err != nil {
			return err
		}
		return fn(tx)
	})
}

var _ report.FunnelStore = (*ReportStore)(nil)
