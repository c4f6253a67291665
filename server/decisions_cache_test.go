package server_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/graph"
	"github.com/mosaichq/mosaic/internal/testapp"
)

// By default an answer showing decisionId is shared like any other: a
// validator, a 304 without executing, CDN headers; a visitor without an
// id gets its own answer (null), never one naming someone's record.
func TestDecisionIDsShared(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{Measurement: true})
	key := app.APIKey(auth.ScopeDelivery)
	a := app.QueryKey(key, decisionQuery, vipContext("before"))
	require.Equal(t, "MISS", a.Header.Get(graph.CacheHeader))
	get := func(visitor, inm string) *http.Response {
		vars, err := json.Marshal(vipContext(visitor))
		require.NoError(t, err)
		req, err := http.NewRequest(http.MethodGet, app.URL+"/graphql?query="+url.QueryEscape(decisionQuery)+"&variables="+url.QueryEscape(string(vars)), nil)
		require.NoError(t, err)
		req.Header.Set(auth.APIKeyHeader, key)
		if inm != "" {
			req.Header.Set("If-None-Match", inm)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		require.NoError(t, resp.Body.Close())
		return resp
	}
	b := get("down-0", "")
	require.Equal(t, http.StatusOK, b.StatusCode)
	require.Equal(t, "HIT", b.Header.Get(graph.CacheHeader))
	require.True(t, strings.HasPrefix(b.Header.Get("Cache-Control"), "public, max-age="), b.Header.Get("Cache-Control"))
	require.NotEmpty(t, b.Header.Get("Surrogate-Key"))
	etag := b.Header.Get("ETag")
	require.NotEmpty(t, etag)
	nm := get("down-0", etag)
	require.Equal(t, http.StatusNotModified, nm.StatusCode, "revalidated without executing")

	anon := app.QueryKey(key, decisionQuery, vipContext(""))
	require.Empty(t, decisionID(t, anon))
	require.Equal(t, "MISS", anon.Header.Get(graph.CacheHeader), "null where an id would be: another answer")
	drained(t, app)
	require.Equal(t, 1, decisionRows(t, app, "true"), "one computation for an identified visitor, one record")
}

// With RecordEveryServe (MOSAIC_DECISION_RECORDS=delivery) a document
// selecting decisionId is served from the response cache privately: two
// visitors of one class get the same bytes but for their own decision
// ids, and each gets a record of its own with the same decisions. The
// answers stay private (no ETag, no store) and a visitor without an id
// never gets one kept for a visitor with one.
func TestDecisionRecordsEveryServe(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{Measurement: true, RecordEveryServe: true})
	key := app.APIKey(auth.ScopeDelivery)

	// Two visitor ids in the same arm of the demo's experiment (the key
	// holds the arms of the experiments the answer names).
	a := app.QueryKey(key, decisionQuery, vipContext("before"))
	idA := decisionID(t, a)
	require.Equal(t, "MISS", a.Header.Get(graph.CacheHeader))
	b := app.QueryKey(key, decisionQuery, vipContext("down-0"))
	idB := decisionID(t, b)
	require.Equal(t, "HIT", b.Header.Get(graph.CacheHeader), "same class: served from the cache")
	for _, r := range []testapp.Response{a, b} {
		require.Equal(t, "private, no-store", r.Header.Get("Cache-Control"))
		require.Empty(t, r.Header.Get("ETag"), "no two visitors get the same bytes: no validator")
	}
	u, err := uuid.Parse(idB)
	require.NoError(t, err, "spliced decisionId %q", idB)
	require.Equal(t, uuid.Version(7), u.Version())
	require.NotEqual(t, idA, idB)
	require.Equal(t, strings.Replace(a.Raw, idA, "ID", 1), strings.Replace(b.Raw, idB, "ID", 1),
		"the same answer but for the decision id")
	require.NotContains(t, b.Raw, idA, "never another visitor's id")

	// A third visitor, in the other arm: its own answer and id.
	c := app.QueryKey(key, decisionQuery, vipContext("visitor-c"))
	idC := decisionID(t, c)
	require.NotContains(t, []string{idA, idB}, idC)

	// Without a visitor id: no record, a null id — never a kept answer
	// naming someone's record.
	anon := app.QueryKey(key, decisionQuery, vipContext(""))
	require.Empty(t, decisionID(t, anon))
	require.Equal(t, "MISS", anon.Header.Get(graph.CacheHeader))
	anon2 := app.QueryKey(key, decisionQuery, vipContext(""))
	require.Empty(t, decisionID(t, anon2))
	require.Equal(t, "HIT", anon2.Header.Get(graph.CacheHeader))

	drained(t, app)
	require.Equal(t, 3, decisionRows(t, app, "true"), "one record per identified delivery, cached or not")
	var blocks [3]string
	for i, row := range []struct{ id, visitor string }{{idA, "before"}, {idB, "down-0"}, {idC, "visitor-c"}} {
		var visitor, channel, device, slug string
		require.NoError(t, app.Pool.QueryRow(t.Context(), `SELECT visitor_id, channel, device, entry_slug, blocks::text
			FROM measurement_decisions WHERE id = $1`, row.id).Scan(&visitor, &channel, &device, &slug, &blocks[i]))
		require.Equal(t, []string{row.visitor, "web", "mobile", "home"}, []string{visitor, channel, device, slug})
	}
	require.Equal(t, blocks[0], blocks[1], "a cached answer's record holds the same decisions")
	require.Contains(t, blocks[2], `"arm": "b"`, "another arm: another answer, its own decisions")
	require.Contains(t, app.Get("", "/metrics").Raw, "mosaic_measurement_decisions_written_total 3")
}

