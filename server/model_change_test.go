package server_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
	"github.com/mosaichq/mosaic/server"
)

const (
	updatePage = `mutation($fields: [FieldInput!]!, $v: Int!, $force: [String!]) {
		updateContentType(input: {key: "page", name: "Page", fields: $fields}, expectedVersion: $v, force: $force) { key version fields { key } } }`
	changePage = `mutation($changes: ContentTypeChangesInput!, $v: Int!, $force: [String!], $dry: Boolean) {
		changeContentType(key: "page", changes: $changes, expectedVersion: $v, force: $force, dryRun: $dry) {
			applied contentType { version fields { key kind } }
			diff { changes entriesAffected
				added { key changes entriesWithValues destructive needsForce }
				changed { key changes entriesWithValues destructive needsForce }
				removed { key changes entriesWithValues destructive needsForce } } } }`
	planPage = `query($fields: [FieldInput!]!, $force: [String!]) {
		planContentTypeUpdate(input: {key: "page", name: "Page", fields: $fields}, force: $force) {
			applied diff { entriesAffected removed { key entriesWithValues needsForce } } } }`
)

// TestContentTypeChangeAPI walks the first-time user's accident over
// GraphQL: sending only the field being changed no longer deletes the
// others; the dry run and the plan show the diff and write nothing (not
// even an audit row); refusals and bad input write nothing; a real change
// is audited with its versions.
func TestContentTypeChangeAPI(t *testing.T) {
	t.Parallel()
	b := setupSecurity(t, server.Security{})
	app := b.app
	admin, editor := app.Token(auth.RoleAdmin), app.Token(auth.RoleEditor)
	cur := app.Query(admin, `{ contentType(key: "page") { version } }`, nil)
	require.Empty(t, cur.Errors, cur.Raw)
	version := int(testapp.Path(cur.Data, "contentType", "version").(float64))
	titleOnly := []any{map[string]any{"key": "title", "kind": "TEXT", "required": true, "localized": true, "max": 200}}
	before := dbState(t, app)

	// The accident: a full definition with only the changed field.
	resp := app.Query(admin, updatePage, map[string]any{"fields": titleOnly, "v": version})
	require.Equal(t, "CONFLICT", resp.Code(), resp.Raw)
	require.Contains(t, resp.Errors[0].Message, "description (1 entries)")
	require.Contains(t, resp.Errors[0].Message, "blocks (1 entries)")
	require.Equal(t, []any{
		map[string]any{"path": "fields.description", "message": `1 entries hold a value for "description"; removing it would lose them: force it by key, or clear those values first`},
		map[string]any{"path": "fields.blocks", "message": `1 entries hold a value for "blocks"; removing it would lose them: force it by key, or clear those values first`},
	}, resp.Errors[0].Extensions["fields"])
	require.Equal(t, before, dbState(t, app), "a refused update writes nothing")

	// The plan says the same without refusing, and writes nothing.
	plan := app.Query(admin, planPage, map[string]any{"fields": titleOnly, "force": []string{"blocks"}})
	require.Empty(t, plan.Errors, plan.Raw)
	require.Equal(t, map[string]any{"applied": false, "diff": map[string]any{"entriesAffected": 1.0, "removed": []any{
		map[string]any{"key": "description", "entriesWithValues": 1.0, "needsForce": true},
		map[string]any{"key": "blocks", "entriesWithValues": 1.0, "needsForce": false},
	}}}, plan.Data["planContentTypeUpdate"])
	require.Equal(t, before, dbState(t, app), "a plan writes nothing")

	// Field operations leave the other fields alone; the dry run first.
	changes := map[string]any{
		"changeFields": titleOnly,
		"addFields":    []any{map[string]any{"key": "seoTitle", "kind": "TEXT", "localized": true, "max": 60}},
	}
	dry := app.Query(admin, changePage, map[string]any{"changes": changes, "v": version, "dry": true})
	require.Empty(t, dry.Errors, dry.Raw)
	require.Equal(t, false, testapp.Path(dry.Data, "changeContentType", "applied"))
	require.Equal(t, float64(version), testapp.Path(dry.Data, "changeContentType", "contentType", "version"))
	require.Equal(t, map[string]any{"key": "title", "changes": []any{"max: 120 → 200"}, "entriesWithValues": 1.0,
		"destructive": false, "needsForce": false}, testapp.Path(dry.Data, "changeContentType", "diff", "changed", 0))
	require.Equal(t, "seoTitle", testapp.Path(dry.Data, "changeContentType", "diff", "added", 0, "key"))
	require.Empty(t, testapp.Path(dry.Data, "changeContentType", "diff", "removed"))
	require.Equal(t, before, dbState(t, app), "a dry run writes nothing, not even an audit row")

	// Bad input: BAD_USER_INPUT with the path into changes, nothing written.
	bad := []struct {
		name    string
		changes map[string]any
		force   []string
		path    string
	}{
		{"unknown field to remove", map[string]any{"removeFields": []string{"subtitle"}}, nil, "removeFields.0"},
		{"duplicate keys", map[string]any{"addFields": []any{
			map[string]any{"key": "seo", "kind": "TEXT"}, map[string]any{"key": "seo", "kind": "JSON"}}}, nil, "addFields.1.key"},
		{"field both changed and removed", map[string]any{"removeFields": []string{"title"}, "changeFields": titleOnly}, nil, "changeFields.0.key"},
		{"enum without values", map[string]any{"addFields": []any{map[string]any{"key": "tone", "kind": "ENUM"}}}, nil, "addFields.0.values"},
		{"pattern on a number", map[string]any{"changeFields": []any{map[string]any{"key": "title", "kind": "NUMBER", "pattern": "^a"}}},
			nil, "changeFields.0.pattern"},
		{"force of an unknown field", map[string]any{"name": "Pages"}, []string{"titel"}, "force.0"},
	}
	for _, tc := range bad {
		for _, dryRun := range []bool{false, true} {
			resp := app.Query(admin, changePage, map[string]any{"changes": tc.changes, "v": version, "force": tc.force, "dry": dryRun})
			require.Equal(t, "BAD_USER_INPUT", resp.Code(), "%s: %s", tc.name, resp.Raw)
			require.Contains(t, paths(resp), tc.path, tc.name)
		}
	}
	// A kind that does not exist is refused by the schema itself.
	resp = app.Query(admin, changePage, map[string]any{"changes": map[string]any{"addFields": []any{map[string]any{"key": "body", "kind": "HTML"}}}, "v": version})
	require.Equal(t, "BAD_USER_INPUT", resp.Code(), resp.Raw)
	require.Equal(t, []any{"variable", "changes", "addFields", 0.0, "kind"}, resp.Errors[0].Path, resp.Raw)
	// Stale versions and editors are refused too.
	require.Equal(t, "CONFLICT", app.Query(admin, changePage, map[string]any{"changes": changes, "v": version - 1}).Code())
	require.Equal(t, "FORBIDDEN", app.Query(editor, changePage, map[string]any{"changes": changes, "v": version, "dry": true}).Code())
	require.Equal(t, "FORBIDDEN", app.Query(editor, planPage, map[string]any{"fields": titleOnly}).Code())
	require.Equal(t, before, dbState(t, app), "refusals write nothing")

	// The real change.
	resp = app.Query(admin, changePage, map[string]any{"changes": changes, "v": version})
	require.Empty(t, resp.Errors, resp.Raw)
	require.Equal(t, true, testapp.Path(resp.Data, "changeContentType", "applied"))
	require.Equal(t, float64(version+1), testapp.Path(resp.Data, "changeContentType", "contentType", "version"))
	var keys []any
	for _, f := range testapp.Path(resp.Data, "changeContentType", "contentType", "fields").([]any) {
		keys = append(keys, f.(map[string]any)["key"])
	}
	require.Equal(t, []any{"title", "description", "blocks", "seoTitle"}, keys)
	home := app.Query("", `{ entry(slug: "home", type: "page") { fields } }`, nil)
	require.Equal(t, "Warm things for cold days.", testapp.Path(home.Data, "entry", "fields", "description"))

	// Forced, the full definition drops what it leaves out.
	resp = app.Query(admin, updatePage, map[string]any{"fields": titleOnly, "v": version + 1, "force": []string{"description", "blocks"}})
	require.Empty(t, resp.Errors, resp.Raw)
	require.Len(t, testapp.Path(resp.Data, "updateContentType", "fields"), 1)

	audit := app.Query(admin, `{ auditLog(first: 5, filter: {entityId: "page"}) { nodes { action entityType beforeVersion afterVersion detail } } }`, nil)
	require.Empty(t, audit.Errors, audit.Raw)
	nodes := testapp.Path(audit.Data, "auditLog", "nodes").([]any)
	require.Len(t, nodes, 2, "only the two changes are audited: no refusal, dry run or plan")
	require.Equal(t, "updateContentType", testapp.Path(nodes[0], "action"))
	require.Equal(t, []any{"description", "blocks"}, testapp.Path(nodes[0], "detail", "force"))
	require.Equal(t, "changeContentType", testapp.Path(nodes[1], "action"))
	require.Equal(t, "ContentType", testapp.Path(nodes[1], "entityType"))
	require.Equal(t, float64(version), testapp.Path(nodes[1], "beforeVersion"))
	require.Equal(t, float64(version+1), testapp.Path(nodes[1], "afterVersion"))
}

// paths lists the field paths of a response's first error.
func paths(r testapp.Response) []string {
	var out []string
	if len(r.Errors) == 0 {
		return nil
	}
	list, _ := r.Errors[0].Extensions["fields"].([]any)
	for _, f := range list {
		if m, ok := f.(map[string]any); ok {
			out = append(out, m["path"].(string))
		}
	}
	return out
}
