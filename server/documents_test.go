package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/documents"
	"github.com/mosaichq/mosaic/graph"
	"github.com/mosaichq/mosaic/internal/testapp"
)

// Trusted documents: a frontend's manifest registered ahead, executed by
// id over GET (the form a CDN caches) and POST; with enforcement on, the
// public may run nothing else, editors anything, and anyone may log in.

const (
	homeDoc    = `query Home($locale: String) { entry(slug: "home", type: "page", locale: $locale) { slug blocks { id } } }`
	productDoc = `query Products { entries(type: "product", first: 2) { nodes { slug } } }`
)

func manifest(t *testing.T, ops ...[2]string) map[string]any {
	t.Helper()
	var list []any
	for _, op := range ops {
		list = append(list, map[string]any{"id": op[0], "body": op[1], "type": "query"})
	}
	return map[string]any{"format": "apollo-persisted-query-manifest", "version": 1, "operations": list}
}

const registerDocs = `mutation($m: JSON!) { registerDocuments(manifest: $m) { added unchanged documents { id sha256 name trusted } } }`

func TestTrustedDocumentsRegisterAndRun(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{})
	admin := app.Token(auth.RoleAdmin)
	homeID := documents.Hash(homeDoc)
	m := manifest(t, [2]string{homeID, homeDoc}, [2]string{"products-v1", productDoc})

	resp := app.Query(admin, registerDocs, map[string]any{"m": m})
	require.Empty(t, resp.Errors, resp.Raw)
	require.Equal(t, 2.0, testapp.Path(resp.Data, "registerDocuments", "added"))
	require.Equal(t, "Home", testapp.Path(resp.Data, "registerDocuments", "documents", 0, "name"))
	resp = app.Query(admin, registerDocs, map[string]any{"m": m})
	require.Equal(t, 0.0, testapp.Path(resp.Data, "registerDocuments", "added"), "registering again changes nothing")
	require.Equal(t, 2.0, testapp.Path(resp.Data, "registerDocuments", "unchanged"))

	// By id over GET, in every id form, with variables.
	vars := url.QueryEscape(`{"locale":"ro"}`)
	for _, id := range []string{homeID, "sha256:" + homeID} {
		got := app.Get("", "/graphql?documentId="+url.QueryEscape(id)+"&variables="+vars)
		require.Equal(t, http.StatusOK, got.Status, got.Raw)
		require.Empty(t, got.Errors, got.Raw)
		require.Equal(t, "home", testapp.Path(got.Data, "entry", "slug"))
		require.NotEmpty(t, got.Header.Get("ETag"), "cacheable like any delivery GET")
	}
	got := app.Get("", "/graphql?documentId=products-v1")
	require.Len(t, testapp.Path(got.Data, "entries", "nodes"), 2, got.Raw)
	body, _ := json.Marshal(map[string]any{"documentId": "products-v1"})
	got = app.Post("", "application/json", body)
	require.Empty(t, got.Errors, got.Raw)
	require.Len(t, testapp.Path(got.Data, "entries", "nodes"), 2, got.Raw)

	for _, tc := range []struct {
		path, code string
		status     int
	}{
		// A request error: 200 to application/json clients, 404 to
		// application/graphql-response+json ones (TestRequestErrorStatus).
		{"/graphql?documentId=nope", "NOT_FOUND", http.StatusOK},
		{"/graphql?documentId=products-v1&query=" + url.QueryEscape("{ __typename }"), "BAD_USER_INPUT", http.StatusBadRequest},
	} {
		got := app.Get("", tc.path)
		require.Equal(t, tc.status, got.Status, got.Raw)
		require.Equal(t, tc.code, got.Code(), got.Raw)
	}

	// Ids are immutable: other text under a known id changes nothing.
	before := dbState(t, app)
	resp = app.Query(admin, registerDocs, map[string]any{"m": manifest(t, [2]string{"new-one", "{ __typename }"}, [2]string{"products-v1", "{ __typename }"})})
	require.Equal(t, "CONFLICT", resp.Code(), resp.Raw)
	require.Contains(t, resp.Errors[0].Message, `"products-v1" is already registered with other text`)
	require.Equal(t, before, dbState(t, app), "all or none")

	// Only admins register.
	resp = app.Query(app.Token(auth.RolePublisher), registerDocs, map[string]any{"m": m})
	require.Equal(t, "FORBIDDEN", resp.Code(), resp.Raw)
	resp = app.Query(admin, `{ graphqlDocuments { id trusted } }`, nil)
	require.Len(t, testapp.Path(resp.Data, "graphqlDocuments"), 2, resp.Raw)
	resp = app.Query(admin, `mutation { deleteGraphQLDocument(id: "products-v1") }`, nil)
	require.Empty(t, resp.Errors, resp.Raw)
	require.Equal(t, "NOT_FOUND", app.Get("", "/graphql?documentId=products-v1").Code())
}

