package postgres_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/internal/testdb"
	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// The caps counter's load reads each person's records through the
// (visitor_id, time) index, never by scanning the day's records: the
// member's id comes from identity_members, whose visitor_id is COLLATE
// "C", and compared under "C" the index could not be used — each visitor
// of a batch scanned the partition, so loads grew with all the day's
// traffic (bench/RESULTS.md, "The caps counter's reloads").
func TestCapRecordsUseTheVisitorIndex(t *testing.T) {
	t.Parallel()
	pool, _ := testdb.Schema(t)
	store := postgres.NewMeasurementStore(pool)
	now := time.Now().UTC()
	var ids []string
	var since []time.Time
	for v := range 40 {
		ids, since = append(ids, fmt.Sprint("v", v)), append(since, time.Time{})
		var ds []measurement.Decision
		for i := range 250 {
			ds = append(ds, measurement.Decision{ID: uuid.Must(uuid.NewV7()).String(), Time: now.Add(-time.Duration(i) * time.Second),
				VisitorID: ids[v], Channel: "web", Consent: true, Purposes: measurement.Purposes(), EntryID: "e1", EntrySlug: "home",
				EntryVersion: 1, Blocks: []measurement.BlockDecision{{BlockID: "hero", Variant: "banner", Reason: measurement.ReasonContext}}})
		}
		_, err := store.WriteDecisions(t.Context(), ds)
		require.NoError(t, err)
	}
	_, err := pool.Exec(t.Context(), "ANALYZE measurement_decisions")
	require.NoError(t, err)
	rows, err := pool.Query(t.Context(), "EXPLAIN "+postgres.SQLCapRecords, ids, since, 1000)
	require.NoError(t, err)
	var plan []string
	for rows.Next() {
		var line string
		require.NoError(t, rows.Scan(&line))
		plan = append(plan, line)
	}
	require.NoError(t, rows.Err())
	text := strings.Join(plan, "\n")
	require.NotContains(t, text, "Seq Scan on measurement_decisions", text)
	require.Contains(t, text, "visitor_id_time_idx", text)
}
