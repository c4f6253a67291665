package server_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
	"github.com/mosaichq/mosaic/server"
)

// TestAuditLog: every successful management mutation leaves who, what,
// when and the versions before and after; refused ones leave nothing.
func TestAuditLog(t *testing.T) {
	t.Parallel()
	b := setupSecurity(t, server.Security{})
	app := b.app
	editor, publisher := app.Token(auth.RoleEditor), app.Token(auth.RolePublisher)
	homeID, version := homeDraft(t, app, editor)

	upd := app.Query(editor, `mutation($id: ID!, $v: Int!) { updateEntry(id: $id, input: {fields: {title: "Hello"}}, expectedVersion: $v) { version } }`,
		map[string]any{"id": homeID, "v": version})
	require.Empty(t, upd.Errors, upd.Raw)
	pub := app.Query(publisher, publish, map[string]any{"id": homeID})
	require.Empty(t, pub.Errors, pub.Raw)
	seg := app.Query(editor, `mutation { createSegment(input: {key: "night-owls", name: "Night owls", rule: "traits.hour >= 22"}) { key } }`, nil)
	require.Empty(t, seg.Errors, seg.Raw)
	del := app.Query(editor, `mutation { deleteSegment(key: "night-owls") }`, nil)
	require.Empty(t, del.Errors, del.Raw)
	refused := app.Query(editor, publish, map[string]any{"id": homeID})
	require.Equal(t, "FORBIDDEN", refused.Code())

	resp := app.Query(publisher, `{ auditLog(first: 10) { nodes { action actor actorKind actorRole entityType entityId beforeVersion afterVersion requestId at detail }
		pageInfo { hasNextPage endCursor } } }`, nil)
	require.Empty(t, resp.Errors, resp.Raw)
	nodes := testapp.Path(resp.Data, "auditLog", "nodes").([]any)
	require.Len(t, nodes, 4, "refused mutations and queries are not audited")
	type row = map[string]any
	pick := func(n any) row {
		m := n.(row)
		return row{"action": m["action"], "actor": m["actor"], "entityType": m["entityType"], "entityId": m["entityId"],
			"before": m["beforeVersion"], "after": m["afterVersion"], "role": m["actorRole"]}
	}
	v := float64(version)
	require.Equal(t, []row{
		{"action": "deleteSegment", "actor": "test-editor", "entityType": "", "entityId": "night-owls", "before": nil, "after": nil, "role": "editor"},
		{"action": "createSegment", "actor": "test-editor", "entityType": "Segment", "entityId": "night-owls", "before": nil, "after": 1.0, "role": "editor"},
		{"action": "publishEntry", "actor": "test-publisher", "entityType": "EntryDraft", "entityId": homeID, "before": nil, "after": v + 1, "role": "publisher"},
		{"action": "updateEntry", "actor": "test-editor", "entityType": "EntryDraft", "entityId": homeID, "before": v, "after": v + 1, "role": "editor"},
	}, []row{pick(nodes[0]), pick(nodes[1]), pick(nodes[2]), pick(nodes[3])})
	require.NotNil(t, testapp.Path(nodes[2], "detail", "publishedVersion"), "publish records the published version")
	require.NotEmpty(t, testapp.Path(nodes[0], "requestId"))
	require.Equal(t, "Hello", testapp.Path(nodes[3], "detail", "input", "fields", "title"))

	// Filters and paging.
	page := app.Query(publisher, `{ auditLog(first: 1, filter: {actor: "test-editor"}) { nodes { action } pageInfo { hasNextPage endCursor } } }`, nil)
	require.Equal(t, "deleteSegment", testapp.Path(page.Data, "auditLog", "nodes", 0, "action"))
	require.Equal(t, true, testapp.Path(page.Data, "auditLog", "pageInfo", "hasNextPage"))
	next := app.Query(publisher, `query($after: String) { auditLog(first: 1, after: $after, filter: {actor: "test-editor"}) { nodes { action } } }`,
		map[string]any{"after": testapp.Path(page.Data, "auditLog", "pageInfo", "endCursor")})
	require.Equal(t, "createSegment", testapp.Path(next.Data, "auditLog", "nodes", 0, "action"), next.Raw)
	bad := app.Query(publisher, `{ auditLog(after: "'; DROP TABLE audit_log; --") { nodes { id } } }`, nil)
	require.Equal(t, "BAD_USER_INPUT", bad.Code(), bad.Raw)
}

// TestAuditLogAppendOnly: the database itself refuses to change history,
// whoever asks.
func TestAuditLogAppendOnly(t *testing.T) {
	t.Parallel()
	b := setupSecurity(t, server.Security{})
	app := b.app
	resp := app.Query(app.Token(auth.RoleAdmin), `mutation { createSegment(input: {key: "k", name: "K"}) { key } }`, nil)
	require.Empty(t, resp.Errors, resp.Raw)
	before := dbState(t, app)
	for _, stmt := range []string{
		`UPDATE audit_log SET actor = 'someone-else'`,
		`DELETE FROM audit_log`,
		`TRUNCATE audit_log`,
	} {
		_, err := app.Pool.Exec(context.Background(), stmt)
		require.ErrorContains(t, err, "audit_log is append-only", stmt)
	}
	require.Equal(t, before, dbState(t, app))
}
