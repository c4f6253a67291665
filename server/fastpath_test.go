package server_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/graph"
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
	requireVaryOnce(t, get.Header, "Authorization", "X-API-Key", "Accept", "Sec-GPC")
	require.Len(t, get.Header.Values("Vary"), 1, "one Vary line on a kept answer")
	requireVaryOnce(t, again.Header, "Authorization", "X-API-Key", "Accept", "Sec-GPC")

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

	// GET parameters: the fast path unescapes them itself. Spelled
	// differently but read alike, a GET shares the kept answer (the fast
	// path's or, for a shape it leaves to the chain, the chain's); what
	// the chain reads otherwise, or refuses, is not served from the cache.
	q, vars := url.QueryEscape(cachedHome), url.QueryEscape(`{"ctx":`+ctx+`}`)
	for _, tc := range []struct {
		name, query string
		status      int
		hit         bool
	}{
		{"spaces as %20, not +", "query=" + strings.ReplaceAll(q, "+", "%20") + "&variables=" + vars, http.StatusOK, true},
		{"escapes in lower case", "query=" + q + "&variables=" + regexp.MustCompile(`%[0-9A-F]{2}`).ReplaceAllStringFunc(vars, strings.ToLower), http.StatusOK, true},
		{"an escape cut short", "query=" + q + "&variables=" + vars + "%7", http.StatusBadRequest, false},
		{"not an escape", "query=" + q + "&variables=%zz" + vars, http.StatusBadRequest, false},
		{"variables that are not JSON", "query=" + q + "&variables=" + strings.TrimSuffix(vars, "%7D"), http.StatusBadRequest, false},
		{"variables twice (the chain reads the first)", "query=" + q + "&variables=" + vars + "&variables=" + vars, http.StatusOK, true},
		{"a name escaped (the chain unescapes it)", "query=" + q + "&vari%61bles=" + vars, http.StatusOK, true},
		{"null variables", "query=" + q + "&variables=null", http.StatusOK, false},
		{"a NUL in the document (a parse error)", "query=" + q + "%00&variables=" + vars, http.StatusOK, false},
	} {
		got := app.Get("", "/graphql?"+tc.query)
		require.Equal(t, tc.status, got.Status, "%s: %s", tc.name, got.Raw)
		if tc.status == http.StatusBadRequest {
			require.Contains(t, got.Raw, "BAD_USER_INPUT", tc.name)
		}
		if tc.hit {
			require.Equal(t, "HIT", cacheState(got), tc.name)
			require.Equal(t, first.Raw, got.Raw, tc.name)
		} else {
			require.NotEqual(t, "HIT", cacheState(got), "%s: %s", tc.name, got.Raw)
		}
	}

	// A GET of a document that also defines a mutation is refused, kept
	// answer or not.
	withWrite := cachedHome + "\nmutation M { logout }"
	got := app.Get("", "/graphql?query="+url.QueryEscape(withWrite)+"&variables="+url.QueryEscape(`{"ctx":`+ctx+`}`))
	require.Equal(t, http.StatusMethodNotAllowed, got.Status, got.Raw)
	require.NotEqual(t, "HIT", cacheState(got))
}

// The key splits visitors by the arms of the experiments an answer's
// variants name, and only those (the decision vector): two visitors of one
// class in different arms of cta-test share a product's answer (no variant
// there names it) but not the home page's (its call to action does), and
// each gets what the executor computes for it.
func TestResponseCacheKeysOnlyOnExperimentsTheAnswerNames(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{})
	editor := app.Token("viewer")
	arms := map[string]string{} // arm → a visitor id in it
	for i := 0; len(arms) < 2 && i < 100; i++ {
		id := "visitor-" + string(rune('a'+i%26)) + string(rune('a'+i/26))
		got := app.Query(editor, cachedHome, map[string]any{"ctx": map[string]any{"visitorId": id}})
		for _, b := range testapp.Path(got.Data, "entry", "blocks").([]any) {
			if arm, ok := b.(map[string]any)["decision"].(map[string]any)["arm"].(string); ok && arms[arm] == "" {
				arms[arm] = id
			}
		}
	}
	require.Len(t, arms, 2, "both arms of cta-test")
	const product = `query($ctx: ExperienceContext) { entries(type: "product", first: 2, context: $ctx) { edges { node { slug fields } } } }`
	for _, tc := range []struct {
		query  string
		shared bool
	}{{product, true}, {cachedHome, false}} {
		var states []string
		for _, id := range []string{arms["a"], arms["b"]} {
			vars := map[string]any{"ctx": map[string]any{"visitorId": id, "device": "tablet"}}
			got := app.Query("", tc.query, vars)
			require.Empty(t, got.Errors, got.Raw)
			want := app.Query(editor, tc.query, vars)
			require.Equal(t, want.Data, got.Data, "the cached answer is this visitor's")
			states = append(states, cacheState(got))
		}
		if tc.shared {
			require.Equal(t, []string{"MISS", "HIT"}, states, "no variant names the experiment: one answer")
		} else {
			require.Equal(t, []string{"MISS", "MISS"}, states, "the call to action names cta-test: one answer per arm")
		}
	}
}

