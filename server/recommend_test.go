package server_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
	"github.com/mosaichq/mosaic/measurement/recommend"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// Recommendations end to end (issue 19 item 3): a source set on the
// productList type's products field through the management API, views
// through POST /collect, the log's consumer feeding the engine, delivery
// expanding what it recommends.

const recHomeQuery = `query($ctx: ExperienceContext) {
	entry(slug: "home", type: "page", context: $ctx) {
		blocks { id linked(field: "products") { slug }
			decision { recommendations { field source entries fallback reason } } } } }`

type recSetup struct {
	app    *testapp.App
	events string // events.write key
	read   string // delivery key
	ids    map[string]string
	n      atomic.Int64
}

func newRecSetup(t *testing.T) *recSetup {
	t.Helper()
	app := testapp.New(t, testapp.Options{Measurement: true, RecommendRefresh: time.Nanosecond})
	s := &recSetup{app: app, events: app.APIKey(auth.ScopeEventsWrite), read: app.APIKey(auth.ScopeDelivery), ids: map[string]string{}}
	r := app.QueryKey(s.read, `{ entries(type: "product", first: 10) { edges { node { id slug } } } }`, nil)
	require.Empty(t, r.Errors, r.Raw)
	for _, e := range testapp.Path(r.Data, "entries", "edges").([]any) {
		n := e.(map[string]any)["node"].(map[string]any)
		s.ids[n["slug"].(string)] = n["id"].(string)
	}
	require.Len(t, s.ids, 4)
	return s
}

// setSource redefines productList.products with recommend (a GraphQL
// input literal, "" for none).
func (s *recSetup) setSource(t *testing.T, recommend string) testapp.Response {
	t.Helper()
	admin := s.app.Token(auth.RoleAdmin)
	r := s.app.Query(admin, `{ contentType(key: "productList") { version } }`, nil)
	require.Empty(t, r.Errors, r.Raw)
	version := testapp.Path(r.Data, "contentType", "version")
	field := `{key: "products", kind: REFERENCE, list: true, allowedTypes: ["product"], min: 1, max: 24`
	if recommend != "" {
		field += `, recommend: ` + recommend
	}
	return s.app.Query(admin, fmt.Sprintf(`mutation { changeContentType(key: "productList", expectedVersion: %v,
		changes: {changeFields: [%s}]}) { applied contentType { fields { key recommend { source window limit } } } } }`, version, field), nil)
}

// view sends a view of product slug by visitor.
func (s *recSetup) send(t *testing.T, events ...string) {
	t.Helper()
	a := collect(t, s.app, s.events, "application/json", eventsBody(events...))
	require.Equal(t, http.StatusAccepted, a.Status, a.Raw)
	require.Equal(t, len(events), a.Accepted, a.Raw)
}

func (s *recSetup) view(visitor, slug string) string {
	return fmt.Sprintf(`{"id":"rv-%d","type":"view","visitorId":%q,"entry":%q}`, s.n.Add(1), visitor, s.ids[slug])
}

// bestsellers answers home for ctx: the bestsellers block's linked slugs
// and its recommendation.
func (s *recSetup) bestsellers(t *testing.T, ctx map[string]any) ([]string, map[string]any, testapp.Response) {
	t.Helper()
	r := s.app.QueryKey(s.read, recHomeQuery, map[string]any{"ctx": ctx})
	require.Empty(t, r.Errors, r.Raw)
	for _, b := range testapp.Path(r.Data, "entry", "blocks").([]any) {
		b := b.(map[string]any)
		if b["id"] != "bestsellers" {
			continue
		}
		slugs := []string{}
		for _, l := range b["linked"].([]any) {
			slugs = append(slugs, l.(map[string]any)["slug"].(string))
		}
		recs := testapp.Path(b, "decision", "recommendations").([]any)
		require.Len(t, recs, 1, r.Raw)
		return slugs, recs[0].(map[string]any), r
	}
	t.Fatalf("no bestsellers block: %s", r.Raw)
	return nil, nil, r
}

var editorsList = []string{"wool-scarf", "winter-boots", "thermal-mug", "knit-beanie"}

