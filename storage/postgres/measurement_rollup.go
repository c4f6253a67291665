package postgres

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/mosaichq/mosaic/measurement"
)

// Rollups (migration 000014) are maintained in the transaction that
// writes a batch of events or decision records, from the rows that batch
// made new (RETURNING of the ON CONFLICT DO NOTHING move), so a batch
// redelivered by the log adds nothing twice. The arithmetic is
// measurement/rollup.go's; this file reads the previous state and writes
// the result.
//
// Events and decision records are written by two consumers that may run
// at once (and on several replicas). A conversion written before the
// record of the exposure it follows is found when the exposure is written
// (the backfill below); for that to count every event exactly once, every
// rollup step takes one advisory lock per schema after its batch's rows
// are inserted and keeps it to the commit: of an event batch and a record
// batch, the one that takes the lock second sees the other committed.
// unitWindowHours are measurement.Windows in hours: the column pairs of
// measurement_unit_values (a test checks they agree).
var unitWindowHours = [...]int{24, 72, 168, 720}

const (
	sqlLockRollups = `SELECT pg_advisory_xact_lock(hashtext('mosaic.rollups.' || current_schema()))`

	sqlExposuresOfUnits = `SELECT experiment, unit, arm, time, device, channel, locale, arms
		FROM measurement_exposures WHERE unit = ANY($1)`
	sqlExposuresByKey = `SELECT x.experiment, x.unit, x.arm, x.time, x.device, x.channel, x.locale, x.arms
		FROM measurement_exposures x
		JOIN unnest($1::text[], $2::text[]) AS k(experiment, unit) USING (experiment, unit)`
	sqlUpsertExposure = `INSERT INTO measurement_exposures (experiment, unit, arm, time, device, channel, locale, arms)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (experiment, unit) DO UPDATE SET arms = excluded.arms`
	sqlAddExposureDaily = `INSERT INTO measurement_exposure_daily AS t
			(experiment, arm, device, channel, locale, day, units, multi_arm, anonymous)
		SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::date[], $7::bigint[], $8::bigint[], $9::bigint[])
		ON CONFLICT (experiment, arm, device, channel, locale, day) DO UPDATE SET units = t.units + excluded.units,
			multi_arm = t.multi_arm + excluded.multi_arm, anonymous = t.anonymous + excluded.anonymous`

	// The events a new exposure's unit sent in its windows before the
	// exposure was written; day bounds prune the partitions.
	sqlEventsOfVisitors = `SELECT type, visitor_id, time, goal, name, value FROM measurement_events
		WHERE visitor_id = ANY($1) AND type IN ('conversion', 'track')
		AND time >= $2 AND time < $3 AND day >= $2::date AND day <= $3::date`

	// Adds to units' totals and returns the new ones: the old total is
	// the new minus what was added, so no read is needed before the write.
	// The columns are unitWindowHours' windows, in order.
	sqlAddUnitValues = `INSERT INTO measurement_unit_values AS t (experiment, unit, event,
			count_24h, sum_24h, count_72h, sum_72h, count_168h, sum_168h, count_720h, sum_720h)
		SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::float8[], $6::bigint[], $7::float8[],
			$8::bigint[], $9::float8[], $10::bigint[], $11::float8[])
		ON CONFLICT (experiment, unit, event) DO UPDATE SET
			count_24h = t.count_24h + excluded.count_24h, sum_24h = t.sum_24h + excluded.sum_24h,
			count_72h = t.count_72h + excluded.count_72h, sum_72h = t.sum_72h + excluded.sum_72h,
			count_168h = t.count_168h + excluded.count_168h, sum_168h = t.sum_168h + excluded.sum_168h,
			count_720h = t.count_720h + excluded.count_720h, sum_720h = t.sum_720h + excluded.sum_720h
		RETURNING experiment, unit, event, count_24h, sum_24h, count_72h, sum_72h, count_168h, sum_168h, count_720h, sum_720h`
	sqlAddMetricDaily = `INSERT INTO measurement_metric_daily AS t
		(experiment, arm, event, window_hours, device, channel, locale, day, converters, count, count_sq, sum, sum_sq)
		SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::date[],
			$9::bigint[], $10::bigint[], $11::bigint[], $12::float8[], $13::float8[])
		ON CONFLICT (experiment, event, window_hours, arm, device, channel, locale, day) DO UPDATE SET
			converters = t.converters + excluded.converters, count = t.count + excluded.count,
			count_sq = t.count_sq + excluded.count_sq, sum = t.sum + excluded.sum, sum_sq = t.sum_sq + excluded.sum_sq`

	sqlAddViewDaily = `INSERT INTO measurement_view_daily AS t (entry, day, views)
		SELECT * FROM unnest($1::text[], $2::date[], $3::bigint[])
		ON CONFLICT (entry, day) DO UPDATE SET views = t.views + excluded.views`

	sqlAddCampaignUnits = `INSERT INTO measurement_campaign_units (campaign, variant, day, unit, device, channel)
		SELECT * FROM unnest($1::text[], $2::text[], $3::date[], $4::text[], $5::text[], $6::text[])
		ON CONFLICT DO NOTHING RETURNING campaign, variant, day, device, channel`
	sqlAddCampaignDaily = `INSERT INTO measurement_campaign_daily AS t (campaign, variant, device, channel, day, units, exposures)
		SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[], $6::bigint[], $7::bigint[])
		ON CONFLICT (campaign, day, variant, device, channel)
		DO UPDATE SET units = t.units + excluded.units, exposures = t.exposures + excluded.exposures`
)

