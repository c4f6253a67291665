package server_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
)

const listMemos = `query($s: String, $st: EntryStatus, $o: DraftSort, $first: Int, $after: String) {
	drafts(type: "memo", search: $s, status: $st, orderBy: $o, first: $first, after: $after) { id slug status } }`

// TestDraftListSearchStatusOrder: the editors' draft list searches slug and
// title (wildcards taken literally), filters by publishing status and orders
// by updatedAt, slug or title in both directions before the page is cut, and
// pages with the last entry's id whatever the order. Bad input is refused as
// BAD_USER_INPUT; a cursor whose entry is gone is said to be, not taken as
// the end of the list.
func TestDraftListSearchStatusOrder(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{})
	admin := app.Token(auth.RoleAdmin)
	mustOK := func(r testapp.Response) testapp.Response {
		t.Helper()
		require.Empty(t, r.Errors, r.Raw)
		return r
	}
	mustOK(app.Query(admin, `mutation { createContentType(input: {key: "memo", name: "Memo", kind: ENTRY,
		fields: [{key: "title", kind: TEXT}]}) { key } }`, nil))
	ids := map[string]string{}
	versions := map[string]any{}
	// Slug order a, b, c; title order b, c, a.
	for _, e := range []struct{ slug, title string }{{"a-memo", "zebra sale"}, {"b-memo", "apple pie"}, {"c-memo", "cherry 100%_off"}} {
		r := mustOK(app.Query(admin, `mutation($s: String!, $f: JSON!) { createEntry(input: {type: "memo", slug: $s, fields: $f}) { id version } }`,
			map[string]any{"s": e.slug, "f": map[string]any{"title": e.title}}))
		ids[e.slug] = testapp.Path(r.Data, "createEntry", "id").(string)
		versions[e.slug] = testapp.Path(r.Data, "createEntry", "version")
	}
	publish := `mutation($id: ID!) { publishEntry(id: $id) { version } }`
	mustOK(app.Query(admin, publish, map[string]any{"id": ids["b-memo"]}))
	mustOK(app.Query(admin, publish, map[string]any{"id": ids["c-memo"]}))
	mustOK(app.Query(admin, `mutation($id: ID!, $v: Int!) { updateEntry(id: $id, input: {fields: {title: "cherry 100%_off"}, slug: "c-memo"}, expectedVersion: $v) { version } }`,
		map[string]any{"id": ids["c-memo"], "v": versions["c-memo"]}))

	slugs := func(vars map[string]any) []string {
		t.Helper()
		r := mustOK(app.Query(admin, listMemos, vars))
		var out []string
		for _, d := range testapp.Path(r.Data, "drafts").([]any) {
			out = append(out, d.(map[string]any)["slug"].(string))
		}
		return out
	}
	asc := func(f string) map[string]any { return map[string]any{"field": f, "direction": "ASC"} }
	desc := func(f string) map[string]any { return map[string]any{"field": f, "direction": "DESC"} }

	// Search: slug or title, any case; % and _ are literal.
	require.ElementsMatch(t, []string{"a-memo", "b-memo"}, slugs(map[string]any{"s": "A"}), "a in a-memo's slug, b-memo's title 'apple'")
	require.Equal(t, []string{"b-memo"}, slugs(map[string]any{"s": "APPLE"}))
	require.Equal(t, []string{"c-memo"}, slugs(map[string]any{"s": "100%_"}))
	require.Equal(t, []string{"c-memo"}, slugs(map[string]any{"s": "%"}), "only the title holding a %")
	require.Empty(t, slugs(map[string]any{"s": "a%e"}), "% is not a wildcard (apple)")
	require.Empty(t, slugs(map[string]any{"s": "a_m"}), "_ matches only itself")

	// Status, applied before the page is cut.
	require.Equal(t, []string{"a-memo"}, slugs(map[string]any{"st": "DRAFT"}))
	require.Equal(t, []string{"b-memo"}, slugs(map[string]any{"st": "PUBLISHED"}))
	require.Equal(t, []string{"c-memo"}, slugs(map[string]any{"st": "CHANGED"}))
	require.Equal(t, []string{"b-memo"}, slugs(map[string]any{"st": "PUBLISHED", "first": 1}))

	// Orders, both directions.
	require.Equal(t, []string{"a-memo", "b-memo", "c-memo"}, slugs(map[string]any{"o": asc("SLUG")}))
	require.Equal(t, []string{"c-memo", "b-memo", "a-memo"}, slugs(map[string]any{"o": desc("SLUG")}))
	require.Equal(t, []string{"b-memo", "c-memo", "a-memo"}, slugs(map[string]any{"o": asc("TITLE")}))
	require.Equal(t, []string{"a-memo", "c-memo", "b-memo"}, slugs(map[string]any{"o": desc("TITLE")}))
	require.Equal(t, "c-memo", slugs(map[string]any{"o": desc("UPDATED_AT")})[0], "c-memo was saved last")

	// Cursor paging in title order: the cursor is the last entry's id.
	var paged []string
	after := any(nil)
	for range 4 {
		page := slugs(map[string]any{"o": asc("TITLE"), "first": 1, "after": after})
		if len(page) == 0 {
			break
		}
		require.Len(t, page, 1)
		paged = append(paged, page[0])
		after = ids[page[0]]
	}
	require.Equal(t, []string{"b-memo", "c-memo", "a-memo"}, paged)
	require.Equal(t, []string{"c-memo"}, slugs(map[string]any{"o": desc("TITLE"), "first": 1, "after": ids["a-memo"]}))

	// Refused: too long, NUL, unknown status or order, a cursor not an id,
	// a cursor whose entry is gone. None of them is an internal error.
	for name, tc := range map[string]struct {
		vars map[string]any
		code string
	}{
		"search too long":   {map[string]any{"s": strings.Repeat("x", 201)}, "BAD_USER_INPUT"},
		"search with NUL":   {map[string]any{"s": "a\x00b"}, "BAD_USER_INPUT"},
		"unknown status":    {map[string]any{"st": "LIVE"}, "BAD_USER_INPUT"},
		"unknown order":     {map[string]any{"o": asc("PRICE")}, "BAD_USER_INPUT"},
		"cursor not an id":  {map[string]any{"after": "b-memo"}, "BAD_USER_INPUT"},
		"order without key": {map[string]any{"o": map[string]any{"direction": "DESC"}}, "BAD_USER_INPUT"},
	} {
		t.Run(name, func(t *testing.T) {
			r := app.Query(admin, listMemos, tc.vars)
			require.Equal(t, tc.code, r.Code(), r.Raw)
		})
	}
	mustOK(app.Query(admin, `mutation($id: ID!) { deleteEntry(id: $id) }`, map[string]any{"id": ids["a-memo"]}))
	gone := app.Query(admin, listMemos, map[string]any{"o": asc("SLUG"), "after": ids["a-memo"]})
	require.Equal(t, "BAD_USER_INPUT", gone.Code(), gone.Raw)
	require.Contains(t, gone.Errors[0].Message, "invalid cursor")
	require.Equal(t, []string{"b-memo", "c-memo"}, slugs(map[string]any{"o": asc("SLUG")}))
	// The list's end after a live cursor is an empty page, not an error.
	require.Empty(t, slugs(map[string]any{"o": asc("SLUG"), "after": ids["c-memo"]}))
}
