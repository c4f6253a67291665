package server_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/internal/testapp"
)

const searchQuery = `query($q: String!, $locale: String, $type: String, $filter: SearchFilter, $first: Int, $after: String) {
  search(query: $q, locale: $locale, type: $type, filter: $filter, first: $first, after: $after) {
    total
    hits { score cursor entry { id type slug locale fields } highlights { field fragments } }
    facets { types { value count } tags { value count } }
    pageInfo { hasNextPage endCursor }
  }
}`

// articleType is a searchable type with tags, rich text and an enum.
var articleType = content.ContentType{Key: "article", Name: "Article", Kind: content.TypeEntry, Fields: []content.Field{
	{Key: "title", Kind: content.KindText, Required: true, Localized: true},
	{Key: "body", Kind: content.KindRichText, Localized: true},
	{Key: "tags", Kind: content.KindText, List: true},
	{Key: "section", Kind: content.KindEnum, Values: []string{"guides", "news"}},
}}

func richText(s string) map[string]any {
	return map[string]any{"type": "doc", "content": []any{map[string]any{"type": "paragraph",
		"content": []any{map[string]any{"type": "text", "text": s}}}}}
}

// publishArticle creates and publishes an article in en and, when roTitle
// is set, in ro; it returns the entry id.
func publishArticle(t *testing.T, svc *content.Service, slug, title, body, roTitle, roBody string, tags ...string) string {
	t.Helper()
	ctx := context.Background()
	e, err := svc.CreateEntry(ctx, "test", content.NewEntry{Type: "article", Slug: slug, Fields: map[string]any{
		"title": title, "body": richText(body), "tags": toAny(tags), "section": "guides"}})
	require.NoError(t, err)
	_, err = svc.PublishEntry(ctx, "test", e.ID, "en", nil)
	require.NoError(t, err)
	if roTitle != "" {
		ro, err := svc.CreateEntry(ctx, "test", content.NewEntry{ID: e.ID, Type: "article", Locale: "ro", Slug: slug,
			Fields: map[string]any{"title": roTitle, "body": richText(roBody)}})
		require.NoError(t, err)
		_, err = svc.PublishEntry(ctx, "test", ro.ID, "ro", nil)
		require.NoError(t, err)
	}
	return e.ID
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// searchApp is the demo instance with a search index and three articles.
func searchApp(t *testing.T) *testapp.App {
	t.Helper()
	app := testapp.New(t, testapp.Options{Search: true})
	_, err := app.Content.CreateContentType(context.Background(), articleType)
	require.NoError(t, err)
	publishArticle(t, app.Content, "shopping-list", "Winter shopping list", "What to buy before the first snow.",
		"Lista de cumpărături pentru iarnă", "Ce să cumperi înainte de prima ninsoare.", "winter", "lists")
	publishArticle(t, app.Content, "boot-care", "Caring for winter boots", "Dry them slowly, away from the radiator.",
		"", "", "winter", "care")
	publishArticle(t, app.Content, "summer-sale", "Summer sale", "Everything light and cool.", "", "", "sale")
	eventually(t, 5*time.Second, "articles indexed", func() bool {
		return search(t, app, map[string]any{"q": "", "type": "article"})["total"] == 3.0
	})
	return app
}

func search(t *testing.T, app *testapp.App, vars map[string]any) map[string]any {
	t.Helper()
	resp := app.Query("", searchQuery, vars)
	require.Empty(t, resp.Errors, resp.Raw)
	return testapp.Path(resp.Data, "search").(map[string]any)
}

func slugs(res map[string]any) []string {
	var out []string
	for _, h := range res["hits"].([]any) {
		out = append(out, testapp.Path(h, "entry", "slug").(string))
	}
	return out
}

// eventually polls cond until it holds or the deadline passes: the index
// follows the change feed asynchronously.
func eventually(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, within)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestSearchRanksAndHighlights(t *testing.T) {
	t.Parallel()
	app := searchApp(t)
	res := search(t, app, map[string]any{"q": "winter boots"})
	got := slugs(res)
	// Both words in the title (the demo product, an article) beat one
	// word in the title or the body.
	require.ElementsMatch(t, []string{"winter-boots", "boot-care"}, got[:2], got)
	require.Contains(t, got, "home") // the demo page: its hero says winter
	require.NotContains(t, got, "summer-sale")
	first := res["hits"].([]any)[0]
	require.Equal(t, "title", testapp.Path(first, "highlights", 0, "field"))
	require.Contains(t, testapp.Path(first, "highlights", 0, "fragments", 0), "<mark>winter</mark> <mark>boots</mark>")

	// Global blocks are searched through the entries that embed them.
	shipping := slugs(search(t, app, map[string]any{"q": "shipping"}))
	require.ElementsMatch(t, []string{"home", "lobby"}, shipping)

	// Highlights are HTML-escaped around the marks.
	res = search(t, app, map[string]any{"q": "snow"})
	require.Equal(t, []string{"shopping-list"}, slugs(res))
	require.Equal(t, "body", testapp.Path(res, "hits", 0, "highlights", 0, "field"))
	require.Contains(t, testapp.Path(res, "hits", 0, "highlights", 0, "fragments", 0), "<mark>snow</mark>")
}

func TestSearchFoldsDiacriticsPerLocale(t *testing.T) {
	t.Parallel()
	app := searchApp(t)
	for _, q := range []string{"cumparaturi", "cumpărături", "CUMPARATURILE", "iarna"} {
		res := search(t, app, map[string]any{"q": q, "locale": "ro", "type": "article"})
		require.Equal(t, []string{"shopping-list"}, slugs(res), q)
		require.Equal(t, "ro", testapp.Path(res, "hits", 0, "entry", "locale"))
	}
	// ro-RO has no rows: it reads ro through the fallback chain.
	res := search(t, app, map[string]any{"q": "cumparaturi", "locale": "ro-RO", "type": "article"})
	require.Equal(t, []string{"shopping-list"}, slugs(res))
	// The demo's Romanian product names, typed without diacritics.
	require.Equal(t, []string{"wool-scarf"}, slugs(search(t, app, map[string]any{"q": "lana merinos", "locale": "ro"})))
	require.Contains(t, slugs(search(t, app, map[string]any{"q": "caciula", "locale": "ro"})), "knit-beanie")
	// The English document does not hold the Romanian words.
	require.Empty(t, slugs(search(t, app, map[string]any{"q": "cumparaturi", "locale": "en"})))
	hl := testapp.Path(search(t, app, map[string]any{"q": "cumparaturi", "locale": "ro"}), "hits", 0, "highlights", 0, "fragments", 0)
	require.Contains(t, hl, "<mark>cumpărături</mark>")
}

func TestSearchFacetsFiltersAndPages(t *testing.T) {
	t.Parallel()
	app := searchApp(t)
	all := search(t, app, map[string]any{"q": ""})
	types := map[string]any{}
	for _, f := range testapp.Path(all, "facets", "types").([]any) {
		types[testapp.Path(f, "value").(string)] = testapp.Path(f, "count")
	}
	// Global blocks (promo) are not documents of their own.
	require.Equal(t, map[string]any{"article": 3.0, "product": 4.0, "page": 1.0, "screen": 1.0}, types)
	tags := map[string]any{}
	for _, f := range testapp.Path(all, "facets", "tags").([]any) {
		tags[testapp.Path(f, "value").(string)] = testapp.Path(f, "count")
	}
	require.Equal(t, map[string]any{"winter": 2.0, "lists": 1.0, "care": 1.0, "sale": 1.0}, tags)

	filtered := search(t, app, map[string]any{"q": "", "filter": map[string]any{"tags": []any{"winter", "care"}}})
	require.Equal(t, []string{"boot-care"}, slugs(filtered))
	filtered = search(t, app, map[string]any{"q": "winter", "filter": map[string]any{"types": []any{"page", "product"}}})
	require.ElementsMatch(t, []string{"home", "winter-boots"}, slugs(filtered))
	filtered = search(t, app, map[string]any{"q": "", "filter": map[string]any{"publishedBefore": "2000-01-01T00:00:00Z"}})
	require.Equal(t, 0.0, filtered["total"])

	// Pages of one chain every match exactly once, in rank order.
	var seen []string
	var after any
	for page := 0; ; page++ {
		require.Less(t, page, 20)
		res := search(t, app, map[string]any{"q": "", "first": 2, "after": after})
		require.Equal(t, all["total"], res["total"])
		seen = append(seen, slugs(res)...)
		if testapp.Path(res, "pageInfo", "hasNextPage") == false {
			break
		}
		after = testapp.Path(res, "pageInfo", "endCursor")
	}
	require.Len(t, seen, int(all["total"].(float64)))
	resp := app.Query("", `{ search(query: "", first: 100) { hits { entry { slug } } } }`, nil)
	require.Empty(t, resp.Errors, resp.Raw)
	require.ElementsMatch(t, slugs(testapp.Path(resp.Data, "search").(map[string]any)), seen)
}

func TestSearchFollowsPublishing(t *testing.T) {
	t.Parallel()
	app := searchApp(t)
	editor := app.Token(auth.RolePublisher)
	found := func(q string) bool { return len(slugs(search(t, app, map[string]any{"q": q}))) > 0 }
	id := publishArticle(t, app.Content, "auroras", "Northern lights tonight", "Look up.", "", "")
	eventually(t, 5*time.Second, "published article searchable", func() bool { return found("northen~1") })

	resp := app.Query(editor, `mutation($id: ID!) { unpublishEntry(id: $id, locale: "en") { status } }`, map[string]any{"id": id})
	require.Empty(t, resp.Errors, resp.Raw)
	eventually(t, 5*time.Second, "unpublished article gone", func() bool { return !found("northern") })

	// Republishing a global block reindexes the entries that embed it.
	promo := app.Query(editor, `{ entries(type: "promo") { nodes { id } } }`, nil)
	promoID := testapp.Path(promo.Data, "entries", "nodes", 0, "id").(string)
	d, err := app.Content.Draft(context.Background(), promoID, "en")
	require.NoError(t, err)
	d.Fields["headline"] = "Free gift wrapping this week"
	_, err = app.Content.UpdateEntry(context.Background(), "test", promoID, "en", content.EntryPatch{Fields: d.Fields}, d.Version)
	require.NoError(t, err)
	_, err = app.Content.PublishEntry(context.Background(), "test", promoID, "en", nil)
	require.NoError(t, err)
	eventually(t, 5*time.Second, "embedding page reindexed", func() bool {
		return strings.Join(slugs(search(t, app, map[string]any{"q": "wrapping", "first": 5})), ",") != ""
	})
	require.ElementsMatch(t, []string{"home", "lobby"}, slugs(search(t, app, map[string]any{"q": "wrapping"})))
}

func TestSearchBadInput(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{Search: true})
	other := search(t, app, map[string]any{"q": "winter", "first": 1})
	otherCursor := testapp.Path(other, "pageInfo", "endCursor")
	cases := []struct {
		name string
		vars map[string]any
		msg  string
	}{
		{"unterminated phrase", map[string]any{"q": `"winter boots`}, "invalid search query"},
		{"dangling field", map[string]any{"q": `title:`}, "invalid search query"},
		{"open parenthesis", map[string]any{"q": `title:(`}, "parentheses do not group terms here"},
		{"grouping", map[string]any{"q": `title:(winter boots)`}, `escape + - : ( ) " \ with a backslash`},
		{"bare colon", map[string]any{"q": `:`}, "field:value"},
		{"unknown field", map[string]any{"q": `colour:red`}, "unknown field"},
		{"regular expression", map[string]any{"q": `/win.*/`}, "regular expressions"},
		{"range", map[string]any{"q": `price:>5`}, "range"},
		{"leading wildcard", map[string]any{"q": `*ter`}, "wildcard"},
		{"fuzziness", map[string]any{"q": `winter~5`}, "fuzziness"},
		{"huge query", map[string]any{"q": strings.Repeat("winter ", 100)}, "at most"},
		{"too many terms", map[string]any{"q": strings.Repeat("a ", 40)}, "terms"},
		{"unknown locale", map[string]any{"q": "winter", "locale": "xx"}, "unknown locale"},
		{"first zero", map[string]any{"q": "winter", "first": 0}, "first"},
		{"garbage cursor", map[string]any{"q": "winter", "after": "abc"}, "cursor"},
		{"cursor of another query", map[string]any{"q": "boots", "after": otherCursor}, "another query"},
		{"too many tags", map[string]any{"q": "", "filter": map[string]any{"tags": toAny(strings.Split(strings.Repeat("x,", 30), ","))}}, "at most"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := app.Query("", searchQuery, tc.vars)
			require.Equal(t, "BAD_USER_INPUT", resp.Code(), resp.Raw)
			require.Contains(t, resp.Errors[0].Message, tc.msg)
			require.Nil(t, resp.Data)
		})
	}
	// A page too large is refused by its cost when it selects much, else
	// by its size.
	resp := app.Query("", `{ search(query: "winter", first: 101) { total } }`, nil)
	require.Equal(t, "BAD_USER_INPUT", resp.Code(), resp.Raw)
	resp = app.Query("", `{ search(query: "winter", first: 1000) { hits { entry { id fields blocks { id } } } } }`, nil)
	require.Equal(t, "QUERY_TOO_COMPLEX", resp.Code(), resp.Raw)
}