// metricEvent is e as metrics count it, under name.
func metricEvent(e measurement.Event, name string) measurement.MetricEvent {
	m := measurement.MetricEvent{VisitorID: e.VisitorID, Time: e.Time, Name: name}
	if e.Value != nil {
		m.Value = *e.Value
	}
	return m
}

// scanMetricEvent reads (type, visitor_id, time, goal, name, value); Name
// is "" for a type metrics do not count.
func scanMetricEvent(rows interface{ Scan(...any) error }) (measurement.MetricEvent, error) {
	var typ, visitor string
	var at time.Time
	var goal, name *string
	var value *float64
	if err := rows.Scan(&typ, &visitor, &at, &goal, &name, &value); err != nil {
		return measurement.MetricEvent{}, err
	}
	e := measurement.MetricEvent{VisitorID: visitor, Time: at, Name: measurement.MetricName(measurement.Type(typ), deref(goal), deref(name))}
	if value != nil {
		e.Value = *value
	}
	return e, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// rollEvents adds a batch's new metric events to the totals of the units
// already exposed. linked are the clusters the batch's identifies linked
// visitor ids to: with identity units, not yet seen through the pool.
func (s *MeasurementStore) rollEvents(ctx context.Context, tx pgx.Tx, events []measurement.MetricEvent, linked map[string]string) error {
	if len(events) == 0 {
		return nil
	}
	visitors := make([]string, 0, len(events))
	for _, e := range events {
		visitors = append(visitors, e.VisitorID)
	}
	unit, err := s.units.UnitsOf(ctx, distinct(visitors))
	if err != nil {
		return fmt.Errorf("resolving units: %w", err)
	}
	if _, ok := s.units.(identityUnits); ok {
		for v, c := range linked {
			if _, in := unit[v]; in {
				unit[v] = c
			}
		}
	}
	// The lock, then the exposures, in one round trip.
	b := &pgx.Batch{}
	b.Queue(sqlLockRollups)
	var xs []measurement.Exposure
	b.Queue(sqlExposuresOfUnits, distinct(mapValues(unit))).Query(func(rows pgx.Rows) error {
		var err error
		xs, err = pgx.CollectRows(rows, scanExposure)
		return err
	})
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("reading exposures: %w", err)
	}
	if len(xs) == 0 {
		return nil
	}
	byUnit, byKey := map[string][]measurement.Exposure{}, map[measurement.ExposureKey]measurement.Exposure{}
	for _, x := range xs {
		byUnit[x.Unit] = append(byUnit[x.Unit], x)
		byKey[x.Key()] = x
	}
	return s.addContributions(ctx, tx, measurement.Contributions(events, unit, byUnit), byKey)
}

// rollDecisions records a batch's new exposures and campaign reach, and
// counts the events new exposures' units sent before; the campaigns'
// daily counts are queued in batch.
func (s *MeasurementStore) rollDecisions(ctx context.Context, tx pgx.Tx, ds []measurement.Decision, batch *pgx.Batch) error {
	if len(ds) == 0 {
		return nil
	}
	visitors := make([]string, 0, len(ds))
	for _, d := range ds {
		visitors = append(visitors, d.VisitorID)
	}
	unit, err := s.units.UnitsOf(ctx, distinct(visitors))
	if err != nil {
		return fmt.Errorf("resolving units: %w", err)
	}
	if _, err := tx.Exec(ctx, sqlLockRollups); err != nil {
		return err
	}
	if err := s.rollExposures(ctx, tx, measurement.ExposuresOf(ds, unit), measurement.AnonymousExposures(ds)); err != nil {
		return fmt.Errorf("rolling up exposures: %w", err)
	}
	if err := rollCampaigns(ctx, tx, ds, batch); err != nil {
		return fmt.Errorf("rolling up campaign reach: %w", err)
	}
	return nil
}

