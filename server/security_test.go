package server_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/access"
	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
	"github.com/mosaichq/mosaic/server"
)

const publish = `mutation($id: ID!) { publishEntry(id: $id) { version } }`

// TestSecurityRejections is issue 7's list: every attack answered with its
// code and a clear reason, and the database exactly as it was.
func TestSecurityRejections(t *testing.T) {
	t.Parallel()
	b := setupSecurity(t, server.Security{})
	app := b.app
	homeID := entryID(t, app, "home")
	at := time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)

	tokens := func(cfg auth.Config) string {
		if cfg.Secret == nil {
			cfg.Secret = testapp.Secret
		}
		tk, err := auth.NewTokens(cfg)
		require.NoError(t, err)
		s, err := tk.Issue("mallory", auth.RoleAdmin, time.Hour)
		require.NoError(t, err)
		return s
	}
	none, err := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims{"iss": "mosaic", "aud": "mosaic", "sub": "mallory",
		"role": "admin", "exp": time.Now().Add(time.Hour).Unix()}).SignedString(jwt.UnsafeAllowNoneSignatureType)
	require.NoError(t, err)
	wrongKey := tokens(auth.Config{Secret: []byte(strings.Repeat("k", 32))})
	expired := tokens(auth.Config{Now: func() time.Time { return time.Now().Add(-2 * time.Hour) }})
	notYet := tokens(auth.Config{Now: func() time.Time { return time.Now().Add(2 * time.Hour) }})
	wrongAud := tokens(auth.Config{Audience: "another-app"})

	delivery := app.APIKey(auth.ScopeDelivery)
	kioskPreview := app.APIKey(auth.ScopePreview, "kiosk")
	kioskDelivery := app.APIKey(auth.ScopeDelivery, "kiosk")
	revoked := app.APIKey(auth.ScopeDelivery)
	revokeKey(t, app, revoked)
	expiring, _, err := app.Access.CreateKey(context.Background(), "test", access.KeyInput{Name: "short", Scope: auth.ScopeDelivery,
		ExpiresAt: ptr(b.clock.Now().Add(time.Hour))})
	require.NoError(t, err)
	b.clock.Add(2 * time.Hour)
	unknown := "mk_" + strings.Repeat("A", 43)

	deep := `{ entry(slug: "home", type: "page") { ` + strings.Repeat(`linked(field: "related") { `, 48) + `id` + strings.Repeat(` }`, 49) + ` }`
	var frags strings.Builder
	for i := range 20 {
		fmt.Fprintf(&frags, "fragment F%d on Entry { linked(field: \"related\") { ...F%d } }\n", i, i+1)
	}
	frags.WriteString("fragment F20 on Entry { id }\n")
	deepFragments := `{ entry(slug: "home", type: "page") { ...F0 } }` + "\n" + frags.String()
	var aliases strings.Builder
	for i := range 1000 {
		fmt.Fprintf(&aliases, "a%d: __typename ", i)
	}
	var fragAliases strings.Builder
	for i := range 20 {
		fmt.Fprintf(&fragAliases, "a%d: id ", i)
	}
	aliasFragments := `{ x: entry(slug: "home", type: "page") { ...A } y: entry(slug: "about", type: "page") { ...A } }
		fragment A on Entry { ` + fragAliases.String() + ` }`

	cases := []struct {
		name, token, key, query string
		vars                    map[string]any
		raw                     []byte
		status                  int
		code, msg               string
		ext                     map[string]any
	}{
		{name: "alg none", token: none, query: publish, code: "UNAUTHENTICATED", msg: "signing method not accepted"},
		{name: "wrong key", token: wrongKey, query: publish, code: "UNAUTHENTICATED", msg: "signature invalid"},
		{name: "expired", token: expired, query: publish, code: "UNAUTHENTICATED", msg: "token expired"},
		{name: "not yet valid", token: notYet, query: publish, code: "UNAUTHENTICATED", msg: "not valid yet"},
		{name: "wrong audience", token: wrongAud, query: publish, code: "UNAUTHENTICATED", msg: "audience"},
		{name: "delivery key used for management", key: delivery, query: publish, code: "FORBIDDEN", msg: "API key lacks permission content.publish"},
		{name: "delivery key as bearer for management", token: delivery, query: publish, code: "FORBIDDEN", msg: "API key lacks permission"},
		{name: "delivery key reads drafts", key: delivery, query: `query($id: ID!) { draft(id: $id) { version } }`, code: "FORBIDDEN", msg: "content.read"},
		{name: "delivery key sets at", key: delivery, query: `query($at: DateTime) { entry(slug: "home", type: "page", context: {at: $at}) { id } }`,
			vars: map[string]any{"at": at}, code: "FORBIDDEN", msg: "preview"},
		{name: "delivery key asks for preview", key: delivery, query: `{ entry(slug: "home", type: "page", context: {preview: true}) { id } }`, code: "FORBIDDEN", msg: "preview"},
		{name: "preview key across channels", key: kioskPreview, query: `query($at: DateTime) { entry(slug: "home", type: "page", context: {channel: "web", at: $at}) { id } }`,
			vars: map[string]any{"at": at}, code: "FORBIDDEN", msg: `may not be used on channel "web"`},
		{name: "delivery key across channels", key: kioskDelivery, query: `{ entries(type: "page", context: {channel: "app"}) { nodes { id } } }`, code: "FORBIDDEN", msg: "allowed: kiosk"},
		{name: "revoked key", key: revoked, query: `{ entry(slug: "home", type: "page") { id } }`, code: "UNAUTHENTICATED", msg: "revoked"},
		{name: "expired key", key: expiring, query: `{ entry(slug: "home", type: "page") { id } }`, code: "UNAUTHENTICATED", msg: "expired"},
		{name: "unknown key", key: unknown, query: publish, code: "UNAUTHENTICATED", msg: "not recognised"},
		{name: "viewer publishes", token: app.Token(auth.RoleViewer), query: publish, code: "FORBIDDEN", msg: "role viewer lacks permission content.publish"},
		{name: "editor publishes", token: app.Token(auth.RoleEditor), query: publish, code: "FORBIDDEN", msg: "role editor lacks permission content.publish"},
		{name: "10 MB body", raw: []byte(`{"query":"{ __typename }","pad":"` + strings.Repeat("x", 10<<20) + `"}`),
			status: http.StatusRequestEntityTooLarge, code: "BAD_USER_INPUT", msg: "exceeds"},
		{name: "50-level query", query: deep, code: "QUERY_TOO_COMPLEX", msg: "query depth 50 exceeds the limit of 15",
			ext: map[string]any{"depth": 50.0, "limit": 15.0}},
		{name: "22 levels through fragments", query: deepFragments, code: "QUERY_TOO_COMPLEX", msg: "query depth 22 exceeds the limit of 15"},
		{name: "1,000 aliases", query: "{ " + aliases.String() + "}", code: "QUERY_TOO_COMPLEX", msg: "query has 1000 aliases, more than the limit of 30",
			ext: map[string]any{"aliases": 1000.0, "limit": 30.0}},
		{name: "aliases through fragments", query: aliasFragments, code: "QUERY_TOO_COMPLEX", msg: "42 aliases"},
		{name: "complexity over the limit", query: `{ entries(type: "page", first: 1000) { nodes { id blocks { id type } } } }`,
			code: "QUERY_TOO_COMPLEX", msg: "which exceeds the limit of 2000", ext: map[string]any{"limit": 2000.0}},
		{name: "batched operations", raw: []byte(`[{"query":"{ __typename }"},{"query":"{ __typename }"}]`),
			status: http.StatusBadRequest, code: "BAD_USER_INPUT", msg: "batched operations are not supported"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := dbState(t, app)
			var resp testapp.Response
			switch {
			case tc.raw != nil:
				resp = app.Post("", "application/json", tc.raw)
			case tc.key != "":
				resp = app.QueryKey(tc.key, tc.query, withID(tc.vars, homeID))
			default:
				resp = app.Query(tc.token, tc.query, withID(tc.vars, homeID))
			}
			if tc.status == 0 {
				tc.status = http.StatusOK
			}
			require.Equal(t, tc.status, resp.Status, resp.Raw)
			require.Equal(t, tc.code, resp.Code(), resp.Raw)
			require.Contains(t, resp.Errors[0].Message, tc.msg)
			for k, v := range tc.ext {
				require.Equal(t, v, resp.Errors[0].Extensions[k], "extensions.%s", k)
			}
			require.NotContains(t, resp.Raw, `"publishEntry":{`)
			require.Equal(t, before, dbState(t, app), "a rejected request changed the database")
		})
	}
}

