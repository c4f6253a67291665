package server_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/access"
	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
)

// PostgreSQL going away under keyed delivery load: what is in memory keeps
// being served to API keys verified recently, nothing tells a client its
// key is bad, and what needs the database is SERVICE_UNAVAILABLE with
// Retry-After — never INTERNAL. The database coming back ends it: a key
// revoked meanwhile on another replica stops within the cache TTL.

const homeIDQuery = `{ entry(slug: "home", type: "page") { id blocks { id fields } } }`

func TestDatabaseOutageKeyedReads(t *testing.T) {
	t.Parallel()
	clock := testapp.NewClock(time.Now().UTC())
	app := testapp.New(t, testapp.Options{DatabaseProxy: true, Now: clock.Now})
	key := app.APIKey(auth.ScopeDelivery)
	other := app.APIKey(auth.ScopeDelivery)
	unused := app.APIKey(auth.ScopeDelivery)
	for _, k := range []string{key, other} {
		resp := app.QueryKey(k, homeIDQuery, nil)
		require.Empty(t, resp.Errors, resp.Raw)
	}

	app.DB.Down()
	clock.Add(access.DefaultKeyCacheTTL + time.Second) // past the cache: only the outage grace serves
	var wg sync.WaitGroup
	var mu sync.Mutex
	var bad []string
	for range 4 {
		wg.Go(func() {
			for range 25 {
				resp := app.QueryKey(key, homeIDQuery, nil)
				if resp.Status != http.StatusOK || len(resp.Errors) > 0 {
					mu.Lock()
					bad = append(bad, resp.Raw)
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	require.Empty(t, bad, "cached published reads with a recently verified key during the outage")

	// A key this replica has not verified cannot be, now: retry, not drop.
	resp := app.QueryKey(unused, homeIDQuery, nil)
	require.Equal(t, "SERVICE_UNAVAILABLE", resp.Code(), resp.Raw)
	require.NotEmpty(t, resp.Header.Get("Retry-After"))
	// Reads that need the database: unavailable, not INTERNAL.
	for _, q := range []string{
		`{ entry(slug: "wool-scarf", type: "product") { id } }`,
		`{ entries(type: "product", first: 2) { nodes { id } } }`,
	} {
		resp := app.QueryKey(key, q, nil)
		require.Equal(t, "SERVICE_UNAVAILABLE", resp.Code(), "%s: %s", q, resp.Raw)
		require.NotEmpty(t, resp.Header.Get("Retry-After"), q)
		require.NotContains(t, resp.Raw, "INTERNAL")
	}
	for _, q := range []string{`{ apiKeys { id } }`, `{ campaign(key: "winter-sale") { status } }`} {
		resp := app.Query(app.Token(auth.RoleAdmin), q, nil)
		require.Equal(t, "SERVICE_UNAVAILABLE", resp.Code(), "%s: %s", q, resp.Raw)
	}

	// Past the grace, an unverifiable key is no longer trusted.
	clock.Add(access.DefaultKeyOutageGrace)
	resp = app.QueryKey(key, homeIDQuery, nil)
	require.Equal(t, "SERVICE_UNAVAILABLE", resp.Code(), resp.Raw)

	// Back: keys verify again, and one revoked by another replica (no
	// announcement reached this one) stops within the cache TTL.
	app.DB.Up()
	require.Eventually(t, func() bool { return len(app.QueryKey(key, homeIDQuery, nil).Errors) == 0 }, 10*time.Second, 50*time.Millisecond)
	_, err := app.Pool.Exec(context.Background(), `UPDATE api_keys SET revoked_at = now() WHERE revoked_at IS NULL`)
	require.NoError(t, err)
	clock.Add(access.DefaultKeyCacheTTL + time.Second)
	resp = app.QueryKey(other, homeIDQuery, nil)
	require.Equal(t, "UNAUTHENTICATED", resp.Code(), resp.Raw)
	require.Contains(t, resp.Errors[0].Message, "revoked")
}
