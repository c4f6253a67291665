package postgres_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/internal/testdb"
	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// The funnels' copy of the events holds each view, conversion and track
// event once (a redelivered batch adds nothing), none of the others, and
// loses a visitor id's rows with its events: on a withdrawal of
// measurement (up to its time) and on erasure — never another visitor's.
func TestFunnelCopyFollowsTheEvents(t *testing.T) {
	t.Parallel()
	pool, _ := testdb.Schema(t)
	s := postgres.NewMeasurementStore(pool)
	ctx := t.Context()
	ev := func(id, visitor string, typ measurement.Type, at time.Duration) measurement.Event {
		e := measurement.Event{ID: id, Type: typ, VisitorID: visitor, Time: rt0.Add(at), ReceivedAt: rt0.Add(at)}
		switch typ {
		case measurement.TypeTrack:
			e.Name = "cart"
		case measurement.TypeConversion:
			e.Goal = "purchase"
		case measurement.TypeView:
			e.Entry = "home"
		case measurement.TypeIdentify:
			e.UserID = "u-" + visitor
		}
		return e
	}
	batch := []measurement.Event{ev("a1", "ann", measurement.TypeView, 0), ev("a2", "ann", measurement.TypeTrack, time.Minute),
		ev("a3", "ann", measurement.TypeConversion, 2*time.Minute), ev("a4", "ann", measurement.TypeIdentify, 3*time.Minute),
		ev("a5", "ann", measurement.TypeTrack, 2*time.Hour),
		ev("b1", "bob", measurement.TypeTrack, time.Minute), ev("b2", "bob", measurement.TypeConversion, 2*time.Minute)}
	for range 2 {
		_, err := s.WriteEvents(ctx, batch)
		require.NoError(t, err)
	}
	rows := func(visitor string) (n int) {
		require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM measurement_funnel_events WHERE visitor = hashtextextended($1, 0)`,
			visitor).Scan(&n))
		return n
	}
	require.Equal(t, 4, rows("ann"), "a view, two tracks and a conversion; not the identify; once")
	require.Equal(t, 2, rows("bob"))
	var names []string
	require.NoError(t, pool.QueryRow(ctx, `SELECT array_agg(type || ':' || name ORDER BY type, name) FROM measurement_funnel_names`).Scan(&names))
	require.Equal(t, []string{"conversion:purchase", "track:cart", "view:home"}, names)

	withdrawal := ev("a6", "ann", measurement.TypeConsent, time.Hour)
	withdrawal.Withdrawn = []measurement.Purpose{measurement.PurposeMeasurement}
	_, err := s.WriteEvents(ctx, []measurement.Event{withdrawal})
	require.NoError(t, err)
	require.Equal(t, 1, rows("ann"), "the withdrawal deletes what came before it, not the track after it")
	require.Equal(t, 2, rows("bob"))

	_, err = s.Erase(ctx, "bob", "")
	require.NoError(t, err)
	require.Zero(t, rows("bob"))
	require.Equal(t, 1, rows("ann"))
}
