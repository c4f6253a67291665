package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/graph"
	"github.com/mosaichq/mosaic/internal/testapp"
	"github.com/mosaichq/mosaic/server"
)

const createAPIKey = `mutation($in: CreateAPIKeyInput!) { createAPIKey(input: $in) {
	key apiKey { id name prefix scope channels expiresAt revokedAt lastUsedAt createdBy } } }`

const keyHomeQuery = `query($ctx: ExperienceContext) { entry(slug: "home", type: "page", context: $ctx) { id blocks { decision { variant } } } }`

// TestAPIKeyLifecycle: created over GraphQL by an admin, shown once,
// usable as X-API-Key or Bearer, scoped, last use recorded in a batch,
// revoked at once, every step audited.
func TestAPIKeyLifecycle(t *testing.T) {
	t.Parallel()
	b := setupSecurity(t, server.Security{})
	app := b.app
	admin := app.Token(auth.RoleAdmin)

	resp := app.Query(admin, createAPIKey, map[string]any{"in": map[string]any{"name": "kiosk fleet", "scope": "PREVIEW", "channels": []any{"kiosk"}}})
	require.Empty(t, resp.Errors, resp.Raw)
	key := testapp.Path(resp.Data, "createAPIKey", "key").(string)
	id := testapp.Path(resp.Data, "createAPIKey", "apiKey", "id").(string)
	require.True(t, strings.HasPrefix(key, "mk_"))
	require.Equal(t, key[:11], testapp.Path(resp.Data, "createAPIKey", "apiKey", "prefix"))
	require.Equal(t, []any{"kiosk"}, testapp.Path(resp.Data, "createAPIKey", "apiKey", "channels"))
	require.Equal(t, "test-admin", testapp.Path(resp.Data, "createAPIKey", "apiKey", "createdBy"))

	// Shown once: not in lists, not in the database, not in the audit log.
	list := app.Query(admin, `{ apiKeys { id prefix } }`, nil)
	require.Empty(t, list.Errors, list.Raw)
	require.NotContains(t, list.Raw, key)
	require.NotContains(t, dumpDB(t, app), key[3:])

	// Both headers work; the key speaks for its one channel.
	at := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	viaHeader := app.QueryKey(key, keyHomeQuery, map[string]any{"ctx": map[string]any{"at": at}})
	require.Empty(t, viaHeader.Errors, viaHeader.Raw)
	require.Equal(t, "kiosk", testapp.Path(viaHeader.Data, "entry", "blocks", 0, "decision", "variant"), "no channel sent: the key's own")
	viaBearer := app.Query(key, keyHomeQuery, map[string]any{"ctx": map[string]any{"channel": "kiosk", "preview": true}})
	require.Empty(t, viaBearer.Errors, viaBearer.Raw)
	me := app.QueryKey(key, `{ me { kind scope role permissions } }`, nil)
	require.Equal(t, map[string]any{"kind": "api_key", "scope": "PREVIEW", "role": nil, "permissions": []any{"preview"}},
		testapp.Path(me.Data, "me"), me.Raw)
	requireVaryOnce(t, viaHeader.Header, "Authorization", "X-API-Key")

	// Last use is written in a batch, not per request.
	var lastUsed *time.Time
	require.NoError(t, app.Pool.QueryRow(context.Background(), `SELECT last_used_at FROM api_keys WHERE id = $1`, id).Scan(&lastUsed))
	require.Nil(t, lastUsed, "no write per request")
	app.Access.FlushLastUsed(context.Background())
	require.NoError(t, app.Pool.QueryRow(context.Background(), `SELECT last_used_at FROM api_keys WHERE id = $1`, id).Scan(&lastUsed))
	require.NotNil(t, lastUsed)

	// Revoked: refused at once, even where delivery is public.
	rev := app.Query(admin, `mutation($id: ID!) { revokeAPIKey(id: $id) { revokedAt revokedBy } }`, map[string]any{"id": id})
	require.Empty(t, rev.Errors, rev.Raw)
	require.Equal(t, "test-admin", testapp.Path(rev.Data, "revokeAPIKey", "revokedBy"))
	after := app.QueryKey(key, keyHomeQuery, nil)
	require.Equal(t, "UNAUTHENTICATED", after.Code(), after.Raw)
	require.Equal(t, "API key revoked", after.Errors[0].Message)
	list = app.Query(admin, `{ active: apiKeys { id } all: apiKeys(includeRevoked: true) { id } }`, nil)
	require.Equal(t, []any{}, testapp.Path(list.Data, "active"))
	require.Len(t, testapp.Path(list.Data, "all"), 1)

	audit := app.Query(admin, `{ auditLog { nodes { action actor entityType entityId afterVersion detail } } }`, nil)
	require.Empty(t, audit.Errors, audit.Raw)
	nodes := testapp.Path(audit.Data, "auditLog", "nodes").([]any)
	require.Len(t, nodes, 2)
	require.Equal(t, "revokeAPIKey", testapp.Path(nodes[0], "action"))
	require.Equal(t, 2.0, testapp.Path(nodes[0], "afterVersion"))
	require.Equal(t, "createAPIKey", testapp.Path(nodes[1], "action"))
	require.Equal(t, "APIKey", testapp.Path(nodes[1], "entityType"))
	require.Equal(t, id, testapp.Path(nodes[1], "entityId"))
	require.Equal(t, "kiosk fleet", testapp.Path(nodes[1], "detail", "input", "name"))
	require.NotContains(t, audit.Raw, key)
}

