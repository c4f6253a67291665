package server_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/graph"
	"github.com/mosaichq/mosaic/internal/testapp"
	"github.com/mosaichq/mosaic/server"
)

const (
	mediaJSON = "application/json"
	mediaGQL  = "application/graphql-response+json"
)

// transportCase is one request to the HTTP surface and what must answer it.
type transportCase struct {
	name, method, path, contentType, accept, body string
	header                                        map[string]string
	status                                        int
	code                                          string // extensions.code of the first error
	allow                                         string // the Allow header, when 405
	msg                                           string
}

func (tc transportCase) send(t *testing.T, app *testapp.App) testapp.Response {
	t.Helper()
	method := tc.method
	if method == "" {
		method = http.MethodPost
	}
	path := tc.path
	if path == "" {
		path = "/graphql"
	}
	req, err := http.NewRequest(method, app.URL+path, bytes.NewReader([]byte(tc.body)))
	require.NoError(t, err)
	if tc.contentType != "" {
		req.Header.Set("Content-Type", tc.contentType)
	}
	if tc.accept != "" {
		req.Header.Set("Accept", tc.accept)
	}
	for k, v := range tc.header {
		req.Header.Set(k, v)
	}
	return app.Do(req, "")
}

// TestTransportErrors: what is not a GraphQL request over HTTP gets the
// same status whatever the client accepts, in the negotiated media type,
// in the GraphQL error shape with extensions.code — never a 500 or INTERNAL.
func TestTransportErrors(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{NoSeed: true})
	typename := `{"query":"{ __typename }"}`
	cases := []transportCase{
		{name: "text/plain POST", contentType: "text/plain;charset=UTF-8", body: typename, status: 415, code: "BAD_USER_INPUT", msg: "text/plain is not supported"},
		{name: "POST without Content-Type", body: typename, status: 415, code: "BAD_USER_INPUT", msg: "no Content-Type"},
		{name: "form POST", contentType: "application/x-www-form-urlencoded", body: "query=%7B__typename%7D", status: 415, code: "BAD_USER_INPUT"},
		{name: "application/graphql POST", contentType: "application/graphql", body: "{ __typename }", status: 415, code: "BAD_USER_INPUT"},
		{name: "JSON in Latin-1", contentType: "application/json; charset=iso-8859-1", body: typename, status: 415, code: "BAD_USER_INPUT", msg: "UTF-8"},
		{name: "unparsable Content-Type", contentType: "application/json; charset", body: typename, status: 415, code: "BAD_USER_INPUT"},
		{name: "PUT", method: http.MethodPut, contentType: mediaJSON, body: typename, status: 405, code: "BAD_USER_INPUT", allow: "GET, POST, OPTIONS"},
		{name: "DELETE", method: http.MethodDelete, status: 405, code: "BAD_USER_INPUT", allow: "GET, POST, OPTIONS"},
		{name: "PATCH", method: http.MethodPatch, contentType: mediaJSON, body: typename, status: 405, code: "BAD_USER_INPUT", allow: "GET, POST, OPTIONS"},
		{name: "malformed JSON", contentType: mediaJSON, body: `{"query":`, status: 400, code: "BAD_USER_INPUT", msg: "not valid JSON"},
		{name: "empty body", contentType: mediaJSON, status: 400, code: "BAD_USER_INPUT"},
		{name: "no query", contentType: mediaJSON, body: `{"variables":{}}`, status: 400, code: "BAD_USER_INPUT", msg: "no query"},
		{name: "query misspelt", contentType: mediaJSON, body: `{"qeury":"{ __typename }"}`, status: 400, code: "BAD_USER_INPUT", msg: "no query"},
		{name: "query is a number", contentType: mediaJSON, body: `{"query":0}`, status: 400, code: "BAD_USER_INPUT", msg: "wrong type"},
		{name: "variables is a string", contentType: mediaJSON, body: `{"query":"{ __typename }","variables":"x"}`, status: 400, code: "BAD_USER_INPUT"},
		{name: "batch", contentType: mediaJSON, body: `[` + typename + `]`, status: 400, code: "BAD_USER_INPUT", msg: "batched"},
		{name: "body too large", contentType: mediaJSON, body: `{"query":"{ __typename }","pad":"` + strings.Repeat("x", 2<<20) + `"}`, status: 413, code: "BAD_USER_INPUT"},
		{name: "GET without query", method: http.MethodGet, status: 400, code: "BAD_USER_INPUT", msg: "no query"},
		{name: "GET variables not JSON", method: http.MethodGet, path: "/graphql?query=" + url.QueryEscape("{ __typename }") + "&variables=%7B", status: 400, code: "BAD_USER_INPUT"},
		{name: "GET mutation", method: http.MethodGet, path: "/graphql?query=" + url.QueryEscape("mutation { __typename }"), status: 405, code: "BAD_USER_INPUT", allow: "POST"},
		{name: "GET mutation by operationName", method: http.MethodGet,
			path: "/graphql?operationName=M&query=" + url.QueryEscape("query Q { __typename } mutation M { __typename }"), status: 405, code: "BAD_USER_INPUT", allow: "POST"},
		{name: "documentId and query", method: http.MethodGet, path: "/graphql?documentId=x&query=" + url.QueryEscape("{ __typename }"), status: 400, code: "BAD_USER_INPUT"},
		{name: "unknown route", method: http.MethodGet, path: "/nope", status: 404, code: "NOT_FOUND"},
		{name: "POST to a GET route", path: "/healthz", contentType: mediaJSON, body: "{}", status: 405, code: "BAD_USER_INPUT", allow: "GET, HEAD"},
		{name: "PUT an asset", method: http.MethodPut, path: "/assets/x/y.jpg", contentType: "image/jpeg", body: "x", status: 405, code: "BAD_USER_INPUT", allow: "GET, HEAD"},
		{name: "unknown asset", method: http.MethodGet, path: "/assets/nope", status: 404, code: "NOT_FOUND"},
	}
	for _, tc := range cases {
		for _, accept := range []string{"", mediaJSON, mediaGQL} {
			tc, accept := tc, accept
			t.Run(tc.name+"/accept "+accept, func(t *testing.T) {
				t.Parallel()
				tc.accept = accept
				resp := tc.send(t, app)
				require.Equal(t, tc.status, resp.Status, resp.Raw)
				want := mediaJSON // routes other than /graphql speak application/json only
				if accept == mediaGQL && (tc.path == "" || strings.HasPrefix(tc.path, "/graphql")) {
					want = mediaGQL
				}
				require.Equal(t, want, mediaOf(resp), resp.Raw)
				require.Equal(t, tc.code, resp.Code(), resp.Raw)
				require.Contains(t, resp.Errors[0].Message, tc.msg)
				require.Equal(t, tc.allow, resp.Header.Get("Allow"))
				require.NotContains(t, resp.Raw, "INTERNAL")
			})
		}
	}
	// HEAD has no body to carry the shape, only the status and Allow.
	req, err := http.NewRequest(http.MethodHead, app.URL+"/graphql", nil)
	require.NoError(t, err)
	resp := app.Do(req, "")
	require.Equal(t, http.StatusMethodNotAllowed, resp.Status)
	require.Equal(t, "GET, POST, OPTIONS", resp.Header.Get("Allow"))
}

