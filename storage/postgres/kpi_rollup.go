package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/mosaichq/mosaic/measurement"
)

// The KPI rollup (migration 000016) is kept with the others, in the
// transaction that writes a batch, from the rows the batch made new
// (measurement/kpi.go does the arithmetic). Its statements only add and
// take minima (or the latest context), which commute, so the two
// consumers need no lock for it: each statement writes its rows in one
// order (SortedKeys), and both write the tables in one order. A row with
// nothing to change is not rewritten (the visitor's WHERE, the day's DO
// NOTHING): most events of a batch are of visitor ids already seen that
// day.
const (
	sqlAddKpiVisitors = `INSERT INTO measurement_kpi_visitors AS t (visitor_id, device, channel, locale, context_at, first_seen)
		SELECT v, d, c, l, CASE WHEN h THEN at END, f
		FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bool[], $6::timestamptz[], $7::timestamptz[]) AS u(v, d, c, l, h, at, f)
		ON CONFLICT (visitor_id) DO UPDATE SET first_seen = least(t.first_seen, excluded.first_seen),
			device = CASE WHEN excluded.context_at > coalesce(t.context_at, '-infinity') THEN excluded.device ELSE t.device END,
			channel = CASE WHEN excluded.context_at > coalesce(t.context_at, '-infinity') THEN excluded.channel ELSE t.channel END,
			locale = CASE WHEN excluded.context_at > coalesce(t.context_at, '-infinity') THEN excluded.locale ELSE t.locale END,
			context_at = CASE WHEN excluded.context_at > coalesce(t.context_at, '-infinity') THEN excluded.context_at ELSE t.context_at END
		WHERE excluded.first_seen < t.first_seen OR excluded.context_at > coalesce(t.context_at, '-infinity')`
	sqlAddKpiDays = `INSERT INTO measurement_kpi_days (day, visitor_id) SELECT * FROM unnest($1::date[], $2::text[])
		ON CONFLICT DO NOTHING`
	sqlAddKpiConversions = `INSERT INTO measurement_kpi_conversions AS t (day, visitor_id, goal, conversions, orders, revenue, first_at)
		SELECT * FROM unnest($1::date[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::float8[], $7::timestamptz[])
		ON CONFLICT (day, visitor_id, goal) DO UPDATE SET conversions = t.conversions + excluded.conversions,
			orders = t.orders + excluded.orders, revenue = t.revenue + excluded.revenue, first_at = least(t.first_at, excluded.first_at)`
)

// queueKpis queues in batch the writes of a batch's contribution to the
// KPI rollup.
func queueKpis(batch *pgx.Batch, b measurement.KpiBatch) {
	if len(b.Visitors) == 0 {
		return
	}
	var ids, dev, ch, loc []string
	var has []bool
	var at, first []time.Time
	for _, v := range measurement.SortedKeys(b.Visitors, strings.Compare) {
		x := b.Visitors[v]
		ids, dev, ch, loc = append(ids, v), append(dev, x.Device), append(ch, x.Channel), append(loc, x.Locale)
		has, at, first = append(has, x.HasContext), append(at, x.ContextAt), append(first, x.FirstSeen)
	}
	batch.Queue(sqlAddKpiVisitors, ids, dev, ch, loc, has, at, first)
	var days []time.Time
	var visitors []string
	for _, k := range measurement.SortedKeys(b.Days, measurement.CompareKpiDays) {
		days, visitors = append(days, k.Day), append(visitors, k.VisitorID)
	}
	batch.Queue(sqlAddKpiDays, days, visitors)
	if len(b.Conversions) > 0 {
		var days []time.Time
		var visitors, goals []string
		var n, orders []int64
		var revenue []float64
		var firstAt []time.Time
		for _, k := range measurement.SortedKeys(b.Conversions, measurement.CompareKpiConversionKeys) {
			c := b.Conversions[k]
			days, visitors, goals = append(days, k.Day), append(visitors, k.VisitorID), append(goals, k.Goal)
			n, orders, revenue, firstAt = append(n, c.Conversions), append(orders, c.Orders), append(revenue, c.Revenue), append(firstAt, c.FirstAt)
		}
		batch.Queue(sqlAddKpiConversions, days, visitors, goals, n, orders, revenue, firstAt)
	}
}

// sendRollups sends the statements queued in batch (rollups that
// need no answer) in one round trip.
func sendRollups(ctx context.Context, tx pgx.Tx, batch *pgx.Batch) error {
	if batch.Len() == 0 {
		return nil
	}
	if err := tx.SendBatch(ctx, batch).Close(); err != nil {
		return fmt.Errorf("adding to the rollups: %w", err)
	}
	return nil
}
