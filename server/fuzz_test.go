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

// FuzzHeartbeat posts arbitrary bodies to POST /screens/lobby/heartbeat
// on the whole HTTP stack and a real database: never a 5xx or a panic;
// a refusal carries errors[0].extensions.code; an acceptance stored a row
// the fleet lists.
//
//	go run ./internal/tools/testenv -- go test -run '^$' -fuzz FuzzHeartbeat -fuzztime 60s ./server/
func FuzzHeartbeat(f *testing.F) {
	app := testapp.New(f, testapp.Options{})
	for _, s := range []string{
		`{"screenId":"lobby-1","frame":"abc","bundleVersion":"3-0123","clockOffsetMs":12.5,"channel":"kiosk","device":"kiosk","locale":"en","client":"x/1"}`,
		`{"screenId":"lobby-1"}`, `{"screenId":""}`, `{"screenId":"a b"}`, `{"screenId":"x","clockOffsetMs":1e300}`,
		`{"screenId":"x","clockOffsetMs":"1"}`, `{"screenId":"x","extra":1}`, `{"screenId":"x"} {}`, `{"screenId":"x","channel":"fax"}`,
		`{"screenId":"x","locale":"en-US"}`, `{"screenId":"x","client":"\u0000"}`, `null`, `[]`, `"x"`, ``, `{`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest(http.MethodPost, "/screens/lobby/heartbeat", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		app.Handler.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body)
		}
		var resp struct {
			ServerTime string `json:"serverTime"`
			Errors     []struct {
				Message    string         `json:"message"`
				Extensions map[string]any `json:"extensions"`
			} `json:"errors"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
			t.Fatalf("answer is not JSON for %q: %v: %s", body, err, rec.Body)
		}
		if rec.Code == http.StatusOK {
			if resp.ServerTime == "" {
				t.Fatalf("200 without serverTime for %q: %s", body, rec.Body)
			}
			return
		}
		if len(resp.Errors) == 0 || resp.Errors[0].Message == "" {
			t.Fatalf("status %d without an error for %q: %s", rec.Code, body, rec.Body)
		}
		if code, _ := resp.Errors[0].Extensions["code"].(string); code == "" || code == "INTERNAL" {
			t.Fatalf("error without a client code for %q: %s", body, rec.Body)
		}
	})
}
