package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/graph"
	"github.com/mosaichq/mosaic/internal/testapp"
	"github.com/mosaichq/mosaic/measurement"
)

const decisionQuery = `query($ctx: ExperienceContext) {
	entry(slug: "home", type: "page", context: $ctx) {
		id decisionId blocks { id decision { variant experiment arm } linked(field: "products") { slug decisionId } } } }`

func vipContext(visitor string) map[string]any {
	ctx := map[string]any{"segments": []any{"vip"}, "device": "mobile", "channel": "web"}
	if visitor != "" {
		ctx["visitorId"] = visitor
	}
	return map[string]any{"ctx": ctx}
}

// decisionID is the answer's entry.decisionId ("" for null).
func decisionID(t *testing.T, r testapp.Response) string {
	t.Helper()
	require.Empty(t, r.Errors, r.Raw)
	entry := r.Data["entry"].(map[string]any)
	id, _ := entry["decisionId"].(string)
	return id
}

// decisionRows counts measurement_decisions rows matching where.
// showed reports to /collect that visitor was shown block of the answer
// naming decision, as a measuring storefront does: a cached copy's
// delivery counts through it (measurement/views.go).
func showed(t *testing.T, app *testapp.App, visitor, decision, block string) {
	t.Helper()
	ans := collect(t, app, "", "application/json", eventsBody(fmt.Sprintf(`{"id":%q,"type":"view","visitorId":%q,"decisionId":%q,"blockId":%q}`,
		uuid.NewString(), visitor, decision, block)))
	require.Equal(t, 1, ans.Accepted, ans.Raw)
}

// viewsSettled waits until every view naming a decision is settled
// (measurement.ViewSweeper): the records cached copies' views derive are
// written. Call after drained.
func viewsSettled(t *testing.T, app *testapp.App) {
	t.Helper()
	require.Eventually(t, func() bool {
		var n int
		err := app.Pool.QueryRow(t.Context(), `SELECT count(*) FROM measurement_view_pending`).Scan(&n)
		return err == nil && n == 0
	}, 30*time.Second, 20*time.Millisecond, "views of cached copies settle")
}

func decisionRows(t *testing.T, app *testapp.App, where string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, app.Pool.QueryRow(t.Context(), `SELECT count(*) FROM measurement_decisions WHERE `+where, args...).Scan(&n))
	return n
}

// A personalized delivery to an identified visitor returns a UUIDv7
// decisionId, and its record lands with every block's variant; a view
// naming it is accepted. A second visitor of the same class is served the
// same answer from the cache, the same id with it, and its view of it
// becomes its own record (measurement/views.go); with RecordEveryServe
// each serve writes one instead (decisions_cache_test.go).
func TestDecisionRecords(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{Measurement: true})
	key := app.APIKey(auth.ScopeDelivery)

	r := app.QueryKey(key, decisionQuery, vipContext("before"))
	id := decisionID(t, r)
	u, err := uuid.Parse(id)
	require.NoError(t, err, "decisionId %q", id)
	require.Equal(t, uuid.Version(7), u.Version())
	require.Equal(t, "MISS", r.Header.Get(graph.CacheHeader))
	require.True(t, strings.HasPrefix(r.Header.Get("Cache-Control"), "public"), "an answer like any other: CDNs may keep it")

	// Same class, another visitor: the same answer, from the cache, with
	// the id of the delivery that computed it.
	r2 := app.QueryKey(key, decisionQuery, vipContext("down-0"))
	require.Equal(t, "HIT", r2.Header.Get(graph.CacheHeader))
	require.Equal(t, id, decisionID(t, r2))
	require.Equal(t, r.Raw, r2.Raw)

	drained(t, app)
	require.Equal(t, 1, decisionRows(t, app, "true"), "a record per computation")
	var visitor, channel, device, slug string
	var consent bool
	var blocks []struct {
		BlockID, Variant, Reason string
	}
	var raw []byte
	require.NoError(t, app.Pool.QueryRow(t.Context(), `SELECT visitor_id, channel, device, consent, entry_slug, blocks
		FROM measurement_decisions WHERE id = $1`, id).Scan(&visitor, &channel, &device, &consent, &slug, &raw))
	require.NoError(t, json.Unmarshal(raw, &blocks))
	require.Equal(t, []string{"before", "web", "mobile", "home"}, []string{visitor, channel, device, slug})
	require.True(t, consent)

	// The record's blocks are the answer's: the entry's own decision
	// first, then every block's variant as delivered.
	answer := r.Data["entry"].(map[string]any)["blocks"].([]any)
	require.Len(t, blocks, len(answer)+1)
	require.Equal(t, answer[0].(map[string]any)["decision"].(map[string]any)["variant"], "vip")
	for i, b := range answer {
		b := b.(map[string]any)
		require.Equal(t, b["id"], blocks[i+1].BlockID)
		require.Equal(t, b["decision"].(map[string]any)["variant"], blocks[i+1].Variant)
	}
	require.Equal(t, "segment", blocks[1].Reason)
	// Linked entries are part of their parent's delivery: no record (the
	// count of 2 above), no id.
	linked := 0
	for _, b := range answer {
		for _, l := range b.(map[string]any)["linked"].([]any) {
			require.Nil(t, l.(map[string]any)["decisionId"])
			linked++
		}
	}
	require.NotZero(t, linked)

	// The clients' views name the decision they rendered: before's is
	// its own delivery's, already recorded; down-0's, of the cached
	// copy, becomes down-0's record — the same decisions, its id.
	ans := collect(t, app, "", "application/json", eventsBody(
		fmt.Sprintf(`{"id":"view-1","type":"view","visitorId":"before","decisionId":%q,"blockId":%q}`, id, blocks[1].BlockID),
		fmt.Sprintf(`{"id":"view-2","type":"view","visitorId":"down-0","decisionId":%q,"blockId":%q}`, id, blocks[1].BlockID),
		fmt.Sprintf(`{"id":"view-3","type":"view","visitorId":"down-0","decisionId":%q,"blockId":%q}`, id, blocks[2].BlockID)))
	require.Equal(t, http.StatusAccepted, ans.Status, ans.Raw)
	require.Equal(t, 3, ans.Accepted)
	drained(t, app)
	viewsSettled(t, app)
	require.Equal(t, 3, rows(t, app, fmt.Sprintf("decision_id = '%s'", id)))
	require.Equal(t, 2, decisionRows(t, app, "true"), "down-0's two views of one copy: one delivery")
	var derived []byte
	require.NoError(t, app.Pool.QueryRow(t.Context(), `SELECT blocks FROM measurement_decisions WHERE id = $1 AND visitor_id = 'down-0'
		AND channel = 'web' AND device = 'mobile' AND entry_slug = 'home'`, measurement.DerivedID(id, "down-0")).Scan(&derived))
	require.JSONEq(t, string(raw), string(derived), "the copy's decisions")

	metrics := app.Get("", "/metrics").Raw
	require.Contains(t, metrics, "mosaic_measurement_decisions_written_total 1")
	require.Contains(t, metrics, "mosaic_measurement_decisions_dropped_total 0")
	require.Contains(t, metrics, `mosaic_measurement_views_settled_total{outcome="derived"} 1`)
	require.Contains(t, metrics, `mosaic_measurement_views_settled_total{outcome="own"} 1`)
}

