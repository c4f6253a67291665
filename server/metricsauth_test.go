package server_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/server"
)

// TestMetricsProtected: with MOSAIC_METRICS_TOKEN a scrape needs the
// bearer token (a wrong or missing one is refused and shows nothing);
// without it only a direct loopback caller is answered, not one relayed
// by a proxy on the same machine.
func TestMetricsProtected(t *testing.T) {
	t.Parallel()
	const token = "scrape-token-0123456789"
	withToken := setupSecurity(t, server.Security{MetricsToken: token}).app
	for name, auth := range map[string]string{"none": "", "wrong": "Bearer not-the-token-000000", "basic": "Basic " + token} {
		req, err := http.NewRequest(http.MethodGet, withToken.URL+"/metrics", nil)
		require.NoError(t, err)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp := withToken.Do(req, "")
		require.Equal(t, http.StatusUnauthorized, resp.Status, name)
		require.NotContains(t, resp.Raw, "mosaic_", name)
	}
	req, err := http.NewRequest(http.MethodGet, withToken.URL+"/metrics", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	resp := withToken.Do(req, "")
	require.Equal(t, http.StatusOK, resp.Status)
	require.Contains(t, resp.Raw, "mosaic_response_cache_requests_total")

	loopback := setupSecurity(t, server.Security{}).app
	require.Equal(t, http.StatusOK, loopback.Get("", "/metrics").Status, "the test client is on loopback")
	for _, h := range []string{"X-Forwarded-For", "Forwarded"} {
		req, err := http.NewRequest(http.MethodGet, loopback.URL+"/metrics", nil)
		require.NoError(t, err)
		req.Header.Set(h, "for=203.0.113.7")
		resp := loopback.Do(req, "")
		require.Equal(t, http.StatusForbidden, resp.Status, "relayed through %s", h)
		require.NotContains(t, resp.Raw, "mosaic_")
	}
}