func (s *MeasurementStore) rollExposures(ctx context.Context, tx pgx.Tx, batch []measurement.Exposure,
	anonymous map[measurement.ExposureCell]measurement.ExposureDelta) error {
	if len(batch) == 0 && len(anonymous) == 0 {
		return nil
	}
	var exps, units []string
	for _, x := range batch {
		exps, units = append(exps, x.Experiment), append(units, x.Unit)
	}
	rows, err := tx.Query(ctx, sqlExposuresByKey, exps, units)
	if err != nil {
		return err
	}
	xs, err := pgx.CollectRows(rows, scanExposure)
	if err != nil {
		return err
	}
	stored := make(map[measurement.ExposureKey]measurement.Exposure, len(xs))
	for _, x := range xs {
		stored[x.Key()] = x
	}
	write, deltas, fresh := measurement.MergeExposures(stored, batch)
	for c, a := range anonymous {
		d := deltas[c]
		d.Anonymous += a.Anonymous
		deltas[c] = d
	}
	b := &pgx.Batch{}
	for _, x := range write {
		b.Queue(sqlUpsertExposure, x.Experiment, x.Unit, x.Arm, x.Time, x.Device, x.Channel, x.Locale, x.Arms)
	}
	if len(deltas) > 0 {
		var exp, arm, dev, ch, loc []string
		var day []time.Time
		var n, multi, anon []int64
		for _, c := range measurement.SortedKeys(deltas, measurement.CompareExposureCells) {
			d := deltas[c]
			exp, arm, dev, ch, loc, day = append(exp, c.Experiment), append(arm, c.Arm), append(dev, c.Device), append(ch, c.Channel),
				append(loc, c.Locale), append(day, c.Day)
			n, multi, anon = append(n, d.Units), append(multi, d.MultiArm), append(anon, d.Anonymous)
		}
		b.Queue(sqlAddExposureDaily, exp, arm, dev, ch, loc, day, n, multi, anon)
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return err
	}
	return s.backfill(ctx, tx, fresh)
}

// backfill counts, for exposures just recorded, the events their units
// sent in their windows that were stored before (a conversion whose
// exposure record was written after it).
func (s *MeasurementStore) backfill(ctx context.Context, tx pgx.Tx, fresh []measurement.Exposure) error {
	if len(fresh) == 0 {
		return nil
	}
	byUnit, byKey := map[string][]measurement.Exposure{}, map[measurement.ExposureKey]measurement.Exposure{}
	from, to := fresh[0].Time, fresh[0].Time
	for _, x := range fresh {
		byUnit[x.Unit] = append(byUnit[x.Unit], x)
		byKey[x.Key()] = x
		from, to = minTime(from, x.Time), maxTime(to, x.Time)
	}
	units := make([]string, 0, len(byUnit))
	for u := range byUnit {
		units = append(units, u)
	}
	vis, err := s.units.VisitorsOf(ctx, units)
	if err != nil {
		return fmt.Errorf("resolving visitors of units: %w", err)
	}
	unit, visitors := map[string]string{}, []string{}
	for u, vs := range vis {
		for _, v := range vs {
			unit[v] = u
			visitors = append(visitors, v)
		}
	}
	rows, err := tx.Query(ctx, sqlEventsOfVisitors, visitors, from, to.Add(measurement.MaxWindow()))
	if err != nil {
		return err
	}
	events, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (measurement.MetricEvent, error) { return scanMetricEvent(r) })
	if err != nil {
		return err
	}
	events = slices.DeleteFunc(events, func(e measurement.MetricEvent) bool { return e.Name == "" })
	return s.addContributions(ctx, tx, measurement.Contributions(events, unit, byUnit), byKey)
}