// TestRequestErrorStatus: a well-formed request whose operation does not
// run answers 200 to application/json clients (the spec's legacy rule) and
// the code's status to application/graphql-response+json clients, with no
// data member; the same code always gets the same status.
func TestRequestErrorStatus(t *testing.T) {
	t.Parallel()
	limits := graph.DefaultLimits()
	limits.Introspection = false
	app := testapp.New(t, testapp.Options{NoSeed: true, Limits: &limits})
	gql := func(query string) string { return `{"query":` + jsonString(t, query) + `}` }
	apq := `{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"` + strings.Repeat("ab", 32) + `"}}}`
	cases := []transportCase{
		{name: "parse error", contentType: mediaJSON, body: gql("{"), status: 400, code: "BAD_USER_INPUT"},
		{name: "unknown field", contentType: mediaJSON, body: gql("{ nope }"), status: 400, code: "BAD_USER_INPUT"},
		{name: "variable coercion", contentType: mediaJSON, body: `{"query":"query($id: ID!) { __typename }","variables":{"id":null}}`, status: 400, code: "BAD_USER_INPUT"},
		{name: "operation not found", contentType: mediaJSON, body: `{"query":"query A { __typename }","operationName":"B"}`, status: 400, code: "BAD_USER_INPUT"},
		{name: "too deep", contentType: mediaJSON, body: gql("{ " + strings.Repeat("entry(slug: \"a\") { blocks { ", 10) + "id" + strings.Repeat(" } }", 10) + " }"), status: 400, code: "QUERY_TOO_COMPLEX"},
		{name: "introspection off", contentType: mediaJSON, body: gql("{ __schema { types { name } } }"), status: 403, code: "FORBIDDEN"},
		{name: "refused key", contentType: mediaJSON, body: gql(`{ entry(slug: "home") { id } }`), header: map[string]string{auth.APIKeyHeader: "mk_" + strings.Repeat("B", 43)},
			status: 401, code: "UNAUTHENTICATED"},
		{name: "unknown persisted query", contentType: mediaJSON, body: apq, status: 404, code: "NOT_FOUND"},
		{name: "unknown persisted query over GET", method: http.MethodGet,
			path: "/graphql?extensions=" + url.QueryEscape(`{"persistedQuery":{"version":1,"sha256Hash":"`+strings.Repeat("cd", 32)+`"}}`), status: 404, code: "NOT_FOUND"},
		{name: "unknown documentId", method: http.MethodGet, path: "/graphql?documentId=nope", status: 404, code: "NOT_FOUND"},
		{name: "unknown documentId in POST", contentType: mediaJSON, body: `{"documentId":"nope"}`, status: 404, code: "NOT_FOUND"},
	}
	for _, tc := range cases {
		for _, accept := range []string{"", "*/*", mediaJSON, mediaGQL, mediaGQL + ", " + mediaJSON + ";q=0.9"} {
			tc, accept := tc, accept
			t.Run(tc.name+"/accept "+accept, func(t *testing.T) {
				t.Parallel()
				tc.accept = accept
				resp := tc.send(t, app)
				status, media := http.StatusOK, mediaJSON
				if strings.HasPrefix(accept, mediaGQL) {
					status, media = tc.status, mediaGQL
				}
				require.Equal(t, status, resp.Status, resp.Raw)
				require.Equal(t, media, mediaOf(resp), resp.Raw)
				require.Equal(t, tc.code, resp.Code(), resp.Raw)
				require.NotContains(t, resp.Raw, `"data"`, "the operation did not run")
				require.Equal(t, "no-store", resp.Header.Get("Cache-Control"))
				if resp.Status == http.StatusUnauthorized {
					require.Equal(t, `Bearer realm="mosaic"`, resp.Header.Get("WWW-Authenticate"))
				}
			})
		}
	}

	// An operation that ran is 200 in both media types, with data, also
	// when a field failed.
	for _, accept := range []string{"", mediaGQL} {
		tc := transportCase{contentType: mediaJSON, accept: accept, body: gql(`{ __typename draft(id: "x") { id } }`)}
		resp := tc.send(t, app)
		require.Equal(t, http.StatusOK, resp.Status, resp.Raw)
		require.Equal(t, "UNAUTHENTICATED", resp.Code(), resp.Raw)
		require.Contains(t, resp.Raw, `"data"`)
	}
}