func TestRecommendPopularEndToEnd(t *testing.T) {
	t.Parallel()
	s := newRecSetup(t)
	r := s.setSource(t, `{source: "popular", window: "24h", limit: 3, types: ["product"]}`)
	require.Empty(t, r.Errors, r.Raw)
	require.Equal(t, map[string]any{"source": "popular", "window": "24h", "limit": 3.0},
		testapp.Path(r.Data, "changeContentType", "contentType", "fields", 1, "recommend"))

	// No views yet: the editor's list, and the decision says so.
	ctx := map[string]any{"visitorId": "shopper", "device": "mobile"}
	slugs, rec, _ := s.bestsellers(t, ctx)
	require.Equal(t, editorsList, slugs)
	require.Equal(t, 4.0, rec["fallback"])
	require.Equal(t, "popular: no data: the editor's list", rec["reason"])

	s.send(t, s.view("a", "thermal-mug"), s.view("b", "thermal-mug"), s.view("c", "thermal-mug"),
		s.view("a", "knit-beanie"), s.view("d", "knit-beanie"), s.view("e", "wool-scarf"),
		// Not a product (the type filter) and not an entry at all: never delivered.
		fmt.Sprintf(`{"id":"rv-home","type":"view","visitorId":"f","entry":%q}`, "no-such-entry"))
	want := []string{"thermal-mug", "knit-beanie", "wool-scarf"}
	eventually(t, 30*time.Second, "the views reach delivery", func() bool {
		slugs, _, _ = s.bestsellers(t, ctx)
		return strings.Join(slugs, ",") == strings.Join(want, ",")
	})
	slugs, rec, r = s.bestsellers(t, ctx)
	require.Equal(t, want, slugs)
	require.Equal(t, 0.0, rec["fallback"])
	require.Equal(t, "popular: thermal-mug viewed 3 times in 24h by everyone", rec["reason"])
	require.Equal(t, []any{s.ids["thermal-mug"], s.ids["knit-beanie"], s.ids["wool-scarf"]}, rec["entries"])
	// Shared by visitors of a class, but only briefly: the answer's next
	// transition is the ranking's refresh.
	require.True(t, strings.HasPrefix(r.Header.Get("Cache-Control"), "public"), r.Header.Get("Cache-Control"))
	require.NotEmpty(t, r.Header.Get("X-Mosaic-Next-Transition"))

	// A restart: a new engine rebuilt from PostgreSQL ranks the same.
	drained(t, s.app)
	eng := s.rebuilt(t)
	items := eng.Recommend(recommend.Query{Source: recommend.Popular, Window: 24 * time.Hour, Candidates: 5})
	require.Len(t, items, 4)
	require.Equal(t, []string{s.ids["thermal-mug"], s.ids["knit-beanie"], s.ids["wool-scarf"]},
		[]string{items[0].Entry, items[1].Entry, items[2].Entry})
	require.Equal(t, uint64(3), items[0].Count)
}

// rebuilt is a new engine rebuilt from the app's database, as at a start.
func (s *recSetup) rebuilt(t *testing.T) *recommend.Engine {
	t.Helper()
	store := postgres.NewMeasurementStore(s.app.Pool)
	eng := recommend.New(recommend.Config{Units: store.IdentityUnits()})
	require.NoError(t, eng.Rebuild(t.Context(), store))
	return eng
}

