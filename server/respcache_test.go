package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/graph"
	"github.com/mosaichq/mosaic/internal/testapp"
)

// The response cache serves one computed answer to every visitor in the
// same class — and only to them: each cached answer equals what the
// executor computes for that visitor, a publish or a transition is never
// served stale, and refusals still refuse.

const cachedHome = `query($ctx: ExperienceContext) {
  entry(slug: "home", type: "page", context: $ctx) { version blocks { id fields decision { variant reason experiment arm } } }
}`

func cacheState(r testapp.Response) string { return r.Header.Get(graph.CacheHeader) }

func TestResponseCacheSharesAnswersByVisitorClass(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{})
	editor := app.Token(auth.RoleViewer) // an editor's read runs: the reference answer
	states := map[string]int{}
	bodies := map[string]bool{}
	for i := range 60 {
		ctx := map[string]any{"visitorId": fmt.Sprint("visitor-", i), "traits": map[string]any{"visits": i}}
		switch i % 3 {
		case 1:
			ctx["segments"] = []any{"vip"}
		case 2:
			ctx["device"] = "mobile"
		}
		vars := map[string]any{"ctx": ctx}
		got := app.Query("", cachedHome, vars)
		require.Empty(t, got.Errors, got.Raw)
		states[cacheState(got)]++
		want := app.Query(editor, cachedHome, vars)
		require.Equal(t, "BYPASS", cacheState(want), "editors' reads run")
		require.Equal(t, want.Data, got.Data, "visitor %d (%s): the cached answer is this visitor's", i, cacheState(got))
		raw, _ := json.Marshal(got.Data)
		bodies[string(raw)] = true
	}
	require.Greater(t, states["HIT"], 40, "%v", states)
	require.Equal(t, 60, states["HIT"]+states["MISS"], "%v", states)
	require.Equal(t, states["MISS"], len(bodies), "one computation per distinct answer")

	// A publish moves the generation: the next read runs and shows it.
	before := app.Query("", cachedHome, map[string]any{"ctx": map[string]any{"visitorId": "visitor-0"}})
	require.Equal(t, "HIT", cacheState(before))
	r, err := app.Content.Entry(t.Context(), "page", "home", "en")
	require.NoError(t, err)
	d, err := app.Content.Draft(t.Context(), r.ID, "en")
	require.NoError(t, err)
	d.Fields["title"] = "A new title"
	_, err = app.Content.UpdateEntry(t.Context(), "test", d.ID, "en", content.EntryPatch{Fields: d.Fields}, d.Version)
	require.NoError(t, err)
	_, err = app.Content.PublishEntry(t.Context(), "test", d.ID, "en", nil)
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		after := app.Query("", cachedHome, map[string]any{"ctx": map[string]any{"visitorId": "visitor-0"}})
		return testapp.Path(after.Data, "entry", "version") != testapp.Path(before.Data, "entry", "version")
	}, 10*time.Second, 20*time.Millisecond, "the published version is served")
}

func TestResponseCacheNeverStaleAcrossTransitions(t *testing.T) {
	t.Parallel()
	app := newCampaignApp(t)
	app.schedule(t, switchStart, switchEnd)
	// Visitors without an id (never bucketed into the demo's experiment)
	// who differ in traits: one class.
	vars := map[string]any{"slug": "home", "type": "page", "ctx": map[string]any{"channel": "web"}}
	hero := func(at time.Time, visitor string) (string, string) {
		app.clock.Set(at)
		vars["ctx"].(map[string]any)["traits"] = map[string]any{"name": visitor}
		resp := app.Query("", switchQuery, vars)
		require.Empty(t, resp.Errors, resp.Raw)
		return testapp.Path(block(t, resp, "hero"), "decision", "variant").(string), cacheState(resp)
	}
	v, _ := hero(switchStart.Add(-time.Second), "a")
	require.Equal(t, "default", v)
	v, state := hero(switchStart.Add(-time.Millisecond), "b")
	require.Equal(t, "default", v)
	require.Equal(t, "HIT", state, "warm before the start")
	v, _ = hero(switchStart, "c")
	require.Equal(t, "winter-sale", v, "at startsAt exactly: never the cached answer from before")
	v, state = hero(switchStart.Add(time.Second), "d")
	require.Equal(t, "winter-sale", v)
	require.Equal(t, "HIT", state)

	// The kill switch: the cached live answer is not served after it.
	app.clock.Set(switchStart.Add(2 * time.Second))
	resp := app.Query(app.Token(auth.RolePublisher), `mutation($id: ID!) { stopCampaign(id: $id) { status } }`, map[string]any{"id": app.campaign})
	require.Empty(t, resp.Errors, resp.Raw)
	require.Eventually(t, func() bool {
		v, _ := hero(switchStart.Add(2*time.Second), "e")
		return v == "default"
	}, 10*time.Second, 20*time.Millisecond)
	v, _ = hero(switchEnd, "f")
	require.Equal(t, "default", v)
}