func TestAPIKeyBadInput(t *testing.T) {
	t.Parallel()
	b := setupSecurity(t, server.Security{})
	admin := b.app.Token(auth.RoleAdmin)
	for name, in := range map[string]map[string]any{
		"no name":         {"name": " ", "scope": "DELIVERY"},
		"unknown channel": {"name": "x", "scope": "DELIVERY", "channels": []any{"fax"}},
		"channel twice":   {"name": "x", "scope": "DELIVERY", "channels": []any{"web", "web"}},
		"expired already": {"name": "x", "scope": "DELIVERY", "expiresAt": "2001-01-01T00:00:00Z"},
	} {
		before := dbState(t, b.app)
		resp := b.app.Query(admin, createAPIKey, map[string]any{"in": in})
		require.Equal(t, "BAD_USER_INPUT", resp.Code(), name+": "+resp.Raw)
		require.NotEmpty(t, resp.Errors[0].Extensions["fields"], name)
		require.Equal(t, before, dbState(t, b.app), name)
	}
	resp := b.app.Query(admin, `mutation { revokeAPIKey(id: "nope") { id } }`, nil)
	require.Equal(t, "NOT_FOUND", resp.Code(), resp.Raw)
}

// TestPrivateDelivery: with public delivery off, anonymous reads need a
// key, while login (and a key or an editor token) still work.
func TestPrivateDelivery(t *testing.T) {
	t.Parallel()
	limits := graph.DefaultLimits()
	limits.RequireAPIKey = true
	b := setupSecurity(t, server.Security{}, func(o *testapp.Options) { o.Limits = &limits })
	app := b.app

	resp := app.Query("", keyHomeQuery, nil)
	require.Equal(t, "UNAUTHENTICATED", resp.Code(), resp.Raw)
	require.Contains(t, resp.Errors[0].Message, "an API key is required")
	require.Nil(t, resp.Data["entry"])

	key := app.APIKey(auth.ScopeDelivery)
	resp = app.QueryKey(key, keyHomeQuery, nil)
	require.Empty(t, resp.Errors, resp.Raw)
	resp = app.Query(app.Token(auth.RoleViewer), keyHomeQuery, nil)
	require.Empty(t, resp.Errors, resp.Raw)

	app.User("ana@example.com", "correct horse battery", auth.RoleEditor)
	resp = app.Query("", login, map[string]any{"email": "ana@example.com", "password": "correct horse battery"})
	require.Empty(t, resp.Errors, resp.Raw)

	// GET persisted queries are held to the same rule.
	get := app.Get("", "/graphql?query="+strings.ReplaceAll(`{ entry(slug: "home", type: "page") { id } }`, " ", "%20"))
	require.Equal(t, http.StatusOK, get.Status)
	require.Equal(t, "UNAUTHENTICATED", get.Code(), get.Raw)
}

// dumpDB is every row of every table as text, to prove a secret is absent.
func dumpDB(t *testing.T, app *testapp.App) string {
	t.Helper()
	var s string
	require.NoError(t, app.Pool.QueryRow(context.Background(), `SELECT string_agg(x, '|') FROM (
		SELECT row_to_json(k)::text AS x FROM api_keys k UNION ALL SELECT row_to_json(a)::text FROM audit_log a) t`).Scan(&s))
	return s
}
