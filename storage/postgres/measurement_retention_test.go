package postgres_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/storage/postgres"
)

// Rollup retention: per-person rows before the units cutoff go (an
// exposure with its metric totals), aggregates before theirs; what is
// newer stays, and a zero aggregate cutoff keeps every aggregate.
func TestExpireRollups(t *testing.T) {
	t.Parallel()
	b := setupIdentity(t)
	old, recent := t0.AddDate(0, 0, -400), t0.AddDate(0, 0, -10)
	for _, at := range []time.Time{old, recent} {
		unit := "u" + at.Format("0102")
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`INSERT INTO measurement_exposures (experiment, unit, arm, time, arms) VALUES ('hero', $1, 'a', $2, '{a}')`, []any{unit, at}},
			{`INSERT INTO measurement_unit_values (experiment, unit, event, count_24h) VALUES ('hero', $1, 'buy', 1)`, []any{unit}},
			{`INSERT INTO measurement_campaign_units (campaign, variant, day, unit) VALUES ('sale', 'v', $2::date, $1)`, []any{unit, at}},
			{`INSERT INTO measurement_exposure_daily (experiment, arm, device, channel, locale, day, units) VALUES ('hero', 'a', '', '', '', $1::date, 1)`, []any{at}},
			{`INSERT INTO measurement_view_daily (entry, day, views) VALUES ('home', $1::date, 3)`, []any{at}},
		} {
			_, err := b.pool.Exec(t.Context(), q.sql, q.args...)
			require.NoError(t, err, q.sql)
		}
	}
	counts := func() []int {
		return []int{b.count(t, `SELECT count(*) FROM measurement_exposures`), b.count(t, `SELECT count(*) FROM measurement_unit_values`),
			b.count(t, `SELECT count(*) FROM measurement_campaign_units`), b.count(t, `SELECT count(*) FROM measurement_exposure_daily`),
			b.count(t, `SELECT count(*) FROM measurement_view_daily`)}
	}
	s := postgres.NewMeasurementStore(b.pool)
	_, err := s.ExpireRollups(t.Context(), time.Time{}, time.Time{})
	require.NoError(t, err)
	require.Equal(t, []int{2, 2, 2, 2, 2}, counts(), "zero cutoffs keep everything")

	_, err = s.ExpireRollups(t.Context(), t0.AddDate(0, 0, -395), time.Time{})
	require.NoError(t, err)
	require.Equal(t, []int{1, 1, 1, 2, 2}, counts(), "the old person rows go, every aggregate stays")
	require.Equal(t, 1, b.count(t, `SELECT count(*) FROM measurement_unit_values WHERE unit = 'u'||to_char($1::timestamptz, 'MMDD')`, recent))

	_, err = s.ExpireRollups(t.Context(), t0.AddDate(0, 0, -395), t0.AddDate(0, 0, -30))
	require.NoError(t, err)
	require.Equal(t, []int{1, 1, 1, 1, 1}, counts(), "aggregates of days before their cutoff go")
	require.Equal(t, 1, b.count(t, `SELECT count(*) FROM measurement_view_daily WHERE day = $1::date`, recent))
}
