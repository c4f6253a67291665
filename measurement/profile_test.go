package measurement_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/measurement"
)

func TestFoldConsent(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	m, p := measurement.PurposeMeasurement, measurement.PurposePersonalization
	got := measurement.FoldConsent([]measurement.Event{
		{Type: measurement.TypeConsent, VisitorID: "v1", Time: t0.Add(time.Hour), Withdrawn: []measurement.Purpose{m}},
		{Type: measurement.TypeConsent, VisitorID: "v1", Time: t0, Granted: []measurement.Purpose{m, p}},
		{Type: measurement.TypeView, VisitorID: "v1", Time: t0.Add(2 * time.Hour)},
		{Type: measurement.TypeConsent, VisitorID: "v2", Time: t0, Granted: []measurement.Purpose{p}},
	})
	require.Equal(t, []measurement.ConsentState{
		{VisitorID: "v1", Granted: []measurement.Purpose{p}, Withdrawn: []measurement.Purpose{m}, At: t0.Add(time.Hour)},
		{VisitorID: "v2", Granted: []measurement.Purpose{p}, At: t0},
	}, got)
}

// What editors ask is checked before the store is asked: the store here
// is nil, so a call that reached it would panic.
func TestPeopleRefusesBadInput(t *testing.T) {
	t.Parallel()
	p := &measurement.People{}
	ctx := t.Context()
	_, err := p.Profile(ctx, "", "")
	require.Equal(t, errs.BadUserInput, errs.CodeOf(err))
	_, err = p.Profile(ctx, "v1", "u1")
	require.Equal(t, errs.BadUserInput, errs.CodeOf(err))
	_, err = p.Erase(ctx, "", "")
	require.Equal(t, errs.BadUserInput, errs.CodeOf(err))
	_, err = p.Unmerge(ctx, "", "editor")
	require.Equal(t, errs.BadUserInput, errs.CodeOf(err))
	day := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	_, err = p.EventCounts(ctx, day, day.AddDate(0, 0, -1))
	require.Equal(t, errs.BadUserInput, errs.CodeOf(err))
	_, err = p.EventCounts(ctx, day, day.AddDate(0, 0, measurement.MaxCountDays))
	require.Equal(t, errs.BadUserInput, errs.CodeOf(err))
}
