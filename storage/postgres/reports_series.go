package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/mosaichq/mosaic/measurement/report"
)

// The per-day series and the breakdowns read the same two rollups as
// sqlArmTotals, grouped by one more column: the day of first exposure, or
// the device, channel or locale of first exposure (both rollups keep all
// three, so the units and the metric sums are partitioned alike).
const (
	sqlArmDaily = `WITH x AS (
			SELECT day, arm, sum(units)::bigint AS units, sum(multi_arm)::bigint AS multi
			FROM measurement_exposure_daily
			WHERE experiment = $1 AND day >= coalesce($4::date, '-infinity') AND day <= coalesce($5::date, 'infinity')
			GROUP BY day, arm),
		m AS (
			SELECT day, arm, sum(converters)::bigint AS converters, sum(count)::bigint AS count, sum(count_sq)::bigint AS count_sq,
				sum(sum) AS sum, sum(sum_sq) AS sum_sq
			FROM measurement_metric_daily
			WHERE experiment = $1 AND event = $2 AND window_hours = $3
				AND day >= coalesce($4::date, '-infinity') AND day <= coalesce($5::date, 'infinity')
			GROUP BY day, arm)
		SELECT coalesce(x.day, m.day), coalesce(x.arm, m.arm), coalesce(x.units, 0), coalesce(x.multi, 0), coalesce(m.converters, 0),
			coalesce(m.count, 0), coalesce(m.count_sq, 0), coalesce(m.sum, 0), coalesce(m.sum_sq, 0)
		FROM x FULL JOIN m ON m.arm = x.arm AND m.day = x.day`

	// sqlArmTotalsBy's DIM is replaced by a fixed column name from
	// dimensionColumns, never by user input.
	sqlArmTotalsBy = `WITH x AS (
			SELECT DIM AS v, arm, sum(units)::bigint AS units, sum(multi_arm)::bigint AS multi
			FROM measurement_exposure_daily
			WHERE experiment = $1 AND day >= coalesce($4::date, '-infinity') AND day <= coalesce($5::date, 'infinity')
			GROUP BY DIM, arm),
		m AS (
			SELECT DIM AS v, arm, sum(converters)::bigint AS converters, sum(count)::bigint AS count, sum(count_sq)::bigint AS count_sq,
				sum(sum) AS sum, sum(sum_sq) AS sum_sq
			FROM measurement_metric_daily
			WHERE experiment = $1 AND event = $2 AND window_hours = $3
				AND day >= coalesce($4::date, '-infinity') AND day <= coalesce($5::date, 'infinity')
			GROUP BY DIM, arm)
		SELECT coalesce(x.v, m.v), coalesce(x.arm, m.arm), coalesce(x.units, 0), coalesce(x.multi, 0), coalesce(m.converters, 0),
			coalesce(m.count, 0), coalesce(m.count_sq, 0), coalesce(m.sum, 0), coalesce(m.sum_sq, 0)
		FROM x FULL JOIN m ON m.arm = x.arm AND m.v = x.v`
)

// armTotalsBy is sqlArmTotalsBy per dimension the rollups keep.
var armTotalsBy = map[report.Dimension]string{
	report.Device:  strings.ReplaceAll(sqlArmTotalsBy, "DIM", "device"),
	report.Channel: strings.ReplaceAll(sqlArmTotalsBy, "DIM", "channel"),
	report.Locale:  strings.ReplaceAll(sqlArmTotalsBy, "DIM", "locale"),
}

// ArmDaily implements report.SeriesStore.
func (r *ReportStore) ArmDaily(ctx context.Context, experiment, event string, windowHours int, rg report.Range) ([]report.DayTotals, error) {
	rows, err := r.pool.Query(ctx, sqlArmDaily, experiment, event, windowHours, optDay(rg.From), optDay(rg.To))
	if err != nil {
		return nil, fmt.Errorf("reading the daily rollups of experiment %q: %w", experiment, err)
	}
	defer rows.Close()
	var out []report.DayTotals
	for rows.Next() {
		var t report.DayTotals
		if err := rows.Scan(&t.Day, &t.Arm, &t.Units, &t.MultiArm, &t.Converters, &t.Count, &t.CountSq, &t.Sum, &t.SumSq); err != nil {
			return nil, fmt.Errorf("reading the daily rollups of experiment %q: %w", experiment, err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// ArmTotalsBy implements report.SeriesStore.
func (r *ReportStore) ArmTotalsBy(ctx context.Context, experiment, event string, windowHours int, rg report.Range, dim report.Dimension) ([]report.CellTotals, error) {
	q, ok := armTotalsBy[dim]
	if !ok {
		return nil, fmt.Errorf("the rollups keep no %s", dim)
	}
	rows, err := r.pool.Query(ctx, q, experiment, event, windowHours, optDay(rg.From), optDay(rg.To))
	if err != nil {
		return nil, fmt.Errorf("reading the rollups of experiment %q by %s: %w", experiment, dim, err)
	}
	defer rows.Close()
	var out []report.CellTotals
	for rows.Next() {
		var t report.CellTotals
		if err := rows.Scan(&t.Value, &t.Arm, &t.Units, &t.MultiArm, &t.Converters, &t.Count, &t.CountSq, &t.Sum, &t.SumSq); err != nil {
			return nil, fmt.Errorf("reading the rollups of experiment %q by %s: %w", experiment, dim, err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
