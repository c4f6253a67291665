package server_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
)

// FuzzGraphQLRequest posts arbitrary bodies (and sends them as GET query
// strings) to the whole HTTP stack in-process: decoding, limits, parsing,
// validation and execution against a real database. Whatever arrives, the
// answer is never a 5xx and never a panic, and a JSON answer carries data
// or coded errors.
//
//	go run ./internal/tools/testenv -- go test -run '^$' -fuzz FuzzGraphQLRequest -fuzztime 60s ./server/
func FuzzGraphQLRequest(f *testing.F) {
	app := testapp.New(f, testapp.Options{})
	editor := app.Token(auth.RoleEditor)
	for _, s := range []string{
		`{"query":"{ entry(slug: \"home\", type: \"page\") { id blocks { type decision { variant } } } }"}`,
		`{"query":"query($c: ExperienceContext) { entries(type: \"page\", first: 3, context: $c) { nodes { slug } } }","variables":{"c":{"segments":["vip"],"traits":{"visits":5}}}}`,
		`{"query":"mutation { createSegment(input: {key: \"k\", name: \"n\", rule: \"traits.x > 1\"}) { key } }"}`,
		`{"query":"{ __schema { types { name } } }"}`,
		`{"query":"{ a: __typename b: __typename }","operationName":"x"}`,
		`{"query":"{","variables":null}`,
		`{"query":null}`, `{"query":1}`, `{"variables":[]}`, `{}`, `[]`, `[{"query":"{ __typename }"}]`, `null`, `"x"`, ``,
		`{"query":"{ entries(type: \"page\", first: 2147483647) { nodes { id } } }"}`,
		`{"query":"{ entry(slug: \"\u0000\") { id } }"}`,
		`{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"abc"}}}`,
		`{"query":"query Q($a: Int!) { entries(type: \"page\", first: $a) { nodes { id } } }","variables":{"a":"NaN"}}`,
		`{"query":"` + strings.Repeat(`{ entry(slug: \"x\") `, 40) + `"}`,
		`{"query":"fragment F on Query { ...F } { ...F }"}`,
	} {
		f.Add([]byte(s), false, false)
		f.Add([]byte(s), true, true)
	}
	f.Fuzz(func(t *testing.T, body []byte, get, withToken bool) {
		var req *http.Request
		if get {
			var p struct {
				Query         string          `json:"query"`
				OperationName string          `json:"operationName"`
				Variables     json.RawMessage `json:"variables"`
				Extensions    json.RawMessage `json:"extensions"`
			}
			_ = json.Unmarshal(body, &p)
			q := url.Values{"query": {p.Query}, "operationName": {p.OperationName}, "variables": {string(p.Variables)},
				"extensions": {string(p.Extensions)}}
			req = httptest.NewRequest(http.MethodGet, "/graphql?"+q.Encode(), nil)
		} else {
			req = httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
		}
		if withToken {
			req.Header.Set("Authorization", "Bearer "+editor)
		}
		rec := httptest.NewRecorder()
		app.Handler.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body)
		}
		if !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/") || rec.Body.Len() == 0 {
			return
		}
		var resp struct {
			Data   json.RawMessage `json:"data"`
			Errors []struct {
				Extensions map[string]any `json:"extensions"`
			} `json:"errors"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
			t.Fatalf("answer is not JSON for %q: %v: %s", body, err, rec.Body)
		}
		for _, e := range resp.Errors {
			if code, _ := e.Extensions["code"].(string); code == "" || code == "INTERNAL" {
				t.Fatalf("error without a client code for %q: %s", body, rec.Body)
			}
		}
	})
}