// TestMediaTypeNegotiation: the Accept header picks the media type, by q
// and then order; application/json is the default.
func TestMediaTypeNegotiation(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{NoSeed: true})
	hits := 0 // answers from the response cache (keyed by Accept too)
	for accept, want := range map[string]string{
		"":                                mediaJSON,
		"*/*":                             mediaJSON,
		"application/*":                   mediaJSON,
		mediaJSON:                         mediaJSON,
		mediaGQL:                          mediaGQL,
		mediaGQL + ", " + mediaJSON:       mediaGQL,
		mediaJSON + ", " + mediaGQL:       mediaJSON,
		mediaJSON + ";q=0.5, " + mediaGQL: mediaGQL,
		mediaGQL + ";q=0, " + mediaJSON:   mediaJSON,
		"text/html":                       mediaJSON,
		"text/html,application/xhtml+xml,*/*;q=0.8": mediaJSON,
	} {
		for _, method := range []string{http.MethodGet, http.MethodGet, http.MethodPost} {
			tc := transportCase{method: method, accept: accept, contentType: mediaJSON, body: `{"query":"{ __typename }"}`}
			if method == http.MethodGet {
				tc.path, tc.contentType, tc.body = "/graphql?query="+url.QueryEscape("{ __typename }"), "", ""
			}
			resp := tc.send(t, app)
			require.Equal(t, http.StatusOK, resp.Status, resp.Raw)
			require.Equal(t, want, mediaOf(resp), "%s %q", method, accept)
			require.Equal(t, "Query", resp.Data["__typename"])
			requireVaryOnce(t, resp.Header, "Accept")
			require.Len(t, resp.Header.Values("Vary"), 1, "one Vary line, computed or kept")
			if resp.Header.Get(graph.CacheHeader) == "HIT" {
				hits++
			}
		}
	}
	require.Positive(t, hits, "the cached path negotiates too")
}

// TestMetricsSetting: /metrics is there unless hidden (MOSAIC_METRICS),
// and hidden it is an unknown route like any other.
func TestMetricsSetting(t *testing.T) {
	t.Parallel()
	shown := testapp.New(t, testapp.Options{NoSeed: true})
	resp := shown.Get("", "/metrics")
	require.Equal(t, http.StatusOK, resp.Status)
	require.Contains(t, resp.Raw, "go_goroutines")

	hidden := setupSecurity(t, server.Security{HideMetrics: true}).app
	resp = hidden.Get("", "/metrics")
	require.Equal(t, http.StatusNotFound, resp.Status, resp.Raw)
	require.Equal(t, "NOT_FOUND", resp.Code())
	require.NotContains(t, resp.Raw, "mosaic_")
	require.Equal(t, http.StatusOK, hidden.Get("", "/healthz").Status, "the probes stay")
	require.NotContains(t, hidden.Get("", "/").Raw, `href="/metrics"`, "the landing page links only what answers")
	require.Contains(t, shown.Get("", "/").Raw, `href="/metrics"`)
}

func mediaOf(r testapp.Response) string {
	mt, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";")
	return strings.TrimSpace(mt)
}

func jsonString(t *testing.T, s string) string {
	b, err := json.Marshal(s)
	require.NoError(t, err)
	return string(b)
}
