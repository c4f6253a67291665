package postgres_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/internal/testdb"
	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/storage/postgres"
)

var rt0 = time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)

func exposure(id, visitor string, at time.Duration, arm string) measurement.Decision {
	return measurement.Decision{ID: id, Time: rt0.Add(at), VisitorID: visitor, Device: "mobile", Channel: "web", Locale: "en", Consent: true,
		EntryID: "e1", EntrySlug: "home", EntryVersion: 1, Blocks: []measurement.BlockDecision{
			{BlockID: "hero", Variant: arm, Experiment: "hero-test", Arm: arm, Reason: measurement.ReasonExperiment}}}
}

func buy(id, visitor string, at time.Duration, value float64) measurement.Event {
	return measurement.Event{ID: id, Type: measurement.TypeConversion, VisitorID: visitor, Time: rt0.Add(at), ReceivedAt: rt0.Add(at),
		Goal: "purchase", Value: &value}
}

// metricRow is one arm's statistics for purchase in a window.
type metricRow struct {
	Converters, Count, CountSq int64
	Sum, SumSq                 float64
}

func metricOf(t *testing.T, pool *pgxpool.Pool, arm string, window int) metricRow {
	t.Helper()
	var r metricRow
	require.NoError(t, pool.QueryRow(t.Context(), `SELECT coalesce(sum(converters),0)::bigint, coalesce(sum(count),0)::bigint,
		coalesce(sum(count_sq),0)::bigint, coalesce(sum(sum),0), coalesce(sum(sum_sq),0) FROM measurement_metric_daily
		WHERE experiment = 'hero-test' AND event = 'purchase' AND arm = $1 AND window_hours = $2`, arm, window).
		Scan(&r.Converters, &r.Count, &r.CountSq, &r.Sum, &r.SumSq))
	return r
}

func exposedOf(t *testing.T, pool *pgxpool.Pool, arm string) (units, multi int64) {
	t.Helper()
	require.NoError(t, pool.QueryRow(t.Context(), `SELECT coalesce(sum(units),0)::bigint, coalesce(sum(multi_arm),0)::bigint
		FROM measurement_exposure_daily WHERE experiment = 'hero-test' AND arm = $1`, arm).Scan(&units, &multi))
	return units, multi
}

// Exposures and conversions roll up per arm, whichever is written first
// (a conversion stored before its exposure record is found when the record
// comes), events before the exposure or after a window do not count, and
// writing any batch again adds nothing.
func TestRollupsOrderAndReplay(t *testing.T) {
	t.Parallel()
	for _, eventsFirst := range []bool{false, true} {
		t.Run(fmt.Sprint("eventsFirst=", eventsFirst), func(t *testing.T) {
			t.Parallel()
			pool, _ := testdb.Schema(t)
			s := postgres.NewMeasurementStore(pool)
			ctx := t.Context()
			ds := []measurement.Decision{exposure("d1", "ann", 0, "a"), exposure("d2", "bob", 0, "b"),
				exposure("d3", "ann", time.Hour, "b"), exposure("d4", "cy", 0, "a")}
			events := []measurement.Event{
				buy("e0", "ann", -time.Minute, 500), // before the exposure
				buy("e1", "ann", time.Hour, 10), buy("e2", "ann", 30*time.Hour, 5),
				buy("e3", "bob", 2*time.Hour, 20),
				buy("e4", "bob", 40*24*time.Hour, 1000), // after the longest window
				{ID: "e5", Type: measurement.TypeTrack, VisitorID: "cy", Time: rt0.Add(time.Minute), ReceivedAt: rt0, Name: "play"},
				{ID: "e6", Type: measurement.TypeView, VisitorID: "dee", Time: rt0, ReceivedAt: rt0, Entry: "home"},
				{ID: "e7", Type: measurement.TypeView, VisitorID: "ann", Time: rt0, ReceivedAt: rt0, Entry: "home"},
				{ID: "e8", Type: measurement.TypeView, VisitorID: "ann", Time: rt0, ReceivedAt: rt0, DecisionID: "d1", BlockID: "hero"},
			}
			writeD := func() {
				_, err := s.WriteDecisions(ctx, ds)
				require.NoError(t, err)
			}
			writeE := func() {
				_, err := s.WriteEvents(ctx, events)
				require.NoError(t, err)
			}
			if eventsFirst {
				writeE()
				writeD()
			} else {
				writeD()
				writeE()
			}
			check := func() {
				t.Helper()
				u, m := exposedOf(t, pool, "a")
				require.Equal(t, [2]int64{2, 1}, [2]int64{u, m}, "ann and cy in a, ann also shown b")
				u, m = exposedOf(t, pool, "b")
				require.Equal(t, [2]int64{1, 0}, [2]int64{u, m})
				require.Equal(t, metricRow{1, 1, 1, 10, 100}, metricOf(t, pool, "a", 24))
				require.Equal(t, metricRow{1, 2, 4, 15, 225}, metricOf(t, pool, "a", 72))
				require.Equal(t, metricRow{1, 1, 1, 20, 400}, metricOf(t, pool, "b", 720))
				var plays int64
				require.NoError(t, pool.QueryRow(ctx, `SELECT sum(count) FROM measurement_metric_daily
					WHERE event = 'play' AND window_hours = 24 AND arm = 'a'`).Scan(&plays))
				require.Equal(t, int64(1), plays, "track events roll up by name")
				var other int
				require.NoError(t, pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM measurement_exposure_daily WHERE locale <> 'en')
					+ (SELECT count(*) FROM measurement_metric_daily WHERE locale <> 'en')`).Scan(&other))
				require.Zero(t, other, "cells carry the locale of first exposure")
				var views int
				require.NoError(t, pool.QueryRow(ctx, `SELECT coalesce(sum(views), 0)::int FROM measurement_view_daily
					WHERE entry = 'home' AND day = '2026-12-06'`).Scan(&views))
				require.Equal(t, 2, views, "views naming the entry (cached answers); not the one naming a decision")
			}
			check()
			// Redelivery: every batch again, and the two in the other order.
			writeE()
			writeD()
			check()
			var arms []string
			require.NoError(t, pool.QueryRow(ctx, `SELECT arms FROM measurement_exposures WHERE unit = 'ann'`).Scan(&arms))
			require.Equal(t, []string{"a", "b"}, arms)

			// Forgetting a person deletes the rows that name them, not the
			// aggregates.
			require.NoError(t, s.ForgetUnits(ctx, []string{"ann"}))
			var named int
			require.NoError(t, pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM measurement_exposures WHERE unit = 'ann')
				+ (SELECT count(*) FROM measurement_unit_values WHERE unit = 'ann')`).Scan(&named))
			require.Zero(t, named)
			require.Equal(t, metricRow{1, 2, 4, 15, 225}, metricOf(t, pool, "a", 72))
		})
	}
}

