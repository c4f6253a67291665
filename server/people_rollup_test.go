package server_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
)

// A person identified on two devices, exposed on the first and converting
// on the second, is one unit in the rollups (the identity cluster, not
// either visitor id); erasing the person deletes the per-unit rows, while
// the aggregates keep their counts (they name no one).
func TestPeopleRollupOneUnitAcrossDevices(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{Measurement: true})
	key := app.APIKey(auth.ScopeDelivery)
	admin := app.Token(auth.RoleAdmin)
	ctx := t.Context()

	// Linked first: units are resolved when rows are written, so the
	// links must be stored before the exposure and the conversion.
	ans := collect(t, app, "", "application/json", eventsBody(
		`{"id":"ru-i1","type":"identify","visitorId":"ru-phone","userId":"ru-user"}`,
		`{"id":"ru-i2","type":"identify","visitorId":"ru-laptop","userId":"ru-user"}`))
	require.Equal(t, http.StatusAccepted, ans.Status, ans.Raw)
	require.Equal(t, 2, ans.Accepted, ans.Raw)
	drained(t, app)
	var cluster string
	require.NoError(t, app.Pool.QueryRow(ctx, `SELECT id FROM identity_clusters WHERE user_id = 'ru-user'`).Scan(&cluster))

	_, arm := identified(t, app, key, "ru-phone", "mobile")
	drained(t, app)
	ans = collect(t, app, "", "application/json", eventsBody(
		`{"id":"ru-buy","type":"conversion","visitorId":"ru-laptop","goal":"ru-purchase","value":30}`))
	require.Equal(t, 1, ans.Accepted, ans.Raw)
	drained(t, app)

	units := []string{cluster, "ru-phone", "ru-laptop"}
	var exposed []string
	rows, err := app.Pool.Query(ctx, `SELECT unit || '/' || arm FROM measurement_exposures
		WHERE experiment = 'cta-test' AND unit = ANY($1)`, units)
	require.NoError(t, err)
	for rows.Next() {
		var s string
		require.NoError(t, rows.Scan(&s))
		exposed = append(exposed, s)
	}
	require.NoError(t, rows.Err())
	require.Equal(t, []string{cluster + "/" + arm}, exposed, "one unit, the person, exposed on the phone")

	var unit string
	var count int
	var sum float64
	require.NoError(t, app.Pool.QueryRow(ctx, `SELECT unit, count_24h, sum_24h FROM measurement_unit_values
		WHERE experiment = 'cta-test' AND event = 'ru-purchase'`).Scan(&unit, &count, &sum))
	require.Equal(t, cluster, unit, "the laptop's conversion counts for the person exposed on the phone")
	require.Equal(t, 1, count)
	require.InDelta(t, 30.0, sum, 1e-9)
	var converters int
	require.NoError(t, app.Pool.QueryRow(ctx, `SELECT coalesce(sum(converters), 0)::int FROM measurement_metric_daily
		WHERE experiment = 'cta-test' AND event = 'ru-purchase' AND arm = $1 AND window_hours = 24`, arm).Scan(&converters))
	require.Equal(t, 1, converters)

	r := app.Query(admin, `mutation { deleteVisitorData(userId: "ru-user") { visitors } }`, nil)
	require.Empty(t, r.Errors, r.Raw)
	var left int
	require.NoError(t, app.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM measurement_exposures WHERE unit = ANY($1))
		+ (SELECT count(*) FROM measurement_unit_values WHERE unit = ANY($1))
		+ (SELECT count(*) FROM measurement_campaign_units WHERE unit = ANY($1))`, units).Scan(&left))
	require.Zero(t, left, "erasure deletes the person's per-unit rollup rows")
	require.NoError(t, app.Pool.QueryRow(ctx, `SELECT coalesce(sum(converters), 0)::int FROM measurement_metric_daily
		WHERE experiment = 'cta-test' AND event = 'ru-purchase' AND arm = $1 AND window_hours = 24`, arm).Scan(&converters))
	require.Equal(t, 1, converters, "aggregates name no one and keep their counts")
}