// No record, and a null decisionId, without a visitorId, for a preview and
// for an editor's time travel; a document without decisionId is still
// served from the response cache.
func TestDecisionRecordsNotWritten(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{Measurement: true})
	key := app.APIKey(auth.ScopeDelivery)
	editor := app.Token(auth.RoleEditor)

	require.Empty(t, decisionID(t, app.QueryKey(key, decisionQuery, vipContext(""))))
	preview := vipContext("visitor-p")
	preview["ctx"].(map[string]any)["preview"] = true
	require.Empty(t, decisionID(t, app.Query(editor, decisionQuery, preview)))
	travel := vipContext("visitor-t")
	travel["ctx"].(map[string]any)["at"] = time.Now().Add(-time.Minute).UTC().Format(time.RFC3339Nano)
	require.Empty(t, decisionID(t, app.Query(editor, decisionQuery, travel)))

	// The same visitor's class, without decisionId: cached as before.
	plain := `query($ctx: ExperienceContext) { entry(slug: "home", type: "page", context: $ctx) { id } }`
	require.Equal(t, "MISS", app.QueryKey(key, plain, vipContext("visitor-c")).Header.Get(graph.CacheHeader))
	require.Equal(t, "HIT", app.QueryKey(key, plain, vipContext("visitor-d")).Header.Get(graph.CacheHeader))

	drained(t, app)
	// Only the cache miss of an identified visitor was recorded.
	require.Zero(t, decisionRows(t, app, "visitor_id <> 'visitor-c'"))
	require.Equal(t, 1, decisionRows(t, app, "visitor_id = 'visitor-c'"))
}

// The database down: delivery answers 200 with its decisionId as before,
// /collect takes the views; the records and views wait in the log and land
// when it returns, and the cached copies' views become their records.
func TestDecisionRecordsDuringDatabaseOutage(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{Measurement: true, DatabaseProxy: true})
	key := app.APIKey(auth.ScopeDelivery)
	require.NotEmpty(t, decisionID(t, app.QueryKey(key, decisionQuery, vipContext("before"))))
	drained(t, app)

	app.DB.Down()
	// Visitors of the cached answer's class, and of the other arm (a
	// computation, a record written while the database is away): each
	// reports its view, accepted as well.
	for _, v := range []string{"down-0", "down-1", "down-2", "visitor-c"} {
		r := app.QueryKey(key, decisionQuery, vipContext(v))
		require.Equal(t, http.StatusOK, r.Status, r.Raw)
		id := decisionID(t, r)
		require.NotEmpty(t, id)
		showed(t, app, v, id, "hero")
	}
	app.DB.Up()
	drained(t, app)
	viewsSettled(t, app)
	require.Equal(t, 3, decisionRows(t, app, "visitor_id LIKE 'down-%'"), "a record per visitor: computed, or derived from its view")
	require.Equal(t, 1, decisionRows(t, app, "visitor_id = 'visitor-c'"))
}
