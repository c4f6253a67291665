package server_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
	"github.com/mosaichq/mosaic/server"
)

// injections are hostile strings: SQL, CEL, file names, markup, a NUL byte
// and a long one.
var injections = []string{
	`' OR '1'='1`, `'; DROP TABLE entries; --`, `" OR ""="`, `1); SELECT pg_sleep(10); --`, `%_\`, `$1`, "nul\x00byte",
	`traits.x || true`, `1/0 == 1`, `"a".matches("(a+)+$")`, `context.device == "mobile") || (true`,
	`[1,2,3].map(x, [1,2,3].map(y, [1,2,3].map(z, x*y*z)))`,
	`../../etc/passwd`, `..\..\windows\win.ini`, `/etc/shadow`, `a/../../b.png`, "evil.png\x00.exe", `con.png`,
	`<script>alert(1)</script>`, strings.Repeat("A", 5000),
}

// TestInjectionThroughEveryStringInput sends each hostile string through
// every string argument and input field of the API (as an admin, so that
// the input itself is what is judged). No answer may be a 500 or an
// INTERNAL error; a refused write must change nothing; and afterwards every
// table is still there.
func TestInjectionThroughEveryStringInput(t *testing.T) {
	t.Parallel()
	b := setupSecurity(t, server.Security{}, func(o *testapp.Options) { o.Search = true })
	app := b.app
	admin := app.Token(auth.RoleAdmin)
	homeID := entryID(t, app, "home")
	tablesBefore := len(dbState(t, app))

	type op struct {
		name, query string
		vars        func(p string, i int) map[string]any
	}
	v := func(kv ...any) func(string, int) map[string]any {
		return func(p string, i int) map[string]any {
			out := map[string]any{}
			for j := 0; j < len(kv); j += 2 {
				switch x := kv[j+1].(type) {
				case string:
					out[kv[j].(string)] = strings.ReplaceAll(strings.ReplaceAll(x, "$P", p), "$I", fmt.Sprint(i))
				default:
					out[kv[j].(string)] = x
				}
			}
			return out
		}
	}
	ops := []op{
		{"entry slug", `query($p: String!) { entry(slug: $p, type: "page") { id } }`, v("p", "$P")},
		{"entry type", `query($p: String) { entry(slug: "home", type: $p) { id } }`, v("p", "$P")},
		{"entry locale", `query($p: String) { entry(slug: "home", type: "page", locale: $p) { id } }`, v("p", "$P")},
		{"context visitorId", `query($p: String) { entry(slug: "home", type: "page", context: {visitorId: $p}) { id } }`, v("p", "$P")},
		{"context segments", `query($p: String!) { entry(slug: "home", type: "page", context: {segments: [$p]}) { id } }`, v("p", "$P")},
		{"context device", `query($p: String) { entry(slug: "home", type: "page", context: {device: $p}) { id } }`, v("p", "$P")},
		{"context channel", `query($p: String) { entry(slug: "home", type: "page", context: {channel: $p}) { id } }`, v("p", "$P")},
		{"context traits", `query($p: String!) { entry(slug: "home", type: "page", context: {traits: {name: $p}}) { id } }`, v("p", "$P")},
		{"entries type", `query($p: String!) { entries(type: $p) { nodes { id } } }`, v("p", "$P")},
		{"entries after", `query($p: String) { entries(type: "page", after: $p) { nodes { id } } }`, v("p", "$P")},
		{"entries filter field", `query($p: String!) { entries(type: "page", filter: [{field: $p, value: "x"}]) { nodes { id } } }`, v("p", "$P")},
		{"entries filter value", `query($p: JSON) { entries(type: "page", filter: [{field: "title", value: $p}]) { nodes { id } } }`, v("p", "$P")},
		{"entries sort", `query($p: String!) { entries(type: "page", sort: {field: $p}) { nodes { id } } }`, v("p", "$P")},
		{"search query", `query($p: String!) { search(query: $p) { total } }`, v("p", "$P")},
		{"search locale", `query($p: String) { search(query: "x", locale: $p) { total } }`, v("p", "$P")},
		{"search type", `query($p: String) { search(query: "x", type: $p) { total } }`, v("p", "$P")},
		{"search after", `query($p: String) { search(query: "x", after: $p) { total } }`, v("p", "$P")},
		{"search tags", `query($p: String!) { search(query: "x", filter: {tags: [$p]}) { total } }`, v("p", "$P")},
		{"draft id", `query($p: ID!) { draft(id: $p) { id } }`, v("p", "$P")},
		{"drafts type", `query($p: String) { drafts(type: $p) { id } }`, v("p", "$P")},
		{"content type key", `query($p: String!) { contentType(key: $p) { key } }`, v("p", "$P")},
		{"segment key", `query($p: String!) { segment(key: $p) { key } }`, v("p", "$P")},
		{"experiment key", `query($p: String!) { experiment(key: $p) { key } }`, v("p", "$P")},
		{"asset id", `query($p: ID!) { asset(id: $p) { id } }`, v("p", "$P")},
		{"assets tag", `query($p: String) { assets(tag: $p) { nodes { id } } }`, v("p", "$P")},
		{"assets after", `query($p: String) { assets(after: $p) { nodes { id } } }`, v("p", "$P")},
		{"campaign key", `query($p: String) { campaign(key: $p) { id } }`, v("p", "$P")},
		{"explain slug", `query($p: String!) { explainDecision(slug: $p, type: "page") { entryId } }`, v("p", "$P")},
		{"explain block", `query($p: String) { explainDecision(slug: "home", type: "page", blockId: $p) { entryId } }`, v("p", "$P")},
		{"audit filter", `query($p: String) { auditLog(filter: {actor: $p, action: $p, entityId: $p}) { nodes { id } } }`, v("p", "$P")},
		{"create entry slug and title", `mutation($p: String!, $t: JSON!) { createEntry(input: {type: "page", slug: $p, fields: $t}) { id } }`,
			func(p string, _ int) map[string]any { return map[string]any{"p": p, "t": map[string]any{"title": p}} }},
		{"create entry type", `mutation($p: String!) { createEntry(input: {type: $p, slug: "x", fields: {}}) { id } }`, v("p", "$P")},
		{"create entry locale", `mutation($p: String) { createEntry(input: {type: "page", slug: "inj", locale: $p, fields: {title: "x"}}) { id } }`, v("p", "$P")},
		{"update entry id", `mutation($p: ID!) { updateEntry(id: $p, input: {fields: {title: "x"}}, expectedVersion: 1) { id } }`, v("p", "$P")},
		{"update entry title", `mutation($id: ID!, $t: JSON) { updateEntry(id: $id, input: {fields: $t}, expectedVersion: 999) { id } }`,
			func(p string, _ int) map[string]any {
				return map[string]any{"id": homeID, "t": map[string]any{"title": p}}
			}},
		{"publish locale", `mutation($id: ID!, $p: String) { publishEntry(id: $id, locale: $p) { id } }`, v("id", homeID, "p", "$P")},
		{"delete entry", `mutation($p: ID!) { deleteEntry(id: $p) }`, v("p", "$P")},
		{"segment key", `mutation($p: String!) { createSegment(input: {key: $p, name: "x"}) { key } }`, v("p", "$P")},
		{"segment name and CEL rule", `mutation($k: String!, $p: String!) { createSegment(input: {key: $k, name: $p, rule: $p}) { key } }`, v("k", "inj-$I", "p", "$P")},
		{"experiment keys", `mutation($p: String!) { createExperiment(input: {key: $p, name: $p, arms: [{key: $p, weight: 1}]}) { key } }`, v("p", "$P")},
		{"content type key", `mutation($p: String!) { createContentType(input: {key: $p, name: $p, fields: [{key: "t", kind: TEXT}]}) { key } }`, v("p", "$P")},
		{"content type pattern", `mutation($k: String!, $p: String) { createContentType(input: {key: $k, name: "x", fields: [{key: "t", kind: TEXT, pattern: $p}]}) { key } }`,
			v("k", "injtype$I", "p", "$P")},
		{"API key name and channel", `mutation($p: String!) { createAPIKey(input: {name: $p, scope: DELIVERY, channels: [$p]}) { key } }`, v("p", "$P")},
		{"API key name", `mutation($p: String!) { createAPIKey(input: {name: $p, scope: DELIVERY}) { apiKey { name } } }`, v("p", "$P")},
		{"revoke key id", `mutation($p: ID!) { revokeAPIKey(id: $p) { id } }`, v("p", "$P")},
		{"user email and password", `mutation($p: String!) { createUser(input: {email: $p, password: $p, role: VIEWER}) { id } }`, v("p", "$P")},
		{"update user id", `mutation($p: ID!) { updateUser(id: $p, input: {disabled: true}, expectedVersion: 1) { id } }`, v("p", "$P")},
		{"login", `mutation($p: String!) { login(email: $p, password: $p) { token } }`, v("p", "$P")},
		{"upload file name", `mutation($p: String!) { createUpload(input: {filename: $p, contentType: "image/png", size: 100}) { uploadUrl } }`, v("p", "$P")},
		{"campaign key and name", `mutation($p: String!) { createCampaign(input: {key: $p, name: $p}) { id } }`, v("p", "$P")},
		{"campaign time zone", `mutation($k: String!, $p: String) { createCampaign(input: {key: $k, name: "x", timeZone: $p}) { id } }`, v("k", "inj-$I", "p", "$P")},
	}
	i := 0
	for _, o := range ops {
		mutation := strings.HasPrefix(o.query, "mutation")
		for _, p := range injections {
			i++
			var before map[string]string
			if mutation {
				before = dbState(t, app)
			}
			resp := app.Query(admin, o.query, o.vars(p, i))
			label := fmt.Sprintf("%s with %.40q: %.300s", o.name, p, resp.Raw)
			require.Less(t, resp.Status, http.StatusInternalServerError, label)
			for _, e := range resp.Errors {
				require.NotContains(t, []string{"INTERNAL", "SERVICE_UNAVAILABLE", ""}, e.Extensions["code"], label)
			}
			if mutation && len(resp.Errors) > 0 {
				require.Equal(t, before, dbState(t, app), "a refused write changed the database: "+label)
			}
			if o.name == "upload file name" && len(resp.Errors) == 0 {
				require.False(t, slices.ContainsFunc([]string{"../", `..\`}, func(s string) bool { return strings.Contains(resp.Raw, s) }), label)
			}
		}
	}
	require.Len(t, dbState(t, app), tablesBefore, "every table is still there")
	resp := app.Query("", `{ entry(slug: "home", type: "page") { id } }`, nil)
	require.Empty(t, resp.Errors, resp.Raw)
}