// Records without a visitor id (no measurement consent) count in
// aggregate only: no exposure row, no unit, no reach.
func TestRollupsAnonymousRecords(t *testing.T) {
	t.Parallel()
	pool, _ := testdb.Schema(t)
	s := postgres.NewMeasurementStore(pool)
	ctx := t.Context()
	anon := []measurement.Decision{exposure("a1", "", 0, "a"), exposure("a2", "", time.Minute, "a"), exposure("a3", "", 0, "b")}
	anon[0].Blocks = append(anon[0].Blocks, measurement.BlockDecision{BlockID: "p", Variant: "v", Campaign: "xmas", Reason: "campaign"})
	for range 2 {
		_, err := s.WriteDecisions(ctx, anon)
		require.NoError(t, err)
	}
	var rows, units, anonymous, reach, shown int
	require.NoError(t, pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM measurement_exposures)::int,
		(SELECT coalesce(sum(units), 0) FROM measurement_exposure_daily)::int,
		(SELECT coalesce(sum(anonymous), 0) FROM measurement_exposure_daily WHERE experiment = 'hero-test')::int,
		(SELECT coalesce(sum(units), 0) FROM measurement_campaign_daily)::int,
		(SELECT coalesce(sum(exposures), 0) FROM measurement_campaign_daily)::int`).Scan(&rows, &units, &anonymous, &reach, &shown))
	require.Equal(t, []int{0, 0, 3, 0, 1}, []int{rows, units, anonymous, reach, shown})
}

// Campaign reach counts a unit once per variant and day, and with a
// resolver that knows two visitor ids are one person, that person once.
func TestRollupsCampaignReach(t *testing.T) {
	t.Parallel()
	pool, _ := testdb.Schema(t)
	s := postgres.NewMeasurementStore(pool)
	s.SetUnits(people{"phone": "ann", "laptop": "ann"})
	ctx := t.Context()
	camp := func(id, visitor, device string, at time.Duration) measurement.Decision {
		return measurement.Decision{ID: id, Time: rt0.Add(at), VisitorID: visitor, Device: device, Channel: "web", EntryID: "e",
			EntrySlug: "home", Blocks: []measurement.BlockDecision{{BlockID: "b", Variant: "xmas-hero", Campaign: "xmas", Reason: "campaign"}}}
	}
	ds := []measurement.Decision{camp("c1", "phone", "mobile", 0), camp("c2", "laptop", "desktop", time.Minute),
		camp("c3", "bob", "mobile", 0), camp("c4", "phone", "mobile", 26*time.Hour)}
	for range 2 {
		_, err := s.WriteDecisions(ctx, ds[:2])
		require.NoError(t, err)
		_, err = s.WriteDecisions(ctx, ds)
		require.NoError(t, err)
	}
	type row struct {
		Device, Day     string
		Units, Exposure int64
	}
	rows, err := pool.Query(ctx, `SELECT device, day::text, units, exposures FROM measurement_campaign_daily
		WHERE campaign = 'xmas' AND variant = 'xmas-hero' ORDER BY day, device`)
	require.NoError(t, err)
	var got []row
	for rows.Next() {
		var r row
		require.NoError(t, rows.Scan(&r.Device, &r.Day, &r.Units, &r.Exposure))
		got = append(got, r)
	}
	// Reach rows are per visitor id (units per day count visitor ids): the
	// report resolves them to people when it reads.
	require.Equal(t, []row{{"desktop", "2026-12-06", 1, 1}, {"mobile", "2026-12-06", 2, 2}, {"mobile", "2026-12-07", 1, 1}}, got)
	var reach int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(DISTINCT unit) FROM measurement_campaign_units
		WHERE campaign = 'xmas' AND day BETWEEN '2026-12-06' AND '2026-12-07'`).Scan(&reach))
	require.Equal(t, 3, reach, "ann's phone (two days) and laptop, and bob")

	// The campaign is an exposure subject: a conversion after it counts.
	_, err = s.WriteEvents(ctx, []measurement.Event{buy("p1", "laptop", 2*time.Hour, 30), buy("p0", "bob", -time.Hour, 99)})
	require.NoError(t, err)
	var converters, units int
	require.NoError(t, pool.QueryRow(ctx, `SELECT coalesce(sum(converters), 0)::int FROM measurement_metric_daily
		WHERE experiment = 'campaign:xmas' AND event = 'purchase' AND window_hours = 24`).Scan(&converters))
	require.Equal(t, 1, converters, "ann converted after the campaign reached her; bob before")
	require.NoError(t, pool.QueryRow(ctx, `SELECT sum(units)::int FROM measurement_exposure_daily
		WHERE experiment = 'campaign:xmas'`).Scan(&units))
	require.Equal(t, 2, units)
}

