package server_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
	"github.com/mosaichq/mosaic/server"
)

const login = `mutation($email: String!, $password: String!) { login(email: $email, password: $password) {
	token expiresAt user { id email role lastLoginAt } } }`

func TestLogin(t *testing.T) {
	t.Parallel()
	b := setupSecurity(t, server.Security{})
	app := b.app
	id := app.User("Ana@Example.com", "correct horse battery", auth.RolePublisher)

	resp := app.Query("", login, map[string]any{"email": " ana@example.COM ", "password": "correct horse battery"})
	require.Empty(t, resp.Errors, resp.Raw)
	token := testapp.Path(resp.Data, "login", "token").(string)
	require.Equal(t, "PUBLISHER", testapp.Path(resp.Data, "login", "user", "role"))
	require.NotNil(t, testapp.Path(resp.Data, "login", "user", "lastLoginAt"))
	exp, err := time.Parse(time.RFC3339, testapp.Path(resp.Data, "login", "expiresAt").(string))
	require.NoError(t, err)
	require.WithinDuration(t, b.clock.Now().Add(time.Hour), exp, time.Minute, "short-lived: 1h")

	me := app.Query(token, `{ me { subject kind role } }`, nil)
	require.Equal(t, map[string]any{"subject": "ana@example.com", "kind": "editor_token", "role": "PUBLISHER"}, testapp.Path(me.Data, "me"), me.Raw)
	audit := app.Query(token, `{ auditLog(filter: {action: "login"}) { nodes { actor actorKind entityId detail } } }`, nil)
	require.Empty(t, audit.Errors, audit.Raw)
	require.Equal(t, "ana@example.com", testapp.Path(audit.Data, "auditLog", "nodes", 0, "actor"))
	require.Equal(t, id, testapp.Path(audit.Data, "auditLog", "nodes", 0, "entityId"))

	// One answer for every failure, so emails cannot be enumerated.
	for _, bad := range []map[string]any{
		{"email": "ana@example.com", "password": "wrong horse battery"},
		{"email": "nobody@example.com", "password": "correct horse battery"},
		{"email": "'; DROP TABLE users; --", "password": "x"},
	} {
		before := dbState(t, app)
		resp := app.Query("", login, bad)
		require.Equal(t, "UNAUTHENTICATED", resp.Code(), resp.Raw)
		require.Equal(t, "email or password is wrong", resp.Errors[0].Message)
		require.Equal(t, before, dbState(t, app))
	}

	// A disabled user cannot log in.
	admin := app.Token(auth.RoleAdmin)
	upd := app.Query(admin, `mutation($id: ID!) { updateUser(id: $id, input: {disabled: true}, expectedVersion: 1) { disabled version } }`, map[string]any{"id": id})
	require.Empty(t, upd.Errors, upd.Raw)
	resp = app.Query("", login, map[string]any{"email": "ana@example.com", "password": "correct horse battery"})
	require.Equal(t, "email or password is wrong", resp.Errors[0].Message, resp.Raw)
	stale := app.Query(admin, `mutation($id: ID!) { updateUser(id: $id, input: {disabled: false}, expectedVersion: 1) { version } }`, map[string]any{"id": id})
	require.Equal(t, "CONFLICT", stale.Code(), stale.Raw)
}

// TestLoginRateLimited: five attempts per email, then RATE_LIMITED with
// Retry-After, and nothing written; the bucket refills with time.
func TestLoginRateLimited(t *testing.T) {
	t.Parallel()
	b := setupSecurity(t, server.Security{})
	app := b.app
	app.User("bo@example.com", "correct horse battery", auth.RoleEditor)
	wrong := map[string]any{"email": "bo@example.com", "password": "guess guess guess"}
	for range 5 {
		resp := app.Query("", login, wrong)
		require.Equal(t, "UNAUTHENTICATED", resp.Code(), resp.Raw)
	}
	before := dbState(t, app)
	resp := app.Query("", login, map[string]any{"email": "bo@example.com", "password": "correct horse battery"})
	require.Equal(t, "RATE_LIMITED", resp.Code(), resp.Raw)
	require.Contains(t, resp.Errors[0].Message, "too many login attempts")
	require.Equal(t, "30", resp.Header.Get("Retry-After"))
	require.Equal(t, before, dbState(t, app))

	b.clock.Add(31 * time.Second)
	resp = app.Query("", login, map[string]any{"email": "bo@example.com", "password": "correct horse battery"})
	require.Empty(t, resp.Errors, resp.Raw)
}

func TestUserManagement(t *testing.T) {
	t.Parallel()
	b := setupSecurity(t, server.Security{})
	app := b.app
	admin := app.Token(auth.RoleAdmin)
	create := `mutation($in: CreateUserInput!) { createUser(input: $in) { id email role version } }`

	resp := app.Query(admin, create, map[string]any{"in": map[string]any{"email": "cy@example.com", "password": "a long passphrase", "role": "VIEWER"}})
	require.Empty(t, resp.Errors, resp.Raw)
	require.NotContains(t, resp.Raw, "passphrase")
	for name, tc := range map[string]struct {
		in   map[string]any
		code string
	}{
		"duplicate email": {map[string]any{"email": "CY@example.com", "password": "a long passphrase", "role": "VIEWER"}, "CONFLICT"},
		"short password":  {map[string]any{"email": "dee@example.com", "password": "short", "role": "VIEWER"}, "BAD_USER_INPUT"},
		"not an email":    {map[string]any{"email": "dee at example", "password": "a long passphrase", "role": "VIEWER"}, "BAD_USER_INPUT"},
	} {
		before := dbState(t, app)
		resp := app.Query(admin, create, map[string]any{"in": tc.in})
		require.Equal(t, tc.code, resp.Code(), name+": "+resp.Raw)
		require.Equal(t, before, dbState(t, app), name)
	}
	users := app.Query(admin, `{ users { email role } }`, nil)
	require.Equal(t, []any{map[string]any{"email": "cy@example.com", "role": "VIEWER"}}, testapp.Path(users.Data, "users"), users.Raw)

	// The password never reaches the audit log.
	audit := app.Query(admin, `{ auditLog(filter: {action: "createUser"}) { nodes { detail } } }`, nil)
	require.Equal(t, "[redacted]", testapp.Path(audit.Data, "auditLog", "nodes", 0, "detail", "input", "password"), audit.Raw)
	require.NotContains(t, audit.Raw, "a long passphrase")
}
