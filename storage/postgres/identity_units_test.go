package postgres_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/measurement"
)

// With identity units, a person's devices are one unit: a conversion on
// the laptop stored before the phone's exposure record is found by the
// backfill (VisitorsOf: the cluster's members), and a withdrawal of
// measurement on one device forgets the person's per-unit rows and
// leaves out the batch's events it deleted, while aggregates keep what
// they counted.
func TestIdentityUnitsRollups(t *testing.T) {
	t.Parallel()
	b := setupIdentity(t)
	b.s.SetUnits(b.s.IdentityUnits())
	link := func(visitor string, at time.Duration) measurement.Event {
		return b.event(measurement.TypeIdentify, visitor, "uma", rt0.Add(at))
	}
	b.write(t, link("phone", -time.Hour), link("laptop", -time.Hour))
	cluster := b.cluster(t, "phone")
	require.Equal(t, cluster, b.cluster(t, "laptop"))

	b.write(t, buy("l-buy", "laptop", time.Minute, 10))
	_, err := b.s.WriteDecisions(t.Context(), []measurement.Decision{exposure("x-phone", "phone", 0, "a")})
	require.NoError(t, err)
	require.Equal(t, 1, b.count(t, `SELECT count(*) FROM measurement_exposures WHERE unit = $1`, cluster))
	require.Zero(t, b.count(t, `SELECT count(*) FROM measurement_exposures WHERE unit IN ('phone', 'laptop')`))
	require.Equal(t, 1, b.count(t, `SELECT count_24h::int FROM measurement_unit_values WHERE unit = $1 AND event = 'purchase'`, cluster),
		"the laptop's earlier conversion, backfilled for the person")
	require.Equal(t, metricRow{Converters: 1, Count: 1, CountSq: 1, Sum: 10, SumSq: 100}, metricOf(t, b.pool, "a", 24))

	// Withdrawn on the laptop, with a conversion before it in the same
	// batch: that conversion and a view are deleted and counted nowhere.
	w := b.event(measurement.TypeConsent, "laptop", "", rt0.Add(3*time.Minute))
	w.Withdrawn = []measurement.Purpose{measurement.PurposeMeasurement}
	view := b.event(measurement.TypeView, "laptop", "", rt0.Add(2*time.Minute))
	view.Entry = "home"
	b.write(t, buy("l-buy2", "laptop", 2*time.Minute, 5), view, w)
	require.Zero(t, b.count(t, `SELECT count(*) FROM measurement_view_daily WHERE entry = 'home'`), "the deleted view is not rolled up")
	require.Zero(t, b.count(t, `SELECT count(*) FROM measurement_exposures WHERE unit = $1`, cluster))
	require.Zero(t, b.count(t, `SELECT count(*) FROM measurement_unit_values WHERE unit = $1`, cluster))
	require.Equal(t, metricRow{Converters: 1, Count: 1, CountSq: 1, Sum: 10, SumSq: 100}, metricOf(t, b.pool, "a", 24),
		"aggregates keep their counts and gain nothing from the deleted conversion")
}

// An event stored in the same batch as the identify that links its
// visitor id counts under the person, as it would one batch later: the
// phone's exposure is the cluster's, the laptop signs in and buys in one
// batch. With visitor units nothing changes (the laptop is its own unit,
// never exposed: the purchase counts nowhere).
func TestSameBatchIdentifyCountsUnderCluster(t *testing.T) {
	t.Parallel()
	for _, people := range []bool{true, false} {
		b := setupIdentity(t)
		if people {
			b.s.SetUnits(b.s.IdentityUnits())
		}
		b.write(t, b.event(measurement.TypeIdentify, "phone", "uma", rt0.Add(-time.Hour)))
		_, err := b.s.WriteDecisions(t.Context(), []measurement.Decision{exposure("x-phone", "phone", 0, "a")})
		require.NoError(t, err)
		b.write(t, b.event(measurement.TypeIdentify, "laptop", "uma", rt0.Add(time.Minute)), buy("l-buy", "laptop", 2*time.Minute, 10))
		if !people {
			require.Equal(t, metricRow{}, metricOf(t, b.pool, "a", 24), "visitor units: the laptop was never exposed")
			continue
		}
		require.Equal(t, metricRow{Converters: 1, Count: 1, CountSq: 1, Sum: 10, SumSq: 100}, metricOf(t, b.pool, "a", 24),
			"the laptop's purchase counts for the person in the batch that linked it")
		require.Zero(t, b.count(t, `SELECT count(*) FROM measurement_unit_values WHERE unit = 'laptop'`))
	}
}