// Events and records written at once by concurrent writers (two consumers,
// several replicas) roll up to exactly what a single writer gives.
func TestRollupsConcurrentWriters(t *testing.T) {
	t.Parallel()
	pool, _ := testdb.Schema(t)
	ctx := t.Context()
	const units = 60
	var ds []measurement.Decision
	var events []measurement.Event
	for i := range units {
		v := fmt.Sprint("v", i)
		ds = append(ds, exposure("d"+v, v, 0, []string{"a", "b"}[i%2]))
		for j := range i % 4 {
			events = append(events, buy(fmt.Sprint("e", v, "-", j), v, time.Duration(j+1)*time.Hour, float64(j+1)))
		}
	}
	var wg sync.WaitGroup
	write := func(f func(s *postgres.MeasurementStore) error) {
		wg.Go(func() { require.NoError(t, f(postgres.NewMeasurementStore(pool))) })
	}
	for i := 0; i < units; i += 10 {
		write(func(s *postgres.MeasurementStore) error { _, err := s.WriteDecisions(ctx, ds[i:i+10]); return err })
	}
	for i := 0; i < len(events); i += 7 {
		write(func(s *postgres.MeasurementStore) error {
			_, err := s.WriteEvents(ctx, events[i:min(i+7, len(events))])
			return err
		})
	}
	wg.Wait()
	for arm, want := range map[string]metricRow{
		// units i%2==0 (a): i%4 ∈ {0,2}: 15 with 2 events (1+2); b: i%4 ∈ {1,3}: 15 with 1, 15 with 3.
		"a": {Converters: 15, Count: 30, CountSq: 60, Sum: 45, SumSq: 135},
		"b": {Converters: 30, Count: 60, CountSq: 150, Sum: 15 + 90, SumSq: 15 + 15*36},
	} {
		require.Equal(t, want, metricOf(t, pool, arm, 72), arm)
		u, _ := exposedOf(t, pool, arm)
		require.Equal(t, int64(units/2), u)
	}
}

// measurement_unit_values has a column pair per window metrics know.
func TestRollupsWindowColumns(t *testing.T) {
	t.Parallel()
	var hours []int
	for _, w := range measurement.Windows {
		hours = append(hours, int(w/time.Hour))
	}
	require.Equal(t, hours, postgres.UnitWindowHours)
}

// people is a Units resolver over a fixed map (a stand-in for identity
// clusters, which live in another package).
type people map[string]string

func (p people) UnitsOf(_ context.Context, ids []string) (map[string]string, error) {
	out := map[string]string{}
	for _, id := range ids {
		out[id] = id
		if u, ok := p[id]; ok {
			out[id] = u
		}
	}
	return out, nil
}

func (p people) VisitorsOf(_ context.Context, units []string) (map[string][]string, error) {
	out := map[string][]string{}
	for _, u := range units {
		out[u] = []string{u}
		for v, pu := range p {
			if pu == u {
				out[u] = append(out[u], v)
			}
		}
	}
	return out, nil
}
