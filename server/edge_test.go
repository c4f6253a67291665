package server_test

import (
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/graph"
	"github.com/mosaichq/mosaic/internal/testapp"
	"github.com/mosaichq/mosaic/server"
	"github.com/mosaichq/mosaic/server/graphiql"
)

// TestRateLimits: per client address for anonymous callers, per key for
// keys; RATE_LIMITED with Retry-After; probes are never limited.
func TestRateLimits(t *testing.T) {
	t.Parallel()
	b := setupSecurity(t, server.Security{RatePerIP: 1, RatePerKey: 2,
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}})
	app := b.app
	q := url.QueryEscape(`{ entry(slug: "home", type: "page") { id } }`)
	from := func(ip, key string) testapp.Response {
		req, err := http.NewRequest(http.MethodGet, app.URL+"/graphql?query="+q, nil)
		require.NoError(t, err)
		req.Header.Set("X-Forwarded-For", "203.0.113.9, "+ip) // the left entry is the client's own claim
		if key != "" {
			req.Header.Set(auth.APIKeyHeader, key)
		}
		return app.Do(req, "")
	}

	// Burst of 2 (twice the rate of 1/s), then refused.
	require.Equal(t, http.StatusOK, from("198.51.100.1", "").Status)
	require.Equal(t, http.StatusOK, from("198.51.100.1", "").Status)
	resp := from("198.51.100.1", "")
	require.Equal(t, http.StatusTooManyRequests, resp.Status, resp.Raw)
	require.Equal(t, "RATE_LIMITED", resp.Code())
	require.Equal(t, "1", resp.Header.Get("Retry-After"))
	require.Equal(t, http.StatusOK, from("198.51.100.2", "").Status, "another address has its own bucket")

	// IPv6 clients share a bucket per /64.
	require.Equal(t, http.StatusOK, from("2001:db8:1:2::1", "").Status)
	require.Equal(t, http.StatusOK, from("2001:db8:1:2::2", "").Status)
	require.Equal(t, http.StatusTooManyRequests, from("2001:db8:1:2::3", "").Status)

	// A key has its own, larger bucket wherever it comes from.
	key := app.APIKey(auth.ScopeDelivery)
	for range 4 {
		require.Equal(t, http.StatusOK, from("198.51.100.1", key).Status)
	}
	require.Equal(t, http.StatusTooManyRequests, from("198.51.100.3", key).Status)

	// A wrong key counts against the address: guessing is limited.
	bad := "mk_" + strings.Repeat("B", 43)
	require.Equal(t, "UNAUTHENTICATED", from("198.51.100.4", bad).Code())
	require.Equal(t, "UNAUTHENTICATED", from("198.51.100.4", bad).Code())
	require.Equal(t, "RATE_LIMITED", from("198.51.100.4", bad).Code())

	for range 5 {
		require.Equal(t, http.StatusOK, app.Get("", "/healthz").Status, "probes are never limited")
	}
}

func TestCORSAndHeaders(t *testing.T) {
	t.Parallel()
	b := setupSecurity(t, server.Security{CORSOrigins: []string{"https://shop.example.com", "http://localhost:*"}})
	app := b.app
	preflight := func(origin string) *http.Response {
		req, err := http.NewRequest(http.MethodOptions, app.URL+"/graphql", nil)
		require.NoError(t, err)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "content-type, x-api-key")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp
	}
	for _, origin := range []string{"https://shop.example.com", "http://localhost:5173"} {
		resp := preflight(origin)
		require.Equal(t, origin, resp.Header.Get("Access-Control-Allow-Origin"), origin)
		require.Contains(t, strings.ToLower(resp.Header.Get("Access-Control-Allow-Headers")), "x-api-key")
	}
	for _, origin := range []string{"https://evil.example.com", "https://shop.example.com.evil.com", "null"} {
		require.Empty(t, preflight(origin).Header.Get("Access-Control-Allow-Origin"), origin)
	}

	resp := app.Query("", `{ __typename }`, nil)
	for k, v := range map[string]string{
		"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer",
		"Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
	} {
		require.Equal(t, v, resp.Header.Get(k), k)
	}
	require.Empty(t, resp.Header.Get("Strict-Transport-Security"), "plain HTTP from an untrusted peer")
	page := app.Get("", "/graphiql")
	require.Equal(t, graphiql.CSP, page.Header.Get("Content-Security-Policy"), "GraphiQL runs only its own scripts")
}

func TestIntrospectionOff(t *testing.T) {
	t.Parallel()
	limits := graph.DefaultLimits()
	limits.Introspection = false
	app := testapp.New(t, testapp.Options{NoSeed: true, Limits: &limits})
	for _, q := range []string{`{ __schema { types { name } } }`, `{ __type(name: "Entry") { name } }`,
		`query { ...F } fragment F on Query { __schema { queryType { name } } }`} {
		resp := app.Query(app.Token(auth.RoleAdmin), q, nil)
		require.Equal(t, "FORBIDDEN", resp.Code(), resp.Raw)
		require.Contains(t, resp.Errors[0].Message, "introspection is disabled")
	}
	resp := app.Query("", `{ __typename }`, nil)
	require.Empty(t, resp.Errors, resp.Raw)
}
