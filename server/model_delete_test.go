package server_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
	"github.com/mosaichq/mosaic/server"
)

const deleteType = `mutation($k: String!, $v: Int!) { deleteContentType(key: $k, expectedVersion: $v) }`

// TestDeleteContentType: a type is deleted only when nothing uses it. While
// another type allows it, entries of it exist or an entry holds a block of
// it (in a type allowing any block type too), the deletion is refused with
// CONFLICT saying what to do first, and nothing is written (no audit row
// either); an editor may not delete; a stale version is a CONFLICT. The
// deletion that succeeds is audited.
func TestDeleteContentType(t *testing.T) {
	t.Parallel()
	b := setupSecurity(t, server.Security{})
	app := b.app
	admin, editor := app.Token(auth.RoleAdmin), app.Token(auth.RoleEditor)
	ok := func(r testapp.Response) testapp.Response {
		t.Helper()
		require.Empty(t, r.Errors, r.Raw)
		return r
	}
	version := func(key string) int {
		t.Helper()
		r := ok(app.Query(admin, `query($k: String!) { contentType(key: $k) { version } }`, map[string]any{"k": key}))
		return int(testapp.Path(r.Data, "contentType", "version").(float64))
	}
	refused := func(key string, v int, token, code, msg string) {
		t.Helper()
		before := dbState(t, app)
		r := app.Query(token, deleteType, map[string]any{"k": key, "v": v})
		require.Equal(t, code, r.Code(), r.Raw)
		require.Contains(t, r.Errors[0].Message, msg)
		require.Equal(t, before, dbState(t, app), "a refusal writes nothing")
	}

	ok(app.Query(admin, `mutation { createContentType(input: {key: "memo", name: "Memo", kind: ENTRY, fields: [{key: "title", kind: TEXT}]}) { key } }`, nil))
	ok(app.Query(admin, `mutation { createContentType(input: {key: "stamp", name: "Stamp", kind: BLOCK, fields: [{key: "label", kind: TEXT}]}) { key } }`, nil))
	ok(app.Query(admin, `mutation { createContentType(input: {key: "album", name: "Album", kind: ENTRY, fields: [{key: "blocks", kind: BLOCKS, allowedTypes: ["stamp"]}]}) { key } }`, nil))
	memo := ok(app.Query(admin, `mutation { createEntry(input: {type: "memo", slug: "m1", fields: {title: "M"}}) { id } }`, nil))
	album := ok(app.Query(admin, `mutation { createEntry(input: {type: "album", slug: "a1", fields: {blocks: [{id: "s1", type: "stamp", fields: {label: "x"}}]}}) { id } }`, nil))
	// board allows any block type: no type names stamp, but its entry holds one.
	ok(app.Query(admin, `mutation { createContentType(input: {key: "board", name: "Board", kind: ENTRY, fields: [{key: "blocks", kind: BLOCKS}]}) { key } }`, nil))
	board := ok(app.Query(admin, `mutation { createEntry(input: {type: "board", slug: "b1", fields: {blocks: [{id: "s2", type: "stamp", fields: {label: "y"}}]}}) { id } }`, nil))

	refused("memo", version("memo"), editor, "FORBIDDEN", "")
	refused("memo", version("memo"), admin, "CONFLICT", `content type "memo" has 1 entries: delete them first`)
	refused("memo", version("memo")+1, admin, "CONFLICT", "reload it")
	refused("stamp", version("stamp"), admin, "CONFLICT", `content type "stamp" is allowed by album.blocks`)
	refused("nope", 1, admin, "NOT_FOUND", `"nope"`)

	// album holds a stamp block: deleting album first is fine once its entry
	// is gone; then stamp is allowed by nothing and held by nothing.
	ok(app.Query(admin, `mutation($id: ID!) { deleteEntry(id: $id) }`, map[string]any{"id": testapp.Path(album.Data, "createEntry", "id")}))
	ok(app.Query(admin, deleteType, map[string]any{"k": "album", "v": version("album")}))
	refused("stamp", 1, admin, "CONFLICT", `1 entries hold "stamp" blocks (in a draft or a published version): remove them first`)
	ok(app.Query(admin, `mutation($id: ID!) { deleteEntry(id: $id) }`, map[string]any{"id": testapp.Path(board.Data, "createEntry", "id")}))
	ok(app.Query(admin, deleteType, map[string]any{"k": "stamp", "v": 1}))
	ok(app.Query(admin, `mutation($id: ID!) { deleteEntry(id: $id) }`, map[string]any{"id": testapp.Path(memo.Data, "createEntry", "id")}))
	ok(app.Query(admin, deleteType, map[string]any{"k": "memo", "v": version("memo")}))
	gone := ok(app.Query(admin, `{ contentTypes { key } }`, nil))
	require.NotContains(t, gone.Raw, `"memo"`)
	require.NotContains(t, gone.Raw, `"stamp"`)

	audit := ok(app.Query(admin, `{ auditLog(first: 10, filter: {action: "deleteContentType"}) { nodes { action detail } } }`, nil))
	require.Len(t, testapp.Path(audit.Data, "auditLog", "nodes").([]any), 3, "the three deletions, no refusal")
}