// A context that says preview: false or at: null is an ordinary
// context: it shares the answer of the same context without them.
func TestResponseCacheContextWithoutPreviewIsShared(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{})
	plain := map[string]any{"visitorId": "visitor-1", "device": "tablet"}
	first := app.Query("", cachedHome, map[string]any{"ctx": plain})
	require.Empty(t, first.Errors, first.Raw)
	explicit := map[string]any{"visitorId": "visitor-1", "device": "tablet", "preview": false, "at": nil}
	again := app.Query("", cachedHome, map[string]any{"ctx": explicit})
	require.Empty(t, again.Errors, again.Raw)
	require.Equal(t, "HIT", cacheState(again))
	require.Equal(t, first.Data, again.Data)
	// preview: true is never shared (an anonymous caller is refused).
	refused := app.Query("", cachedHome, map[string]any{"ctx": map[string]any{"visitorId": "visitor-1", "device": "tablet", "preview": true}})
	require.NotEqual(t, "HIT", cacheState(refused))
	require.NotEmpty(t, refused.Errors)
}

// requireVaryOnce: every header h varies on is named once (a cache
// comparing request headers gains nothing from a repeat, and a long Vary
// is bytes on every answer), and each of want is among them.
func requireVaryOnce(t *testing.T, h http.Header, want ...string) {
	t.Helper()
	seen := map[string]int{}
	for _, v := range h.Values("Vary") {
		for _, name := range strings.Split(v, ",") {
			seen[http.CanonicalHeaderKey(strings.TrimSpace(name))]++
		}
	}
	for name, n := range seen {
		require.Equal(t, 1, n, "Vary names %s %d times: %q", name, n, h.Values("Vary"))
	}
	for _, name := range want {
		require.Contains(t, seen, http.CanonicalHeaderKey(name), "Vary: %q", h.Values("Vary"))
	}
}

// A 304 carries what guides caches and clients (the validator,
// freshness, Vary, the request id, Mosaic's epoch) and not the
// representation's metadata: no body type, no surrogate keys, no security
// headers of the stored 200 (RFC 9110 §15.4.5; a browser keeps the stored
// answer's when it revalidates) — from the response cache and from an
// executed answer alike (graph.notModified).
func TestNotModifiedCarriesOnlyWhatGuidesCaches(t *testing.T) {
	t.Parallel()
	noCache := graph.DefaultLimits()
	noCache.ResponseCacheBytes = -1
	for _, tc := range []struct {
		name   string
		limits *graph.Limits
		state  string
	}{{"cached", nil, "HIT"}, {"executed", &noCache, ""}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app := testapp.New(t, testapp.Options{Limits: tc.limits})
			path := "/graphql?query=" + url.QueryEscape(cachedHome) + "&variables=" +
				url.QueryEscape(`{"ctx":{"visitorId":"visitor-1","device":"mobile","channel":"web"}}`)
			full := app.Get("", path)
			require.Equal(t, http.StatusOK, full.Status, full.Raw)
			for _, k := range []string{"Content-Type", "X-Content-Type-Options", "Content-Security-Policy", "X-Frame-Options", "Surrogate-Key"} {
				require.NotEmpty(t, full.Header.Get(k), "the 200 carries %s", k)
			}
			again := app.Get("", path)
			require.Equal(t, tc.state, again.Header.Get("X-Mosaic-Cache"))
			req, err := http.NewRequest(http.MethodGet, app.URL+path, nil)
			require.NoError(t, err)
			req.Header.Set("If-None-Match", again.Header.Get("ETag"))
			nm := app.Do(req, "")
			require.Equal(t, http.StatusNotModified, nm.Status)
			require.Equal(t, tc.state, nm.Header.Get("X-Mosaic-Cache"))
			require.Empty(t, nm.Raw)
			require.Equal(t, again.Header.Get("ETag"), nm.Header.Get("ETag"))
			require.Contains(t, nm.Header.Get("Cache-Control"), "max-age=")
			require.NotEmpty(t, nm.Header.Get("X-Request-Id"))
			require.NotEmpty(t, nm.Header.Get("X-Mosaic-Epoch"))
			requireVaryOnce(t, nm.Header, "Authorization", "X-API-Key", "Accept", "Sec-GPC")
			require.Len(t, nm.Header.Values("Vary"), 1, "one Vary line on a 304")
			for _, k := range []string{"Content-Type", "Content-Length", "X-Content-Type-Options", "Content-Security-Policy",
				"X-Frame-Options", "Referrer-Policy", "Cross-Origin-Opener-Policy", "Surrogate-Key", "Cache-Tag"} {
				require.Empty(t, nm.Header.Values(k), "a 304 carries no %s", k)
			}
		})
	}
}