// A cached answer showing each visitor's own decision ids
// (RecordEveryServe) is no more stale across a campaign transition than
// any other: before startsAt the default, from startsAt
// exactly the campaign's variant, after a stop the default again — with a
// fresh id each time.
func TestDecisionRecordsFromTheCacheAcrossTransitions(t *testing.T) {
	t.Parallel()
	app := newCampaignApp(t, func(o *testapp.Options) { o.Measurement, o.RecordEveryServe = true, true })
	app.schedule(t, switchStart, switchEnd)
	query := strings.Replace(switchQuery, "id fields", "id decisionId fields", 1)
	// One visitor id throughout: the same arms, so every request but the
	// first after each change is a hit.
	vars := map[string]any{"slug": "home", "type": "page", "ctx": map[string]any{"channel": "web", "visitorId": "v-1"}}
	seen := map[string]bool{}
	hero := func(at time.Time) (string, string) {
		app.clock.Set(at)
		resp := app.Query("", query, vars)
		require.Empty(t, resp.Errors, resp.Raw)
		require.Equal(t, "private, no-store", resp.Header.Get("Cache-Control"))
		id := decisionID(t, resp)
		require.NotEmpty(t, id)
		require.False(t, seen[id], "a fresh decision id per delivery")
		seen[id] = true
		return testapp.Path(block(t, resp, "hero"), "decision", "variant").(string), cacheState(resp)
	}
	v, _ := hero(switchStart.Add(-time.Second))
	require.Equal(t, "default", v)
	v, state := hero(switchStart.Add(-time.Millisecond))
	require.Equal(t, "default", v)
	require.Equal(t, "HIT", state, "warm before the start")
	v, _ = hero(switchStart)
	require.Equal(t, "winter-sale", v, "at startsAt exactly: never the cached answer from before")
	v, state = hero(switchStart.Add(time.Second))
	require.Equal(t, "winter-sale", v)
	require.Equal(t, "HIT", state)

	app.clock.Set(switchStart.Add(2 * time.Second))
	resp := app.Query(app.Token(auth.RolePublisher), `mutation($id: ID!) { stopCampaign(id: $id) { status } }`, map[string]any{"id": app.campaign})
	require.Empty(t, resp.Errors, resp.Raw)
	require.Eventually(t, func() bool {
		v, _ := hero(switchStart.Add(2 * time.Second))
		return v == "default"
	}, 10*time.Second, 20*time.Millisecond)
}