func TestResponseCacheKeepsRefusalsAndRevalidates(t *testing.T) {
	t.Parallel()
	limits := graph.DefaultLimits()
	limits.RequireAPIKey = true
	app := testapp.New(t, testapp.Options{Limits: &limits})
	key := app.APIKey(auth.ScopeDelivery)
	q := `{ entry(slug: "home", type: "page") { blocks { id } } }`
	require.Empty(t, app.QueryKey(key, q, nil).Errors)
	require.Equal(t, "HIT", cacheState(app.QueryKey(key, q, nil)))

	anon := app.Query("", q, nil)
	require.Equal(t, "UNAUTHENTICATED", anon.Code(), "no key, no cached answer: %s", anon.Raw)
	bad := app.QueryKey("mk_nope", q, nil)
	require.Equal(t, "UNAUTHENTICATED", bad.Code(), bad.Raw)
	kiosk := app.APIKey(auth.ScopeDelivery, "kiosk")
	other := app.QueryKey(kiosk, `{ entry(slug: "home", type: "page", context: {channel: "web"}) { blocks { id } } }`, nil)
	require.Equal(t, "FORBIDDEN", other.Code(), other.Raw)

	// GET: a cached answer revalidates with a 304, without executing.
	get := func(etag string) testapp.Response {
		req, err := http.NewRequest(http.MethodGet, app.URL+"/graphql?query="+url.QueryEscape(q), nil)
		require.NoError(t, err)
		req.Header.Set(auth.APIKeyHeader, key)
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		return app.Do(req, "")
	}
	first := get("")
	require.Equal(t, http.StatusOK, first.Status, first.Raw)
	etag := first.Header.Get("ETag")
	require.NotEmpty(t, etag)
	again := get(etag)
	require.Equal(t, http.StatusNotModified, again.Status)
	require.Equal(t, "HIT", cacheState(again))
	require.Equal(t, etag, again.Header.Get("ETag"))
	require.Contains(t, again.Header.Get("Cache-Control"), "public, max-age=")
}

// A revalidation that misses the cache (here: another Accept, another key,
// the same bytes) is answered from the whole answer computed for it — 304
// when its ETag matches, the answer when not — and warms the cache, so the
// next revalidation is a hit instead of another execution.
func TestResponseCacheRevalidationThatMissesWarmsIt(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{})
	q := `{ entry(slug: "home", type: "page") { blocks { id } } }`
	get := func(accept, etag string) testapp.Response {
		req, err := http.NewRequest(http.MethodGet, app.URL+"/graphql?query="+url.QueryEscape(q), nil)
		require.NoError(t, err)
		req.Header.Set("Accept", accept)
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		return app.Do(req, "")
	}
	first := get("application/json", "")
	require.Equal(t, http.StatusOK, first.Status, first.Raw)
	require.Equal(t, "MISS", cacheState(first))
	etag := first.Header.Get("ETag")

	const gr = "application/graphql-response+json"
	cold := get(gr, etag)
	require.Equal(t, http.StatusNotModified, cold.Status, "a matching revalidation on a cold key: %s", cold.Raw)
	require.Equal(t, "MISS", cacheState(cold))
	require.Equal(t, etag, cold.Header.Get("ETag"))
	warm := get(gr, etag)
	require.Equal(t, http.StatusNotModified, warm.Status)
	require.Equal(t, "HIT", cacheState(warm), "the missed revalidation kept the answer")

	// A stale validator on a cold key gets the whole answer, kept too.
	const html = "application/json; q=0.9, text/html; q=0.1"
	stale := get(html, `"not-the-etag"`)
	require.Equal(t, http.StatusOK, stale.Status, stale.Raw)
	require.Equal(t, "MISS", cacheState(stale))
	require.Equal(t, first.Raw, stale.Raw, "the same answer, whole")
	require.Equal(t, "HIT", cacheState(get(html, `"not-the-etag"`)))
}

// /metrics says what the caches did: the response cache's hits, misses and
// bypasses (a hit ratio to watch), its size, and the content cache's.
func TestCacheMetrics(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{})
	q := `{ entry(slug: "home", type: "page") { blocks { id } } }`
	require.Equal(t, "MISS", cacheState(app.Query("", q, nil)))
	require.Equal(t, "HIT", cacheState(app.Query("", q, nil)))
	require.Equal(t, "HIT", cacheState(app.Query("", q, nil)))
	require.Equal(t, "BYPASS", cacheState(app.Query(app.Token(auth.RoleEditor), q, nil)))

	metrics := app.Get("", "/metrics").Raw
	for _, line := range []string{
		`mosaic_response_cache_requests_total{result="hit"} 2`,
		`mosaic_response_cache_requests_total{result="miss"} 1`,
		`mosaic_response_cache_requests_total{result="bypass"} 1`,
		"mosaic_response_cache_entries 1",
	} {
		require.Contains(t, metrics, line+"\n")
	}
	require.Regexp(t, `\nmosaic_response_cache_bytes [1-9]`, metrics)
	require.Regexp(t, `\nmosaic_content_cache_entries [1-9]`, metrics)
}