func TestTrustedDocumentsBadManifests(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{NoSeed: true})
	admin := app.Token(auth.RoleAdmin)
	before := dbState(t, app)
	for _, tc := range []struct {
		name     string
		manifest any
		path     string
		msg      string
	}{
		{"not an object", []any{1}, "", "JSON object"},
		{"a string that is not JSON", "{nope", "", "not valid JSON"},
		{"does not parse", map[string]any{"a": "query {"}, "a", "does not parse"},
		{"no operation", map[string]any{"a": "fragment F on Query { __typename }"}, "a", "no operation"},
		{"text not a string", map[string]any{"a": 1}, "a", "as a string"},
		{"hash of other text", map[string]any{documents.Hash("{ x }"): "{ __typename }"}, documents.Hash("{ x }"), "not the hash"},
		{"empty id", manifest(t, [2]string{"", "{ __typename }"}), "operations.0", "id is required"},
		{"duplicate ids", manifest(t, [2]string{"a", "{ __typename }"}, [2]string{"a", "{ __typename }"}), "operations.1", "listed twice"},
		{"unknown format", map[string]any{"format": "other", "operations": []any{}}, "format", "unknown format"},
		{"empty", map[string]any{}, "", "no documents"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := app.Query(admin, registerDocs, map[string]any{"m": tc.manifest})
			require.Equal(t, "BAD_USER_INPUT", resp.Code(), resp.Raw)
			require.Contains(t, resp.Raw, tc.msg)
			if tc.path != "" {
				fields, _ := resp.Errors[0].Extensions["fields"].([]any)
				require.NotEmpty(t, fields, resp.Raw)
				require.Equal(t, tc.path, fields[0].(map[string]any)["path"], resp.Raw)
			}
		})
	}
	require.Equal(t, before, dbState(t, app), "nothing was written")
}

func TestTrustedDocumentsEnforced(t *testing.T) {
	t.Parallel()
	limits := graph.DefaultLimits()
	limits.TrustedDocuments = graph.DocumentsEnforce
	app := testapp.New(t, testapp.Options{Limits: &limits})
	admin := app.Token(auth.RoleAdmin)
	resp := app.Query(admin, registerDocs, map[string]any{"m": manifest(t, [2]string{"home", homeDoc})})
	require.Empty(t, resp.Errors, resp.Raw)
	key := app.APIKey(auth.ScopeDelivery)
	app.User("ed@example.com", "correct horse battery", auth.RoleEditor)

	refused := func(r testapp.Response, what string) {
		t.Helper()
		require.Equal(t, "FORBIDDEN", r.Code(), "%s: %s", what, r.Raw)
		require.Contains(t, r.Errors[0].Message, "MOSAIC_TRUSTED_DOCUMENTS=enforce")
	}
	refused(app.Query("", productDoc, nil), "anonymous text")
	refused(app.QueryKey(key, productDoc, nil), "API key text")
	refused(app.Get("", "/graphql?query="+url.QueryEscape(productDoc)), "anonymous GET text")

	// What may run: a trusted document by id or as its exact text; an
	// editor's anything; logging in.
	for what, r := range map[string]testapp.Response{
		"by id":        app.Get("", "/graphql?documentId=home"),
		"trusted text": app.QueryKey(key, homeDoc, nil),
		"editor":       app.Query(app.Token(auth.RoleEditor), productDoc, nil),
		"login":        app.Query("", `mutation { login(email: "ed@example.com", password: "correct horse battery") { token } }`, nil),
	} {
		require.Empty(t, r.Errors, "%s: %s", what, r.Raw)
	}

	// APQ: a hash only a client registered is not trusted; a trusted
	// document's hash is.
	apq := func(query, hash string) testapp.Response {
		ext := fmt.Sprintf(`{"persistedQuery":{"version":1,"sha256Hash":%q}}`, hash)
		return app.Get("", "/graphql?extensions="+url.QueryEscape(ext)+func() string {
			if query == "" {
				return ""
			}
			return "&query=" + url.QueryEscape(query)
		}())
	}
	productHash := documents.Hash(productDoc)
	refused(apq(productDoc, productHash), "APQ registration by the public")
	refused(apq("", productHash), "an unregistered hash")
	got := apq("", documents.Hash(homeDoc))
	require.Empty(t, got.Errors, got.Raw)
	require.Equal(t, "home", testapp.Path(got.Data, "entry", "slug"))
}
