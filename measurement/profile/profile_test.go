package profile_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/measurement/profile"
)

// Windows are exact: [at−window, at], nothing after at.
func TestWindowsAreExact(t *testing.T) {
	t.Parallel()
	week := 168 * time.Hour
	p := profile.New(profile.Facts{}, []profile.Event{
		{ID: "in", Name: "v", Time: t0.Add(-week)},
		{ID: "out", Name: "v", Time: t0.Add(-week - time.Second)},
		{ID: "later", Name: "v", Time: t0.Add(time.Second)},
		{ID: "in", Name: "v", Time: t0.Add(-week)}, // a duplicate id counts once
	})
	require.Equal(t, 1, p.Count("v", t0, week))
	require.Equal(t, 2, p.Count("v", t0, week+time.Second))
	require.Equal(t, 3, p.Count("v", t0.Add(time.Second), week+2*time.Second))
	var none *profile.Profile
	require.Zero(t, none.Count("v", t0, week), "nil is an empty history")
	_, ok := none.Last("v", t0)
	require.False(t, ok)
}

// Stored events become what rules read: track by name, conversions by
// goal with their value, views as "view"; identify traits fold, latest
// wins; consent is not behaviour.
func TestFromEvents(t *testing.T) {
	t.Parallel()
	v := 120.5
	p := profile.FromEvents(2, []measurement.Event{
		{ID: "1", Type: measurement.TypeConversion, VisitorID: "a", Goal: "purchase", Value: &v, Currency: "EUR", Time: t0.Add(-time.Hour)},
		{ID: "2", Type: measurement.TypeView, VisitorID: "a", Entry: "home", BlockID: "hero", Time: t0.Add(-2 * time.Hour)},
		{ID: "3", Type: measurement.TypeIdentify, VisitorID: "a", Traits: []byte(`{"plan":"pro","n":1}`), Time: t0.Add(-time.Minute)},
		{ID: "4", Type: measurement.TypeIdentify, VisitorID: "b", Traits: []byte(`{"plan":"free"}`), Time: t0.Add(-time.Hour)},
		{ID: "5", Type: measurement.TypeConsent, VisitorID: "a", Granted: []measurement.Purpose{"measurement"}, Time: t0},
	}, nil)
	require.Equal(t, 120.5, p.Sum("purchase", "value", t0, time.Hour))
	last, _ := p.Last("purchase", t0)
	require.Equal(t, map[string]any{"value": 120.5, "currency": "EUR"}, last.Properties)
	require.Equal(t, 1, p.Count(profile.ViewEvent, t0, 3*time.Hour))
	require.Equal(t, map[string]any{"plan": "pro", "n": int64(1)}, p.Traits)
	require.Len(t, p.Events(), 2)
	require.Equal(t, t0.Add(-2*time.Hour), p.FirstSeen)
}

func TestSimulationRefusesMistakes(t *testing.T) {
	t.Parallel()
	_, err := profile.Simulation{Visitors: -1, Events: []profile.SimulatedEvent{
		{Name: "x", Ago: "soon"}, {Name: " ", Ago: "1h"}, {Name: "x", Ago: "1h", At: &t0}, {Name: "x", Ago: "-1h"},
	}}.Profile(t0, "context.profile")
	e, ok := errs.As(err)
	require.True(t, ok)
	require.Equal(t, errs.BadUserInput, e.Code)
	var paths []string
	for _, f := range e.Fields {
		paths = append(paths, f.Path)
	}
	require.Equal(t, []string{"context.profile.visitors", "context.profile.events.0.ago", "context.profile.events.1.name",
		"context.profile.events.2", "context.profile.events.3.ago"}, paths)

	p, err := profile.Simulation{Events: []profile.SimulatedEvent{{Name: "x", Ago: "90m"}, {Name: "x", At: &t0}}}.Profile(t0, "p")
	require.NoError(t, err)
	require.Equal(t, 2, p.Count("x", t0, 2*time.Hour))
	require.Equal(t, 1, p.Visitors)
}
