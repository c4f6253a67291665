package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/documents"
	"github.com/mosaichq/mosaic/internal/testapp"
)

// Caps and behaviour under the response cache, through HTTP in the form
// a storefront and a CDN use: a trusted document by id over GET, with
// ETag and If-None-Match. An answer that read a person's cap counts is
// kept keyed on the states of the caps it read (graph/respcaps.go): a
// person who reached a cap, or whose last exposure is not yet confirmed,
// has other states and so another key — never the capped variant from a
// kept answer. Such answers are private, no-store, without a validator
// (no 304 of an earlier delivery), and each one served writes the
// person's decision record, so each delivery counts once.

// capDoc selects no decisionId, so its uncapped GET answers carry an ETag.
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
	require.Empty(t, r.Errors, r.Raw)
	for _, b := range testapp.Path(r.Data, "entry", "blocks").([]any) {
		if testapp.Path(b, "id") == "hero" {
			return r, testapp.Path(b, "decision", "variant").(string)
		}
	}
	t.Fatalf("no hero block in %s", r.Raw)
	return r, ""
}

// registerCapDoc registers capDoc, and stops the demo's cta-test
// experiment so that people of one class share answers (its arms would
// split them in two).
func registerCapDoc(t *testing.T, app *testapp.App) capGet {
	t.Helper()
	stop := app.Query(app.Token(auth.RoleAdmin), `mutation { stopExperiment(key: "cta-test") { key } }`, nil)
	require.Empty(t, stop.Errors, stop.Raw)
	r := app.Query(app.Token(auth.RoleAdmin), registerDocs, map[string]any{"m": manifest(t, [2]string{documents.Hash(capDoc), capDoc})})
	require.Empty(t, r.Errors, r.Raw)
	return capGet{app: app, key: app.APIKey(auth.ScopeDelivery), id: documents.Hash(capDoc)}
}

// A capped person never gets the capped variant from a kept answer, nor a
// 304 of one; another person of the class gets the kept teaser answer
// while they are under the cap; a class that reads no counts is shared
// and revalidated as before.
func TestCappedPersonNeverGetsTheOldVariantFromTheCache(t *testing.T) {
	t.Parallel()
	app := capApp(t, testapp.Options{ProfileTTL: 50 * time.Millisecond})
	addCappedTeaser(t, app, 2)
	g := registerCapDoc(t, app)

	// The class's uncapped answer (app channel: teaser is web only, so
	// no counts are read): public, with a validator.
	public, v := g.get(t, map[string]any{"channel": "app", "device": "mobile"}, "")
	require.NotEqual(t, "teaser", v)
	require.Contains(t, public.Header.Get("Cache-Control"), "public")
	publicETag := public.Header.Get("ETag")
	require.NotEmpty(t, publicETag)

	// Up to the cap: private answers without a validator, teaser twice.
	shown := 0
	require.Eventually(t, func() bool {
		resp, v := g.get(t, webVisitor("etag-1")["ctx"].(map[string]any), "")
		require.Equal(t, "private, no-store", resp.Header.Get("Cache-Control"))
		require.Empty(t, resp.Header.Get("ETag"), "a capped answer has no validator: each delivery counts")
		if v == "teaser" {
			shown++
		}
		_, reason := hero(t, resp)
		return strings.Contains(reason, "capped: seen 2 of 2 times this week")
	}, 30*time.Second, 10*time.Millisecond)
	require.Equal(t, 2, shown)

	// Capped: never the teaser, from the cache or not, whatever validator
	// is sent, by GET or POST; the capped answer itself is kept and served.
	hits := 0
	for range 5 {
		resp, v := g.get(t, webVisitor("etag-1")["ctx"].(map[string]any), publicETag)
		require.Equal(t, http.StatusOK, resp.Status, "a 304 would keep an earlier answer on the screen")
		require.Equal(t, "evergreen", v)
		require.Empty(t, resp.Header.Get("ETag"))
		if cacheState(resp) == "HIT" {
			hits++
		}
		resp, v = g.get(t, webVisitor("etag-1")["ctx"].(map[string]any), "*")
		require.Equal(t, http.StatusOK, resp.Status)
		require.Equal(t, "evergreen", v)
		post := app.QueryKey(g.key, capDoc, webVisitor("etag-1"))
		v, _ = hero(t, post)
		require.Equal(t, "evergreen", v)
	}
	require.Positive(t, hits, "the capped person's answer is kept for their state")

	// Someone else of the same class: the teaser answer kept for the open
	// state, served from the cache, twice, then the capped answer.
	shown, teaserHits := 0, 0
	require.Eventually(t, func() bool {
		resp, v := g.get(t, webVisitor("etag-2")["ctx"].(map[string]any), "")
		if v == "teaser" {
			shown++
			if cacheState(resp) == "HIT" {
				teaserHits++
			}
		}
		_, reason := hero(t, resp)
		return strings.Contains(reason, "capped: seen 2 of 2 times this week")
	}, 30*time.Second, 10*time.Millisecond)
	require.Equal(t, 2, shown)
	require.Equal(t, 2, teaserHits, "the teaser answer kept for the first person's open state")
	for range 3 {
		_, v := g.get(t, webVisitor("etag-2")["ctx"].(map[string]any), "")
		require.Equal(t, "evergreen", v)
	}

	// The class that reads no counts is still shared and revalidated.
	again, _ := g.get(t, map[string]any{"channel": "app", "device": "mobile", "traits": map[string]any{"name": "b"}}, "")
	require.Equal(t, "HIT", cacheState(again))
	nm, _ := g.get(t, map[string]any{"channel": "app", "device": "mobile"}, publicETag)
	require.Equal(t, http.StatusNotModified, nm.Status)

	drained(t, app)
	require.Equal(t, 4, decisionRows(t, app, `blocks @> '[{"blockId":"hero","variant":"teaser"}]'`),
		"twice for each person: every delivery from the cache recorded, never more")
}