// addContributions adds contributions to the units' stored totals and the
// differences to the metric rollup. The totals are added in SQL and come
// back new; the previous total is the new one minus the contribution
// (for sums of values, exact up to the float rounding of one addition).
func (s *MeasurementStore) addContributions(ctx context.Context, tx pgx.Tx, contrib map[measurement.UnitKey]measurement.UnitValue,
	exposures map[measurement.ExposureKey]measurement.Exposure) error {
	if len(contrib) == 0 {
		return nil
	}
	// One row per unit and event, a column pair per window.
	type rowKey struct{ experiment, unit, event string }
	type row struct {
		counts [len(unitWindowHours)]int64
		sums   [len(unitWindowHours)]float64
	}
	byRow := map[rowKey]*row{}
	for k, v := range contrib {
		w := slices.Index(unitWindowHours[:], k.WindowHours)
		if w < 0 {
			return fmt.Errorf("no column for a %d h window", k.WindowHours)
		}
		rk := rowKey{k.Experiment, k.Unit, k.Event}
		r := byRow[rk]
		if r == nil {
			r = &row{}
			byRow[rk] = r
		}
		r.counts[w] += v.Count
		r.sums[w] += v.Sum
	}
	keys := measurement.SortedKeys(byRow, func(a, b rowKey) int {
		return cmp.Or(cmp.Compare(a.experiment, b.experiment), cmp.Compare(a.unit, b.unit), cmp.Compare(a.event, b.event))
	})
	args := make([]any, 3+2*len(unitWindowHours))
	var exp, units, ev []string
	counts := make([][]int64, len(unitWindowHours))
	sums := make([][]float64, len(unitWindowHours))
	for _, k := range keys {
		exp, units, ev = append(exp, k.experiment), append(units, k.unit), append(ev, k.event)
		for w := range unitWindowHours {
			counts[w], sums[w] = append(counts[w], byRow[k].counts[w]), append(sums[w], byRow[k].sums[w])
		}
	}
	args[0], args[1], args[2] = exp, units, ev
	for w := range unitWindowHours {
		args[3+2*w], args[4+2*w] = counts[w], sums[w]
	}
	rows, err := tx.Query(ctx, sqlAddUnitValues, args...)
	if err != nil {
		return err
	}
	previous := make(map[measurement.UnitKey]measurement.UnitValue, len(contrib))
	var rk rowKey
	var now row
	dest := []any{&rk.experiment, &rk.unit, &rk.event}
	for w := range unitWindowHours {
		dest = append(dest, &now.counts[w], &now.sums[w])
	}
	if _, err := pgx.ForEachRow(rows, dest, func() error {
		for w, hours := range unitWindowHours {
			k := measurement.UnitKey{Experiment: rk.experiment, Unit: rk.unit, Event: rk.event, WindowHours: hours}
			if add, ok := contrib[k]; ok {
				previous[k] = measurement.UnitValue{Count: now.counts[w] - add.Count, Sum: now.sums[w] - add.Sum}
			}
		}
		return nil
	}); err != nil {
		return fmt.Errorf("adding to unit totals: %w", err)
	}
	_, deltas := measurement.ApplyContributions(previous, contrib, exposures)
	var m struct {
		exp, arm, ev, dev, ch, loc []string
		win                        []int32
		day                        []time.Time
		conv, count, countSq       []int64
		sum, sumSq                 []float64
	}
	for _, c := range measurement.SortedKeys(deltas, measurement.CompareMetricCells) {
		d := deltas[c]
		m.exp, m.arm, m.ev, m.win = append(m.exp, c.Experiment), append(m.arm, c.Arm), append(m.ev, c.Event), append(m.win, int32(c.WindowHours))
		m.dev, m.ch, m.loc, m.day = append(m.dev, c.Device), append(m.ch, c.Channel), append(m.loc, c.Locale), append(m.day, c.Day)
		m.conv, m.count, m.countSq = append(m.conv, d.Converters), append(m.count, d.Count), append(m.countSq, d.CountSq)
		m.sum, m.sumSq = append(m.sum, d.Sum), append(m.sumSq, d.SumSq)
	}
	_, err = tx.Exec(ctx, sqlAddMetricDaily, m.exp, m.arm, m.ev, m.win, m.dev, m.ch, m.loc, m.day, m.conv, m.count, m.countSq, m.sum, m.sumSq)
	return err
}

