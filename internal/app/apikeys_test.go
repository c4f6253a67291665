package app_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/access"
	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testdb"
)

// keyWorks asks r for a screen bundle with key: any answer but 401 means
// the key was accepted (there is no such screen: 404).
func keyWorks(t *testing.T, r *replica, key string) bool {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, r.url+"/screens/nowhere/bundle", nil)
	require.NoError(t, err)
	req.Header.Set("X-API-Key", key)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	return resp.StatusCode != http.StatusUnauthorized
}

// A key revoked on one replica stops working on another that had it
// cached, without waiting for the cache to expire: the revocation is
// announced with its commit and every replica drops its cached lookups.
func TestRevokedKeyStopsOnEveryReplica(t *testing.T) {
	t.Parallel()
	_, dbURL := testdb.Schema(t)
	a := startReplica(t, dbURL, t.TempDir())
	b := startReplica(t, dbURL, t.TempDir())
	ctx := context.Background()
	key, k, err := a.app.Access.CreateKey(ctx, "test", access.KeyInput{Name: "kiosk", Scope: auth.ScopeDelivery})
	require.NoError(t, err)
	require.True(t, keyWorks(t, b, key), "b accepts (and caches) the key")
	cachedAt := time.Now()

	_, err = a.app.Access.RevokeKey(ctx, "test", k.ID)
	require.NoError(t, err)
	require.False(t, keyWorks(t, a, key), "refused at once where it was revoked")
	for keyWorks(t, b, key) && time.Since(cachedAt) < 2*access.DefaultKeyCacheTTL {
		time.Sleep(10 * time.Millisecond)
	}
	// Not a timing assertion on the notice (it takes milliseconds): b must
	// refuse long before its cached lookup would have expired by itself,
	// or the cache, not the notice, refused it.
	require.Less(t, time.Since(cachedAt), access.DefaultKeyCacheTTL/2,
		"b refused the key only once its cache expired: the revocation notice did not reach it")
}
