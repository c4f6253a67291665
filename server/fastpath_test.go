package server_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/internal/testapp"
)

// The response cache's fast path (graph/fastpath.go) answers kept answers
// before the handler chain. What must not happen: a request the chain
// would refuse, or run differently, gets a kept answer.
func TestResponseCacheFastPathServesOnlyWhatTheChainWould(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{})
	ctx := `{"visitorId":"visitor-1","segments":["vip"],"device":"mobile","channel":"web","traits":{"visits":5}}`
	body := func(members string) []byte {
		q, _ := json.Marshal(cachedHome)
		return []byte(`{"query":` + string(q) + `,"variables":{"ctx":` + ctx + `}` + members + `}`)
	}
	// Kept by a POST; a GET of the same document and variables shares it,
	// with an ETag (a POST's answer carries none).
	first := app.Post("", "application/json", body(""))
	require.Equal(t, http.StatusOK, first.Status, first.Raw)
	require.Empty(t, first.Header.Get("ETag"))
	again := app.Post("", "application/json", body(""))
	require.Equal(t, "HIT", cacheState(again))
	require.Equal(t, first.Raw, again.Raw)
	require.Empty(t, again.Header.Get("ETag"), "POST answers carry no ETag")
	get := app.Get("", "/graphql?query="+url.QueryEscape(cachedHome)+"&variables="+url.QueryEscape(`{"ctx":`+ctx+`}`))
	require.Equal(t, "HIT", cacheState(get))
	require.Equal(t, first.Raw, get.Raw)
	require.NotEmpty(t, get.Header.Get("ETag"))
	require.Contains(t, get.Header.Values("Vary"), "Accept")

	for _, tc := range []struct {
		name       string
		body       []byte
		status     int
		notCached  bool // answered, but not from the cache
		errorsWant string
	}{
		{"a member spelled in another case", []byte(strings.Replace(string(body("")), `"query"`, `"Query"`, 1)), http.StatusOK, true, ""},
		{"a member twice", body(`,"query":"{ __typename }"`), 0, true, ""},
		{"a batch", []byte("[" + string(body("")) + "]"), http.StatusBadRequest, true, "batched"},
		{"time travel by an anonymous caller", []byte(strings.Replace(string(body("")), `"visitorId"`, `"at":"2030-01-01T00:00:00Z","visitorId"`, 1)), http.StatusOK, true, "FORBIDDEN"},
		{"documentId and query both", body(`,"documentId":"sha256:abc"`), http.StatusBadRequest, true, "not both"},
		{"an unknown member in the context", []byte(strings.Replace(string(body("")), `"visitorId"`, `"visitorid":"x","visitorId"`, 1)), http.StatusOK, true, ""},
	} {
		got := app.Post("", "application/json", tc.body)
		if tc.status != 0 {
			require.Equal(t, tc.status, got.Status, "%s: %s", tc.name, got.Raw)
		}
		if tc.notCached {
			require.NotEqual(t, "HIT", cacheState(got), "%s: %s", tc.name, got.Raw)
		}
		if tc.errorsWant != "" {
			require.Contains(t, got.Raw, tc.errorsWant, tc.name)
		}
	}

	// A GET of a document that also defines a mutation is refused, kept
	// answer or not.
	withWrite := cachedHome + "\nmutation M { logout }"
	got := app.Get("", "/graphql?query="+url.QueryEscape(withWrite)+"&variables="+url.QueryEscape(`{"ctx":`+ctx+`}`))
	require.Equal(t, http.StatusMethodNotAllowed, got.Status, got.Raw)
	require.NotEqual(t, "HIT", cacheState(got))
}
