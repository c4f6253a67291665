package postgres_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/internal/testdb"
	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/measurement/report"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// The KPI rollup counts a batch once however often it is written, keeps
// the latest record's context whatever order records come in, counts a
// phone and a laptop as one person once identify merges them (past days
// included, as the report reads), and forgets an erased person.
func TestKpiRollup(t *testing.T) {
	t.Parallel()
	pool, _ := testdb.Schema(t)
	ctx := t.Context()
	s := postgres.NewMeasurementStore(pool)
	s.SetUnits(s.IdentityUnits())
	r := postgres.NewReportStore(pool)
	day := time.Date(rt0.Year(), rt0.Month(), rt0.Day(), 0, 0, 0, 0, time.UTC)

	phone, laptop := exposure("d1", "phone", 0, "a"), exposure("d2", "laptop", time.Minute, "a")
	laptop.Device = "desktop"
	older := exposure("d0", "laptop", -time.Hour, "a") // written last, older: keeps the desktop context
	older.Device = "tablet"
	events := []measurement.Event{buy("e1", "laptop", 2*time.Minute, 30), buy("e2", "phone", 3*time.Minute, 10)}
	for range 2 { // a redelivered batch adds nothing
		_, err := s.WriteDecisions(ctx, []measurement.Decision{phone, laptop})
		require.NoError(t, err)
		_, err = s.WriteEvents(ctx, events)
		require.NoError(t, err)
		_, err = s.WriteDecisions(ctx, []measurement.Decision{older})
		require.NoError(t, err)
	}
	totals := func(by report.Breakdown) map[report.Context]report.KpiTotals {
		total, cells, err := r.KpiTotals(ctx, day, day, by, "")
		require.NoError(t, err)
		out := map[report.Context]report.KpiTotals{}
		for _, c := range cells {
			out[c.Context] = c
		}
		if len(cells) == 0 && total.Visitors > 0 {
			out[report.Context{}] = total
		}
		return out
	}
	all := totals(report.Breakdown{})[report.Context{}]
	require.Equal(t, int64(2), all.Visitors, "two visitor ids, not yet one person")
	require.Equal(t, int64(2), all.Converters)
	require.Equal(t, int64(2), all.Conversions, "each conversion once")
	require.Equal(t, 40.0, all.Revenue)
	byDevice := totals(report.Breakdown{Device: true})
	require.Equal(t, int64(1), byDevice[report.Context{Device: "desktop"}].Visitors, "the latest record's device, not the older tablet")
	require.NotContains(t, byDevice, report.Context{Device: "tablet"})
	// first seen: the older record (-1 h); first conversion at +2 min.
	require.Equal(t, 3720.0, byDevice[report.Context{Device: "desktop"}].MedianSeconds)

	// identify merges the two: one person from then on, past days too.
	_, err := s.WriteEvents(ctx, []measurement.Event{
		{ID: "i1", Type: measurement.TypeIdentify, VisitorID: "phone", UserID: "u1", Time: rt0.Add(time.Hour), ReceivedAt: rt0.Add(time.Hour)},
		{ID: "i2", Type: measurement.TypeIdentify, VisitorID: "laptop", UserID: "u1", Time: rt0.Add(time.Hour), ReceivedAt: rt0.Add(time.Hour)}})
	require.NoError(t, err)
	all = totals(report.Breakdown{})[report.Context{}]
	require.Equal(t, int64(1), all.Visitors, "one person")
	require.Equal(t, int64(1), all.Converters)
	require.Equal(t, 40.0, all.LifetimeRevenue, "what the person spent on both devices")
	require.Equal(t, int64(1), all.Converted)
	require.Equal(t, 3720.0, all.MedianSeconds, "from the first visit on any device to the first conversion")
	byDevice = totals(report.Breakdown{Device: true})
	require.Equal(t, 40.0, byDevice[report.Context{Device: "mobile"}].LifetimeRevenue, "the person's value in every cell they were seen in")
	require.Equal(t, 10.0, byDevice[report.Context{Device: "mobile"}].Revenue, "the phone's own purchase")

	// Erasure removes the person from the KPIs.
	require.NoError(t, s.ForgetUnits(ctx, []string{"phone", "laptop"}))
	require.Empty(t, totals(report.Breakdown{}))
}