func TestRecommendAlsoViewedExplains(t *testing.T) {
	t.Parallel()
	s := newRecSetup(t)
	require.Empty(t, s.setSource(t, `{source: "alsoViewed", limit: 2}`).Errors)
	// alsoViewed of the home page: people who viewed home viewed these.
	home := s.app.QueryKey(s.read, `{ entry(slug: "home", type: "page") { id } }`, nil)
	homeID := testapp.Path(home.Data, "entry", "id").(string)
	homeView := func(v string) string {
		return fmt.Sprintf(`{"id":"rv-%d","type":"view","visitorId":%q,"entry":%q}`, s.n.Add(1), v, homeID)
	}
	s.send(t, homeView("a"), s.view("a", "winter-boots"), homeView("b"), s.view("b", "winter-boots"), s.view("b", "knit-beanie"))
	ctx := map[string]any{"visitorId": "someone"}
	eventually(t, 30*time.Second, "co-views reach delivery", func() bool {
		slugs, _, _ := s.bestsellers(t, ctx)
		return strings.Join(slugs, ",") == "winter-boots,knit-beanie"
	})
	_, rec, _ := s.bestsellers(t, ctx)
	require.Equal(t, "alsoViewed: 2 people who viewed home also viewed winter-boots", rec["reason"])

	// An entry type's own field: a product's related products.
	admin := s.app.Token(auth.RoleAdmin)
	r := s.app.Query(admin, `{ contentType(key: "product") { version } }`, nil)
	r = s.app.Query(admin, fmt.Sprintf(`mutation { changeContentType(key: "product", expectedVersion: %v, changes: {addFields: [
		{key: "related", kind: REFERENCE, list: true, recommend: {source: "alsoViewed", limit: 2}}]}) { applied } }`,
		testapp.Path(r.Data, "contentType", "version")), nil)
	require.Empty(t, r.Errors, r.Raw)
	related := func() (string, testapp.Response) {
		r := s.app.QueryKey(s.read, `query($ctx: ExperienceContext) { entry(slug: "winter-boots", type: "product", context: $ctx) {
			linked(field: "related") { slug } decision { recommendations { reason fallback } } } }`, map[string]any{"ctx": ctx})
		require.Empty(t, r.Errors, r.Raw)
		var slugs []string
		for _, l := range testapp.Path(r.Data, "entry", "linked").([]any) {
			slugs = append(slugs, l.(map[string]any)["slug"].(string))
		}
		return strings.Join(slugs, ","), r
	}
	got, r := related()
	require.Equal(t, "home,knit-beanie", got, r.Raw)
	require.Equal(t, "alsoViewed: 2 people who viewed winter-boots also viewed home",
		testapp.Path(r.Data, "entry", "decision", "recommendations", 0, "reason"))
	// Nothing co-viewed with the mug, and no editor's list: empty.
	r = s.app.QueryKey(s.read, `{ entry(slug: "thermal-mug", type: "product") { linked(field: "related") { slug } } }`, nil)
	require.Equal(t, []any{}, testapp.Path(r.Data, "entry", "linked"), r.Raw)
}