// rollCampaigns adds a batch's campaign exposures and the visitor ids
// reached for the first time that day. Reach rows are per visitor id, not
// per person (migration 000023): the report resolves them to people when
// it reads (reports.go), so a merge or an unmerge after the exposure
// counts there. The daily counts are queued in batch.
func rollCampaigns(ctx context.Context, tx pgx.Tx, ds []measurement.Decision, batch *pgx.Batch) error {
	reached, exposures := measurement.CampaignExposuresOf(ds, nil)
	if len(exposures) == 0 {
		return nil
	}
	var camp, variant, units, dev, ch []string
	var day []time.Time
	for _, r := range reached {
		camp, variant, day, units = append(camp, r.Campaign), append(variant, r.Variant), append(day, r.Day), append(units, r.Unit)
		dev, ch = append(dev, r.Device), append(ch, r.Channel)
	}
	rows, err := tx.Query(ctx, sqlAddCampaignUnits, camp, variant, day, units, dev, ch)
	if err != nil {
		return err
	}
	reach := map[measurement.CampaignCell]int64{}
	var c measurement.CampaignCell
	if _, err := pgx.ForEachRow(rows, []any{&c.Campaign, &c.Variant, &c.Day, &c.Device, &c.Channel}, func() error {
		c.Day = c.Day.UTC()
		reach[c]++
		return nil
	}); err != nil {
		return err
	}
	for c := range reach {
		if _, ok := exposures[c]; !ok {
			exposures[c] = 0
		}
	}
	camp, variant, dev, ch, day = camp[:0], variant[:0], dev[:0], ch[:0], day[:0]
	var n, shown []int64
	for _, c := range measurement.SortedKeys(exposures, measurement.CompareCampaignCells) {
		camp, variant, dev, ch, day = append(camp, c.Campaign), append(variant, c.Variant), append(dev, c.Device), append(ch, c.Channel), append(day, c.Day)
		n, shown = append(n, reach[c]), append(shown, exposures[c])
	}
	batch.Queue(sqlAddCampaignDaily, camp, variant, dev, ch, day, n, shown)
	return nil
}

// queueViews queues in batch the addition of views per entry and day; no
// lock: additions commute, and rows are updated in one order.
func queueViews(batch *pgx.Batch, views map[measurement.ViewCell]int64) {
	if len(views) == 0 {
		return
	}
	var entries []string
	var days []time.Time
	var n []int64
	for _, c := range measurement.SortedKeys(views, func(a, b measurement.ViewCell) int {
		return cmp.Or(cmp.Compare(a.Entry, b.Entry), a.Day.Compare(b.Day))
	}) {
		entries, days, n = append(entries, c.Entry), append(days, c.Day), append(n, views[c])
	}
	batch.Queue(sqlAddViewDaily, entries, days, n)
}

func scanExposure(row pgx.CollectableRow) (measurement.Exposure, error) {
	var x measurement.Exposure
	err := row.Scan(&x.Experiment, &x.Unit, &x.Arm, &x.Time, &x.Device, &x.Channel, &x.Locale, &x.Arms)
	return x, err
}

func distinct(s []string) []string {
	slices.Sort(s)
	return slices.Compact(s)
}

func mapValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return b
	}
	return a
}

// The per-unit rows the rollups keep, deleted when a person's data is
// erased or their measurement consent withdrawn (forgetUnits). The
// aggregate rows keep their counts: they name no one.
// The KPI rollup's rows are per visitor id (a unit that is a visitor id
// matches; a cluster id matches none) and hold no aggregate: the person
// leaves past KPIs.
const sqlForgetUnits = `WITH x AS (DELETE FROM measurement_exposures WHERE unit = ANY($1)),
	v AS (DELETE FROM measurement_unit_values WHERE unit = ANY($1)),
	kv AS (DELETE FROM measurement_kpi_visitors WHERE visitor_id = ANY($1)),
	kd AS (DELETE FROM measurement_kpi_days WHERE visitor_id = ANY($1)),
	kc AS (DELETE FROM measurement_kpi_conversions WHERE visitor_id = ANY($1))
	DELETE FROM measurement_campaign_units WHERE unit = ANY($1)`

// forgetUnits deletes units' exposures, totals and reach rows, in tx.
// Erasure and consent withdrawal (identity code) call it with the
// person's units: their cluster id and visitor ids. It takes the rollups'
// lock, so a rollup step cannot hold rows it deletes; callers hold the
// identity lock already (the one order of the two locks everywhere).
func forgetUnits(ctx context.Context, tx pgx.Tx, units []string) error {
	if _, err := tx.Exec(ctx, sqlLockRollups); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, sqlForgetUnits, units); err != nil {
		return fmt.Errorf("deleting the rollups' rows of %d units: %w", len(units), err)
	}
	return nil
}