// Deliveries of a kept capped answer count exactly once each: one person
// served the teaser only from the cache, by requests one after another
// and then by several at once, is shown it max times, the next answer is
// the fallback, and their decision records say exactly what they were
// served.
func TestCachedCappedDeliveriesCountExactly(t *testing.T) {
	t.Parallel()
	const max = 3
	app := capApp(t, testapp.Options{})
	addCappedTeaser(t, app, max)
	g := registerCapDoc(t, app)
	ctx := func(id string) map[string]any { return webVisitor(id)["ctx"].(map[string]any) }

	// Someone else's first teaser is kept.
	// (Its first answer waits for the person's counts to load: Unloaded.)
	require.Eventually(t, func() bool {
		warm, v := g.get(t, ctx("warm"), "")
		return v == "teaser" && cacheState(warm) == "MISS"
	}, 30*time.Second, 5*time.Millisecond)

	served := map[string]int{} // variant → deliveries to the person
	teaserHits := 0
	deliver := func(id string) string {
		resp, v := g.get(t, ctx(id), "")
		served[v]++
		if v == "teaser" && cacheState(resp) == "HIT" {
			teaserHits++
		}
		return v
	}
	// One after another until the fallback says the cap was reached.
	require.Eventually(t, func() bool {
		deliver("counted-1")
		return served["teaser"] == max
	}, 30*time.Second, 5*time.Millisecond)
	require.Equal(t, max, teaserHits, "every teaser came from the kept answer")
	require.Eventually(t, func() bool {
		resp, v := g.get(t, ctx("counted-1"), "")
		served[v]++
		_, reason := hero(t, resp)
		return strings.Contains(reason, "capped: seen 3 of 3 times this week")
	}, 30*time.Second, 5*time.Millisecond)
	for range 5 {
		require.Equal(t, "evergreen", deliver("counted-1"))
	}
	require.Equal(t, max, served["teaser"])

	// Several at once, all from the cache: the person's cap hold makes
	// reading their states and noting a delivery one step.
	var mu sync.Mutex
	concurrent := map[string]int{}
	for round := 0; ; round++ {
		var wg sync.WaitGroup
		for range 16 {
			wg.Go(func() {
				for range 4 {
					_, v := g.get(t, ctx("counted-2"), "")
					mu.Lock()
					concurrent[v]++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if concurrent["teaser"] >= max || round > 500 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	require.Equal(t, max, concurrent["teaser"], "never more than the cap from the cache")
	for range 5 {
		_, v := g.get(t, ctx("counted-2"), "")
		require.NotEqual(t, "teaser", v)
		concurrent[v]++
	}

	drained(t, app)
	for id, got := range map[string]map[string]int{"counted-1": served, "counted-2": concurrent} {
		require.Equal(t, max, decisionRows(t, app, `visitor_id = $1 AND blocks @> '[{"blockId":"hero","variant":"teaser"}]'`, id),
			"%s: one record per teaser delivered", id)
		require.Equal(t, got["teaser"]+got["evergreen"], decisionRows(t, app, `visitor_id = $1`, id),
			"%s: every delivery recorded, none twice", id)
	}
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

// An answer that shows no decision reason keys on the coarse cap states
// (open, waiting, capped): two people past a cap with different counts
// share it; one that shows reasons keys on the counts its notes say, so
// neither gets the other's note.
func TestCappedAnswersWithoutReasonsShareAcrossCounts(t *testing.T) {
	t.Parallel()
	app := capApp(t, testapp.Options{})
	addCappedTeaser(t, app, 3)
	g := registerCapDoc(t, app)
	noReason := strings.Replace(strings.Replace(capDoc, "CapHome", "CapHomeVariants", 1), "variant reason", "variant", 1)
	r := app.Query(app.Token(auth.RoleAdmin), registerDocs, map[string]any{"m": manifest(t, [2]string{documents.Hash(noReason), noReason})})
	require.Empty(t, r.Errors, r.Raw)
	bare := capGet{app: app, key: g.key, id: documents.Hash(noReason)}
	ctx := func(id string) map[string]any { return webVisitor(id)["ctx"].(map[string]any) }
	until := func(id, part string) {
		t.Helper()
		require.Eventually(t, func() bool {
			resp, _ := g.get(t, ctx(id), "")
			_, reason := hero(t, resp)
			return strings.Contains(reason, part)
		}, 30*time.Second, 5*time.Millisecond, "%s: %s", id, part)
	}
	// many sees the teaser 3 times, few twice (then waits on it: pending).
	until("many", "seen 3 of 3")
	shown := 0
	require.Eventually(t, func() bool {
		if _, v := g.get(t, ctx("few"), ""); v == "teaser" {
			shown++
		}
		return shown == 2
	}, 30*time.Second, 5*time.Millisecond)

	// The editor lowers the cap to 2: both are past it, with other counts.
	addCappedTeaser(t, app, 2)
	until("many", "seen 3 of 2")
	until("few", "seen 2 of 2")
	for range 3 { // each their own note, from the cache or not
		resp, _ := g.get(t, ctx("few"), "")
		_, reason := hero(t, resp)
		require.Contains(t, reason, "seen 2 of 2")
		resp, _ = g.get(t, ctx("many"), "")
		_, reason = hero(t, resp)
		require.Contains(t, reason, "seen 3 of 2")
	}

	// Without reasons: one answer for both.
	first, v := bare.get(t, ctx("many"), "")
	require.Equal(t, "evergreen", v)
	require.Equal(t, "MISS", cacheState(first))
	second, v := bare.get(t, ctx("few"), "")
	require.Equal(t, "evergreen", v)
	require.Equal(t, "HIT", cacheState(second), "past the cap alike: the same bytes")
	require.Equal(t, "private, no-store", second.Header.Get("Cache-Control"))
}
