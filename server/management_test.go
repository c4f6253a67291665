package server_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
)

// snapshot counts the rows a write could touch: a rejected write must leave
// every count as it was.
func snapshot(t *testing.T, app *testapp.App) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"content_types", "entries", "entry_drafts", "entry_versions", "published_entries", "entry_links", "content_changes"} {
		var n int
		require.NoError(t, app.Pool.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n))
		out[table] = n
	}
	var sum int64
	require.NoError(t, app.Pool.QueryRow(context.Background(), "SELECT COALESCE(sum(version), 0) FROM entry_drafts").Scan(&sum))
	out["draft_versions"] = int(sum)
	return out
}

// snapshotPlus is snapshot plus the text of each query (one value each):
// the tables a feature's writes may touch.
func snapshotPlus(t *testing.T, app *testapp.App, queries ...string) map[string]any {
	t.Helper()
	out := map[string]any{}
	for k, v := range snapshot(t, app) {
		out[k] = v
	}
	for _, q := range queries {
		var s string
		require.NoError(t, app.Pool.QueryRow(context.Background(), q).Scan(&s))
		out[q] = s
	}
	return out
}

const createEntry = `mutation($in: CreateEntryInput!) { createEntry(input: $in) { id version status } }`

func TestManagementBadInput(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{})
	editor := app.Token(auth.RoleEditor)
	past, err := auth.NewTokens(auth.Config{Secret: testapp.Secret, Now: func() time.Time { return time.Now().Add(-2 * time.Hour) }})
	require.NoError(t, err)
	expired, err := past.Issue("old", auth.RoleEditor, time.Hour)
	require.NoError(t, err)
	forged := editor[:len(editor)-4] + "AAAA"

	home := app.Query(editor, `{ entries(type: "page") { nodes { id } } }`, nil)
	homeID := testapp.Path(home.Data, "entries", "nodes", 0, "id").(string)
	draft := app.Query(editor, `query($id: ID!) { draft(id: $id) { version } }`, map[string]any{"id": homeID})
	homeVersion := testapp.Path(draft.Data, "draft", "version")

	product := func(fields map[string]any) map[string]any {
		base := map[string]any{"name": "Socks", "sku": "SOCKS-9", "price": 5, "currency": "EUR"}
		for k, v := range fields {
			base[k] = v
		}
		return map[string]any{"in": map[string]any{"type": "product", "slug": "socks", "fields": base}}
	}
	cases := []struct {
		name, token, query string
		vars               map[string]any
		raw                []byte
		code               string
		msg                string
	}{
		{name: "unknown type", token: editor, query: createEntry, code: "BAD_USER_INPUT", msg: "unknown content type",
			vars: map[string]any{"in": map[string]any{"type": "nope", "slug": "x", "fields": map[string]any{}}}},
		{name: "wrong field type", token: editor, query: createEntry, vars: product(map[string]any{"price": "cheap"}), code: "BAD_USER_INPUT", msg: "invalid"},
		{name: "missing required field", token: editor, query: createEntry, vars: product(map[string]any{"name": nil}), code: "BAD_USER_INPUT", msg: "invalid"},
		{name: "invalid enum", token: editor, query: createEntry, vars: product(map[string]any{"currency": "GBP"}), code: "BAD_USER_INPUT", msg: "invalid"},
		{name: "unknown field", token: editor, query: createEntry, vars: product(map[string]any{"colour": "red"}), code: "BAD_USER_INPUT", msg: "invalid"},
		{name: "pattern mismatch", token: editor, query: createEntry, vars: product(map[string]any{"sku": "lower case"}), code: "BAD_USER_INPUT", msg: "invalid"},
		{name: "duplicate unique value", token: editor, query: createEntry, vars: product(map[string]any{"sku": "SCARF-01"}), code: "CONFLICT", msg: "sku"},
		{name: "duplicate slug", token: editor, query: createEntry, code: "CONFLICT", msg: "slug",
			vars: map[string]any{"in": map[string]any{"type": "page", "slug": "home", "fields": map[string]any{"title": "Again"}}}},
		{name: "bad slug", token: editor, query: createEntry, code: "BAD_USER_INPUT", msg: "invalid",
			vars: map[string]any{"in": map[string]any{"type": "page", "slug": "Not A Slug", "fields": map[string]any{"title": "x"}}}},
		{name: "dangling reference", token: editor, query: createEntry, code: "BAD_USER_INPUT", msg: "invalid",
			vars: map[string]any{"in": map[string]any{"type": "page", "slug": "dangling", "fields": map[string]any{"title": "x",
				"blocks": []any{map[string]any{"id": "p", "ref": "00000000-0000-4000-8000-000000000000"}}}}}},
		{name: "fields not an object", token: editor, query: createEntry, code: "BAD_USER_INPUT", msg: "object",
			vars: map[string]any{"in": map[string]any{"type": "page", "slug": "x", "fields": []any{1, 2}}}},
		{name: "stale version", token: editor, code: "CONFLICT", msg: "version",
			query: `mutation($id: ID!, $v: Int!) { updateEntry(id: $id, input: {fields: {title: "Stale"}}, expectedVersion: $v) { version } }`,
			vars:  map[string]any{"id": homeID, "v": 0}},
		{name: "publish stale version", token: app.Token(auth.RolePublisher), code: "CONFLICT", msg: "version",
			query: `mutation($id: ID!) { publishEntry(id: $id, expectedVersion: 999) { version } }`, vars: map[string]any{"id": homeID}},
		{name: "unknown locale", token: editor, code: "BAD_USER_INPUT", msg: "locale",
			query: `{ entry(slug: "home", type: "page", locale: "xx") { id } }`},
		{name: "invalid enum literal", token: editor, code: "BAD_USER_INPUT",
			query: `{ entries(type: "product", sort: {field: "price", direction: SIDEWAYS}) { nodes { id } } }`},
		{name: "garbage cursor", token: editor, code: "BAD_USER_INPUT", msg: "cursor",
			query: `{ entries(type: "product", after: "!!!") { nodes { id } } }`},
		{name: "filter on unknown field", token: editor, code: "BAD_USER_INPUT", msg: "filter",
			query: `{ entries(type: "product", filter: [{field: "colour", value: "red"}]) { nodes { id } } }`},
		{name: "malformed JSON body", raw: []byte(`{"query": "{ entry(slug:`), code: "BAD_USER_INPUT", msg: "JSON"},
		{name: "oversized body", raw: []byte(`{"query":"` + strings.Repeat("x", 2<<20) + `"}`), code: "BAD_USER_INPUT", msg: "exceeds"},
		{name: "syntax error", token: editor, query: `{ entry(slug: "home" { id } }`, code: "BAD_USER_INPUT"},
		{name: "no token", query: createEntry, vars: product(nil), code: "UNAUTHENTICATED", msg: "authentication required"},
		{name: "expired token", token: expired, query: createEntry, vars: product(nil), code: "UNAUTHENTICATED", msg: "expired"},
		{name: "forged token", token: forged, query: createEntry, vars: product(nil), code: "UNAUTHENTICATED", msg: "signature"},
		{name: "viewer cannot write", token: app.Token(auth.RoleViewer), query: createEntry, vars: product(nil), code: "FORBIDDEN", msg: "content.write"},
		{name: "editor cannot publish", token: editor, code: "FORBIDDEN", msg: "content.publish",
			query: `mutation($id: ID!) { publishEntry(id: $id) { version } }`, vars: map[string]any{"id": homeID}},
		{name: "editor cannot model", token: editor, code: "FORBIDDEN", msg: "model.write",
			query: `mutation { createContentType(input: {key: "x", name: "X", fields: []}) { key } }`},
		{name: "invalid type definition", token: app.Token(auth.RoleAdmin), code: "BAD_USER_INPUT", msg: "invalid",
			query: `mutation { createContentType(input: {key: "Bad Key", name: "", fields: [{key: "a", kind: TEXT, pattern: "("}]}) { key } }`},
		{name: "duplicate type", token: app.Token(auth.RoleAdmin), code: "CONFLICT", msg: "exists",
			query: `mutation { createContentType(input: {key: "page", name: "Page", fields: []}) { key } }`},
		{name: "delete linked entry", token: editor, code: "CONFLICT", msg: "still used",
			query: `mutation($id: ID!) { deleteEntry(id: $id) }`, vars: map[string]any{"id": promoID(t, app, editor)}},
	}
	require.NotNil(t, homeVersion)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := snapshot(t, app)
			var resp testapp.Response
			if tc.raw != nil {
				resp = app.Post(tc.token, "application/json", tc.raw)
			} else {
				resp = app.Query(tc.token, tc.query, tc.vars)
			}
			require.NotEmpty(t, resp.Errors, resp.Raw)
			require.Equal(t, tc.code, resp.Code(), resp.Raw)
			require.Contains(t, resp.Errors[0].Message, tc.msg, resp.Raw)
			require.Less(t, resp.Status, 500, resp.Raw)
			require.Equal(t, before, snapshot(t, app), "a rejected write changed the database")
		})
	}
}

func promoID(t *testing.T, app *testapp.App, token string) string {
	resp := app.Query(token, `{ entry(slug: "free-shipping", type: "promo") { id } }`, nil)
	require.Empty(t, resp.Errors, resp.Raw)
	return testapp.Path(resp.Data, "entry", "id").(string)
}