// recentlyViewed is per person: two visitors of one class with different
// histories never get each other's list, from the executor or a cache,
// with or without decision ids in the document; a person's devices share
// theirs once signed in.
func TestRecommendRecentlyViewedNeverShared(t *testing.T) {
	t.Parallel()
	s := newRecSetup(t)
	require.Empty(t, s.setSource(t, `{source: "recentlyViewed", limit: 1, excludePurchased: true}`).Errors)
	ctx := func(v string) map[string]any {
		return map[string]any{"visitorId": v, "device": "mobile", "channel": "web", "segments": []any{"vip"}}
	}
	s.send(t, s.view("ann-phone", "wool-scarf"), s.view("bob", "winter-boots"), s.view("bob", "thermal-mug"))
	eventually(t, 30*time.Second, "histories reach delivery", func() bool {
		a, _, _ := s.bestsellers(t, ctx("ann-phone"))
		b, _, _ := s.bestsellers(t, ctx("bob"))
		return strings.Join(a, ",") == "wool-scarf" && strings.Join(b, ",") == "thermal-mug"
	})
	for range 3 { // again and again: a cache would answer the second time
		for v, want := range map[string]string{"ann-phone": "wool-scarf", "bob": "thermal-mug"} {
			slugs, rec, r := s.bestsellers(t, ctx(v))
			require.Equal(t, []string{want}, slugs, "%s gets its own list", v)
			require.Contains(t, rec["reason"], "recentlyViewed: ")
			require.Equal(t, "private, no-store", r.Header.Get("Cache-Control"))
			require.NotEqual(t, "HIT", r.Header.Get("X-Mosaic-Cache"))
		}
	}
	// A document selecting decisionId (kept privately by the response
	// cache for other documents): still each visitor's own.
	withIDs := strings.Replace(recHomeQuery, "blocks {", "decisionId blocks {", 1)
	for range 2 {
		for v, want := range map[string]string{"ann-phone": "wool-scarf", "bob": "thermal-mug"} {
			r := s.app.QueryKey(s.read, withIDs, map[string]any{"ctx": ctx(v)})
			require.Empty(t, r.Errors, r.Raw)
			require.Contains(t, r.Raw, `"slug":"`+want+`"`, v)
			require.NotEqual(t, "HIT", r.Header.Get("X-Mosaic-Cache"))
		}
	}
	// No visitor id: no one's history, the editor's list.
	slugs, rec, _ := s.bestsellers(t, map[string]any{"device": "mobile", "channel": "web", "segments": []any{"vip"}})
	require.Equal(t, editorsList, slugs)
	require.Equal(t, 4.0, rec["fallback"])

	// Ann signs in on her phone and her tablet: the tablet shows what
	// the phone viewed; bob's list stays his. Then she buys the scarf.
	s.send(t, `{"id":"id-1","type":"identify","visitorId":"ann-phone","userId":"ann"}`,
		`{"id":"id-2","type":"identify","visitorId":"ann-tablet","userId":"ann"}`)
	eventually(t, 30*time.Second, "the tablet shows the phone's history", func() bool {
		a, _, _ := s.bestsellers(t, ctx("ann-tablet"))
		return strings.Join(a, ",") == "wool-scarf"
	})
	b, _, _ := s.bestsellers(t, ctx("bob"))
	require.Equal(t, []string{"thermal-mug"}, b)
	s.send(t, fmt.Sprintf(`{"id":"buy-1","type":"track","visitorId":"ann-tablet","name":"purchase","properties":{"entry":%q}}`, s.ids["wool-scarf"]))
	eventually(t, 30*time.Second, "a purchase leaves the list", func() bool {
		a, rec, _ := s.bestsellers(t, ctx("ann-phone"))
		return strings.Join(a, ",") == strings.Join(editorsList, ",") && rec["fallback"] == 4.0
	})

	// A restart: the rebuilt engine knows the same people and purchases.
	drained(t, s.app)
	eng := s.rebuilt(t)
	tablet := eng.Recommend(recommend.Query{Source: recommend.RecentlyViewed, VisitorID: "ann-tablet", Candidates: 5})
	require.Len(t, tablet, 1)
	require.Equal(t, s.ids["wool-scarf"], tablet[0].Entry)
	require.Equal(t, []string{s.ids["wool-scarf"]}, eng.Purchased("ann-phone"))
	bob := eng.Recommend(recommend.Query{Source: recommend.RecentlyViewed, VisitorID: "bob", Candidates: 5})
	require.Equal(t, []string{s.ids["thermal-mug"], s.ids["winter-boots"]}, []string{bob[0].Entry, bob[1].Entry})
}

func TestRecommendBadInput(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{NoSeed: true})
	admin := app.Token(auth.RoleAdmin)
	cases := []struct {
		name, field, path, want string
	}{
		{"not a reference", `{key: "title", kind: TEXT, recommend: {source: "popular"}}`, "fields.0.recommend", "only a reference list field"},
		{"a single reference", `{key: "hero", kind: REFERENCE, recommend: {source: "popular"}}`, "fields.0.recommend", "only a reference list field"},
		{"unknown source", `{key: "items", kind: REFERENCE, list: true, recommend: {source: "trending"}}`, "fields.0.recommend.source", "unknown source"},
		{"bad window", `{key: "items", kind: REFERENCE, list: true, recommend: {source: "popular", window: "1 week"}}`, "fields.0.recommend.window", "not a duration"},
		{"zero limit", `{key: "items", kind: REFERENCE, list: true, recommend: {source: "popular", limit: 0}}`, "fields.0.recommend.limit", "between 1 and 50"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := app.Query(admin, `mutation { createContentType(input: {key: "shelf", name: "Shelf", kind: BLOCK, fields: [`+tc.field+`]}) { key } }`, nil)
			require.Equal(t, "BAD_USER_INPUT", r.Code(), r.Raw)
			require.Contains(t, r.Raw, `"path":"`+tc.path+`"`)
			require.Contains(t, r.Raw, tc.want)
		})
	}
	// Nothing was half-written.
	r := app.Query(admin, `{ contentType(key: "shelf") { key } }`, nil)
	require.Empty(t, r.Errors, r.Raw)
	require.Nil(t, r.Data["contentType"], r.Raw)
}