func withID(vars map[string]any, id string) map[string]any {
	out := map[string]any{"id": id}
	for k, v := range vars {
		out[k] = v
	}
	return out
}

func revokeKey(t *testing.T, app *testapp.App, key string) {
	t.Helper()
	p, err := app.Access.VerifyContext(context.Background(), key)
	require.NoError(t, err)
	_, err = app.Access.RevokeKey(context.Background(), "test", p.TokenID)
	require.NoError(t, err)
}

func ptr[T any](v T) *T { return &v }

// TestRefusalsReportCost: a refusal states the computed cost and the
// limit; every answered query reports its cost.
func TestQueryCostReported(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{})
	resp := app.Query("", `{ entries(type: "page", first: 5) { nodes { id } } e: entry(slug: "home", type: "page") { id } }`, nil)
	require.Empty(t, resp.Errors, resp.Raw)
	cost, _ := resp.Exts["cost"].(map[string]any)
	require.NotNil(t, cost, resp.Raw)
	require.Equal(t, map[string]any{"complexity": 17.0, "maxComplexity": 2000.0, "depth": 3.0, "maxDepth": 15.0,
		"aliases": 1.0, "maxAliases": 30.0}, cost)

	resp = app.Query("", `{ entries(type: "page", first: 500) { nodes { id blocks { id } } } }`, nil)
	require.Equal(t, "QUERY_TOO_COMPLEX", resp.Code(), resp.Raw)
	require.Equal(t, "operation has complexity 2500, which exceeds the limit of 2000 (lists weigh by first)", resp.Errors[0].Message)
	require.Equal(t, 2500.0, resp.Errors[0].Extensions["cost"])
	require.Equal(t, 2000.0, resp.Errors[0].Extensions["limit"])
}

// TestHugeBodyIsNotRead: the limit holds without Content-Length too.
func TestHugeBodyChunked(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{NoSeed: true})
	body := bytes.NewReader([]byte(`{"query":"{ __typename }","pad":"` + strings.Repeat("x", 10<<20) + `"}`))
	req, err := http.NewRequest(http.MethodPost, app.URL+"/graphql", struct{ *bytes.Reader }{body}) // hides the length
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	resp := app.Do(req, "")
	require.Equal(t, http.StatusRequestEntityTooLarge, resp.Status, resp.Raw)
	require.Equal(t, "BAD_USER_INPUT", resp.Code())
}
