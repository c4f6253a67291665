package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// sqlPartitionsOf lists a partitioned table's partitions in the current
// schema (the tables measurement writes are per schema, as in tests).
const sqlPartitionsOf = `SELECT c.relname FROM pg_inherits i
	JOIN pg_class c ON c.oid = i.inhrelid
	JOIN pg_class p ON p.oid = i.inhparent
	JOIN pg_namespace n ON n.oid = p.relnamespace
	WHERE p.relname = $1 AND n.nspname = current_schema()`

// measurementTables are the day-partitioned tables retention applies to.
var measurementTables = []string{"measurement_events", "measurement_funnel_events", "measurement_decisions"}

// DropPartitionsBefore drops, of every measurement table, the day
// partitions that end at or before cutoff: retention is a DROP TABLE per
// day, not a DELETE that scans and bloats. It returns the partitions
// dropped. Partitions whose names carry no day are left alone.
func (s *MeasurementStore) DropPartitionsBefore(ctx context.Context, cutoff time.Time) ([]string, error) {
	var dropped []string
	for _, table := range measurementTables {
		err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			// The lock that creating partitions takes: no writer makes a day
			// while it is being dropped.
			if _, err := tx.Exec(ctx, sqlLockPartitions, table); err != nil {
				return err
			}
			rows, err := tx.Query(ctx, sqlPartitionsOf, table)
			if err != nil {
				return err
			}
			names, err := pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil {
				return err
			}
			for _, name := range names {
				day, err := time.Parse("20060102", strings.TrimPrefix(name, table+"_"))
				if err != nil || day.AddDate(0, 0, 1).After(cutoff) {
					continue
				}
				// The name comes from the catalog and is quoted: never client
				// input.
				if _, err := tx.Exec(ctx, "DROP TABLE IF EXISTS "+pgx.Identifier{name}.Sanitize()); err != nil {
					return err
				}
				dropped = append(dropped, name)
				s.forgetDay(table, day)
			}
			return nil
		})
		if err != nil {
			return dropped, fmt.Errorf("dropping %s partitions before %s: %w", table, cutoff.Format(time.DateOnly), err)
		}
	}
	return dropped, nil
}

// forgetDay makes this process create the day's partition again if an
// event for it still comes (a late one, inside the acceptance window).
func (s *MeasurementStore) forgetDay(table string, day time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch table {
	case "measurement_events":
		delete(s.days, day)
	case "measurement_funnel_events":
		delete(s.funnelDays, day)
	case "measurement_decisions":
		delete(s.decisionDays, day)
	}
}

// Rollup retention. Per-unit rows (a person's exposures, metric totals
// and campaign reach days) are personal data and follow the events'
// retention; the daily aggregates are anonymous and small, and have their
// own, usually longer or unlimited, retention. Both are DELETEs by day:
// these tables are not partitioned (an upsert lands on any day).
const (
	// An exposure past the cutoff goes with its metric totals; the unit,
	// exposed again later, counts as a new unit on that day.
	sqlExpireExposures = `WITH gone AS (DELETE FROM measurement_exposures WHERE time < $1 RETURNING experiment, unit)
		DELETE FROM measurement_unit_values v USING gone g WHERE v.experiment = g.experiment AND v.unit = g.unit`
	sqlExpireCampaignUnits = `DELETE FROM measurement_campaign_units WHERE day < $1::date`
	// The KPI rollup is per visitor id (personal data), with no aggregate
	// beside it: KPIs reach back as far as this retention.
	sqlExpireKpis = `WITH d AS (DELETE FROM measurement_kpi_days WHERE day < $1::date),
		c AS (DELETE FROM measurement_kpi_conversions WHERE day < $1::date)
		DELETE FROM measurement_kpi_visitors v WHERE NOT EXISTS
			(SELECT 1 FROM measurement_kpi_days k WHERE k.visitor_id = v.visitor_id AND k.day >= $1::date)`
)

// rollupAggregates are the daily aggregate tables, each with a day column.
var rollupAggregates = []string{"measurement_exposure_daily", "measurement_metric_daily",
	"measurement_campaign_daily", "measurement_view_daily"}

// ExpireRollups deletes per-unit rollup rows older than units and, unless
// aggregates is zero, aggregate rows of days before aggregates. It takes
// the rollups' lock, so no batch counts against a row being deleted. It
// returns the rows the statements deleted (of exposures, the metric
// totals that went with them).
func (s *MeasurementStore) ExpireRollups(ctx context.Context, units, aggregates time.Time) (int64, error) {
	var n int64
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, sqlLockRollups); err != nil {
			return err
		}
		stmts := []string{sqlExpireExposures, sqlExpireCampaignUnits, sqlExpireKpis}
		args := []time.Time{units, units, units}
		if !aggregates.IsZero() {
			for _, table := range rollupAggregates {
				// Table names are this file's constants, never input.
				stmts = append(stmts, "DELETE FROM "+table+" WHERE day < $1::date")
				args = append(args, aggregates)
			}
		}
		for i, q := range stmts {
			tag, err := tx.Exec(ctx, q, args[i])
			if err != nil {
				return err
			}
			n += tag.RowsAffected()
		}
		return nil
	})
	if err != nil {
		return n, fmt.Errorf("expiring rollups: %w", err)
	}
	return n, nil
}
