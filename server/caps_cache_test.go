package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/documents"
	"github.com/mosaichq/mosaic/internal/testapp"
)

// Caps and behaviour under the response cache, through HTTP in the form
// a storefront and a CDN use: a trusted document by id over GET, with
// ETag and If-None-Match. The cache key does not hold cap counts: an
// answer that read a person's counts is that person's (private,
// no-store) and never kept, so nobody gets a capped variant from a kept
// answer, and a validator of an earlier answer revalidates nothing —
// ETag is the body's hash, and a capped person's body has changed.

// capDoc selects no decisionId, so its GET answers carry an ETag.
const capDoc = `query CapHome($ctx: ExperienceContext) {
	entry(slug: "home", type: "page", context: $ctx) { blocks { id decision { variant reason } } } }`

type capGet struct {
	app *testapp.App
	key string
	id  string
}

func (g capGet) get(t *testing.T, ctx map[string]any, etag string) (testapp.Response, string) {
	t.Helper()
	vars, err := json.Marshal(map[string]any{"ctx": ctx})
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodGet, g.app.URL+"/graphql?documentId="+url.QueryEscape(g.id)+"&variables="+url.QueryEscape(string(vars)), nil)
	require.NoError(t, err)
	req.Header.Set(auth.APIKeyHeader, g.key)
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	r := g.app.Do(req, "")
	if r.Status == http.StatusNotModified {
		return r, ""
	}
	require.Equal(t, http.StatusOK, r.Status, r.Raw)
	v, _ := hero(t, r)
	return r, v
}

func TestCappedAnswersNeverFromTheCache(t *testing.T) {
	t.Parallel()
	app := capApp(t, testapp.Options{ProfileTTL: 50 * time.Millisecond})
	addCappedTeaser(t, app, 2)
	r := app.Query(app.Token(auth.RoleAdmin), registerDocs, map[string]any{"m": manifest(t, [2]string{documents.Hash(capDoc), capDoc})})
	require.Empty(t, r.Errors, r.Raw)
	g := capGet{app: app, key: app.APIKey(auth.ScopeDelivery), id: documents.Hash(capDoc)}

	// Up to the cap: every answer computed for the person, none kept.
	var teaserETags []string
	shown := 0
	require.Eventually(t, func() bool {
		resp, v := g.get(t, webVisitor("etag-1")["ctx"].(map[string]any), "")
		require.NotEqual(t, "HIT", cacheState(resp), "an answer that read caps is never served from the cache")
		require.Equal(t, "private, no-store", resp.Header.Get("Cache-Control"))
		if v == "teaser" {
			shown++
			teaserETags = append(teaserETags, resp.Header.Get("ETag"))
		}
		_, reason := hero(t, resp)
		return strings.Contains(reason, "capped: seen 2 of 2 times this week")
	}, 30*time.Second, 10*time.Millisecond)
	require.Equal(t, 2, shown)
	require.NotEmpty(t, teaserETags[1])

	// Capped: revalidating the teaser answer is the new answer, never a
	// 304, and no cached teaser is served, however often asked.
	for range 3 {
		resp, v := g.get(t, webVisitor("etag-1")["ctx"].(map[string]any), teaserETags[1])
		require.Equal(t, http.StatusOK, resp.Status, "a 304 would keep the capped teaser on the screen")
		require.Equal(t, "evergreen", v)
		require.NotEqual(t, teaserETags[1], resp.Header.Get("ETag"))
		require.NotEqual(t, "HIT", cacheState(resp))
	}
	// The same by POST.
	for range 2 {
		resp := app.QueryKey(g.key, capDoc, webVisitor("etag-1"))
		v, _ := hero(t, resp)
		require.Equal(t, "evergreen", v)
		require.NotEqual(t, "HIT", cacheState(resp))
	}
	// Someone else of the same class, with the first visitor's teaser
	// validator: their own first teaser, computed for them.
	require.Eventually(t, func() bool {
		resp, v := g.get(t, webVisitor("etag-2")["ctx"].(map[string]any), teaserETags[0])
		require.NotEqual(t, "HIT", cacheState(resp))
		return v == "teaser"
	}, 30*time.Second, 10*time.Millisecond)

	// A class for which the capped variant is not eligible (teaser is web
	// only) reads no counts: its answers are shared as before (anonymous
	// visitors: no experiment arm splits them), and a validator of one
	// revalidates it.
	first, v := g.get(t, map[string]any{"channel": "app", "device": "mobile", "traits": map[string]any{"name": "a"}}, "")
	require.NotEqual(t, "teaser", v)
	require.Contains(t, first.Header.Get("Cache-Control"), "public")
	again, _ := g.get(t, map[string]any{"channel": "app", "device": "mobile", "traits": map[string]any{"name": "b"}}, "")
	require.Equal(t, "HIT", cacheState(again))
	nm, _ := g.get(t, map[string]any{"channel": "app", "device": "mobile"}, first.Header.Get("ETag"))
	require.Equal(t, http.StatusNotModified, nm.Status)
}

// A visitor whose history puts them in a targeted behavioural segment
// gets the segment's answer from the next request on, by persisted GET:
// not the kept answer of the class they left, and not a 304 for it.
func TestBehaviouralSegmentChangeNotRevalidated(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{Measurement: true, ProfileTTL: 50 * time.Millisecond})
	browsing(t, app)
	doc := strings.Replace(capDoc, "CapHome", "IntroHome", 1)
	r := app.Query(app.Token(auth.RoleAdmin), registerDocs, map[string]any{"m": manifest(t, [2]string{documents.Hash(doc), doc})})
	require.Empty(t, r.Errors, r.Raw)
	g := capGet{app: app, key: app.APIKey(auth.ScopeDelivery), id: documents.Hash(doc)}
	ctx := map[string]any{"visitorId": "browser-1", "channel": "web", "device": "mobile"}
	introOf := func(resp testapp.Response) string {
		for _, b := range testapp.Path(resp.Data, "entry", "blocks").([]any) {
			if testapp.Path(b, "id") == "intro" {
				return testapp.Path(b, "decision", "variant").(string)
			}
		}
		t.Fatalf("no intro in %s", resp.Raw)
		return ""
	}
	// Warm: the class's answer is kept, and revalidates.
	var before testapp.Response
	require.Eventually(t, func() bool {
		before, _ = g.get(t, ctx, "")
		return cacheState(before) == "HIT"
	}, 30*time.Second, 10*time.Millisecond)
	require.Equal(t, "default", introOf(before))
	etag := before.Header.Get("ETag")
	nm, _ := g.get(t, ctx, etag)
	require.Equal(t, http.StatusNotModified, nm.Status)

	// The visitor's profile is loaded (until then rules see an empty
	// history: measurement/profile), then three views are accepted.
	require.Eventually(t, func() bool { return app.Measure.Profiles.Get("browser-1") != nil }, 30*time.Second, 10*time.Millisecond)
	var events []string
	for i := range 3 {
		events = append(events, fmt.Sprintf(`{"id":"bc-pv-%d","type":"track","visitorId":"browser-1","name":"product_view"}`, i))
	}
	ans := collect(t, app, "", "application/json", eventsBody(events...))
	require.Equal(t, http.StatusAccepted, ans.Status, ans.Raw)
	after, _ := g.get(t, ctx, etag)
	require.Equal(t, http.StatusOK, after.Status, "the accepted views move the visitor: not a 304 of the old answer")
	require.Equal(t, "welcome-back", introOf(after))
	require.NotEqual(t, etag, after.Header.Get("ETag"))
}
