package measurement_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/measurement"
)

func TestKpiOfEvents(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 10, 23, 0, 0, 0, time.UTC)
	v := func(f float64) *float64 { return &f }
	b := measurement.KpiOfEvents([]measurement.Event{
		{VisitorID: "v1", Type: measurement.TypeConversion, Goal: "buy", Value: v(30), Time: at.Add(time.Minute)},
		{VisitorID: "v1", Type: measurement.TypeConversion, Goal: "buy", Value: v(10), Time: at},
		{VisitorID: "v1", Type: measurement.TypeConversion, Goal: "signup", Time: at},
		{VisitorID: "v1", Type: measurement.TypeTrack, Name: "scroll", Time: at.Add(2 * time.Hour)}, // the next UTC day
		{VisitorID: "v2", Type: measurement.TypeConsent, Time: at.Add(-time.Hour)},                  // not a visit
	})
	require.Len(t, b.Visitors, 1, "a consent answer is not a visit")
	require.Equal(t, at, b.Visitors["v1"].FirstSeen)
	require.False(t, b.Visitors["v1"].HasContext, "events carry no context")
	day := time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC)
	require.Equal(t, map[measurement.KpiDay]bool{{Day: day, VisitorID: "v1"}: true, {Day: day.AddDate(0, 0, 1), VisitorID: "v1"}: true}, b.Days)
	require.Equal(t, measurement.KpiConversion{Conversions: 2, Orders: 2, Revenue: 40, FirstAt: at},
		b.Conversions[measurement.KpiConversionKey{Day: day, VisitorID: "v1", Goal: "buy"}])
	require.Equal(t, measurement.KpiConversion{Conversions: 1, FirstAt: at},
		b.Conversions[measurement.KpiConversionKey{Day: day, VisitorID: "v1", Goal: "signup"}], "no value: not an order")
}

func TestKpiOfDecisions(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 10, 12, 0, 0, 0, time.UTC)
	b := measurement.KpiOfDecisions([]measurement.Decision{
		{VisitorID: "v1", Device: "tablet", Channel: "app", Locale: "ro", Time: at.Add(time.Hour)},
		{VisitorID: "v1", Device: "mobile", Channel: "web", Locale: "en", Time: at},
		{VisitorID: "", Device: "desktop", Time: at}, // no measurement consent: nobody's visit
	})
	require.Len(t, b.Visitors, 1)
	x := b.Visitors["v1"]
	require.Equal(t, measurement.KpiVisitor{VisitorID: "v1", FirstSeen: at, HasContext: true, Device: "tablet", Channel: "app",
		Locale: "ro", ContextAt: at.Add(time.Hour)}, x, "the latest record's context, the earliest time seen")
	require.Equal(t, map[measurement.KpiDay]bool{{Day: time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC), VisitorID: "v1"}: true}, b.Days)
	require.Empty(t, b.Conversions)
}
