package postgres_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/internal/testdb"
	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// Events land once per (id, day), in the partition of their day, with
// each type's fields where reads expect them; writing a batch again (a
// redelivery from the log) adds nothing.
func TestMeasurementWriteEventsIdempotent(t *testing.T) {
	t.Parallel()
	pool, _ := testdb.Schema(t)
	s := postgres.NewMeasurementStore(pool)
	ctx := t.Context()
	t0 := time.Date(2026, 12, 6, 23, 59, 59, 0, time.UTC)
	v := 19.5
	events := []measurement.Event{
		{ID: "a", Type: measurement.TypeView, VisitorID: "v1", Time: t0, ReceivedAt: t0, DecisionID: "d1", BlockID: "b1"},
		{ID: "b", Type: measurement.TypeConversion, VisitorID: "v1", UserID: "u1", Time: t0.Add(2 * time.Second), ReceivedAt: t0,
			Goal: "purchase", Value: &v, Currency: "EUR"},
		{ID: "c", Type: measurement.TypeTrack, VisitorID: "v2", Time: t0, ReceivedAt: t0, Name: "play", Properties: json.RawMessage(`{"s":1}`)},
		{ID: "d", Type: measurement.TypeConsent, VisitorID: "v2", Time: t0, ReceivedAt: t0, Granted: []measurement.Purpose{"storage"}},
		{ID: "e", Type: measurement.TypeIdentify, VisitorID: "v2", UserID: "u2", Time: t0, ReceivedAt: t0},
	}
	n, err := s.WriteEvents(ctx, events)
	require.NoError(t, err)
	require.Equal(t, 5, n)
	n, err = s.WriteEvents(ctx, append(events[:2:2], events...))
	require.NoError(t, err)
	require.Zero(t, n, "a batch written again adds nothing")
	// A fresh store (another replica) does not know the partitions exist.
	n, err = postgres.NewMeasurementStore(pool).WriteEvents(ctx, events[:1])
	require.NoError(t, err)
	require.Zero(t, n)

	var parts []string
	require.NoError(t, pool.QueryRow(ctx, `SELECT array_agg(c.relname::text ORDER BY c.relname) FROM pg_inherits i
		JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'measurement_events'::regclass`).Scan(&parts))
	require.Equal(t, []string{"measurement_events_20261206", "measurement_events_20261207"}, parts)

	var goal, currency, data string
	var value float64
	require.NoError(t, pool.QueryRow(ctx, `SELECT goal, value, currency FROM measurement_events_20261207 WHERE id = 'b'`).
		Scan(&goal, &value, &currency))
	require.Equal(t, []any{"purchase", 19.5, "EUR"}, []any{goal, value, currency})
	require.NoError(t, pool.QueryRow(ctx, `SELECT data::text FROM measurement_events WHERE id = 'd'`).Scan(&data))
	require.JSONEq(t, `{"granted":["storage"],"withdrawn":[]}`, data)
	var nulls int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM measurement_events
		WHERE id = 'a' AND user_id IS NULL AND goal IS NULL AND value IS NULL AND data IS NULL`).Scan(&nulls))
	require.Equal(t, 1, nulls, "absent fields are NULL, not empty")
}

// Retention drops whole day partitions that end at or before the cutoff,
// of both tables, and nothing newer; a late event for a dropped day gets
// its partition again.
func TestMeasurementRetentionDropsOldDays(t *testing.T) {
	t.Parallel()
	pool, _ := testdb.Schema(t)
	s := postgres.NewMeasurementStore(pool)
	ctx := t.Context()
	day := func(d int) time.Time { return time.Date(2026, 12, d, 0, 0, 0, 0, time.UTC) }
	for _, d := range []int{1, 2, 3} {
		_, err := s.WriteEvents(ctx, []measurement.Event{{ID: fmt.Sprint("e", d), Type: measurement.TypeTrack, VisitorID: "v",
			Time: day(d).Add(12 * time.Hour), ReceivedAt: day(d), Name: "play"}})
		require.NoError(t, err)
	}
	count := func(q string) int {
		var n int
		require.NoError(t, pool.QueryRow(ctx, q).Scan(&n))
		return n
	}
	partitions := `SELECT count(*) FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
		JOIN pg_namespace n ON n.oid = p.relnamespace WHERE p.relname = 'measurement_events' AND n.nspname = current_schema()`
	require.Equal(t, 3, count(partitions))

	// Cutoff inside day 3: days 1 and 2 end before it, day 3 does not.
	dropped, err := s.DropPartitionsBefore(ctx, day(3).Add(time.Hour))
	require.NoError(t, err)
	require.ElementsMatch(t, []string{"measurement_events_20261201", "measurement_events_20261202",
		"measurement_funnel_events_20261201", "measurement_funnel_events_20261202",
		"measurement_decisions_20261201", "measurement_decisions_20261202"}, dropped)
	require.Equal(t, 1, count(partitions))
	require.Equal(t, 1, count(`SELECT count(*) FROM measurement_events`), "day 3's event stays")
	require.Equal(t, 1, count(`SELECT count(*) FROM measurement_funnel_events`), "and its funnels' copy")

	again, err := s.DropPartitionsBefore(ctx, day(3).Add(time.Hour))
	require.NoError(t, err)
	require.Empty(t, again, "nothing left to drop")

	// The store forgot the dropped days: a late event makes its day again.
	n, err := s.WriteEvents(ctx, []measurement.Event{{ID: "late", Type: measurement.TypeTrack, VisitorID: "v",
		Time: day(2).Add(time.Hour), ReceivedAt: day(3), Name: "play"}})
	require.NoError(t, err)
	require.Equal(t, 1, n)
}

// The staging table is created once per connection, and only counted as
// there once the transaction that created it committed: a first batch the
// store refuses (its CREATE rolled back with it) leaves the connection
// able to stage the next. One connection, so every write shares it.
func TestMeasurementStagingAfterRefusedBatch(t *testing.T) {
	t.Parallel()
	_, url := testdb.Schema(t)
	cfg, err := pgxpool.ParseConfig(url)
	require.NoError(t, err)
	cfg.MaxConns = 1
	pool, err := pgxpool.NewWithConfig(t.Context(), cfg)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	s := postgres.NewMeasurementStore(pool)
	ctx := t.Context()
	t0 := time.Now().UTC().Add(-time.Minute)
	track := func(id, props string) []measurement.Event {
		return []measurement.Event{{ID: id, Type: measurement.TypeTrack, VisitorID: "v1", Time: t0, ReceivedAt: t0,
			Name: "play", Properties: json.RawMessage(props)}}
	}
	_, err = s.WriteEvents(ctx, track("bad", `{"unterminated`))
	require.Error(t, err, "not JSON: refused by the jsonb column")
	for _, id := range []string{"a", "b"} {
		n, err := s.WriteEvents(ctx, track(id, `{"s":1}`))
		require.NoError(t, err)
		require.Equal(t, 1, n)
	}
	var stored int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM measurement_events`).Scan(&stored))
	require.Equal(t, 2, stored)
}
