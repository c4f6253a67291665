package server_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/graph"
	"github.com/mosaichq/mosaic/internal/testapp"
)

// BenchmarkPersonalizedHomeQuery is the whole personalized home page
// through GraphQL, in process: HTTP handler (auth, request id, loaders),
// gqlgen parse (cached) and execution, the published-content cache, segment
// rules once per request, one decision pass over every block, and the JSON
// response. The content cache is warm, as in steady state; PostgreSQL is
// not touched per request.
//
//	go run ./internal/tools/testenv -- go test ./server -run '^$' -bench PersonalizedHome -benchmem
func BenchmarkPersonalizedHomeQuery(b *testing.B) {
	app := testapp.New(b, testapp.Options{})
	body, err := json.Marshal(map[string]any{"query": `query($ctx: ExperienceContext) {
		entry(slug: "home", type: "page", context: $ctx) {
			id slug version fields decision { variant reason }
			blocks { id type globalId fields decision { variant reason experiment arm }
				linked(field: "products") { slug fields } } } }`,
		"variables": map[string]any{"ctx": map[string]any{
			"visitorId": "visitor-123", "segments": []any{"vip"}, "device": "mobile", "channel": "web",
			"traits": map[string]any{"visits": 5, "cart_value": 150},
		}},
	})
	require.NoError(b, err)
	do := func() *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		app.Handler.ServeHTTP(rec, req)
		return rec
	}
	first := do()
	require.Equal(b, http.StatusOK, first.Code)
	var resp struct {
		Errors []any `json:"errors"`
		Data   struct {
			Entry struct {
				Blocks []struct {
					ID       string `json:"id"`
					Decision struct {
						Variant string `json:"variant"`
					} `json:"decision"`
				} `json:"blocks"`
			} `json:"entry"`
		} `json:"data"`
	}
	require.NoError(b, json.Unmarshal(first.Body.Bytes(), &resp))
	require.Empty(b, resp.Errors, first.Body.String())
	require.Len(b, resp.Data.Entry.Blocks, 6)
	require.Equal(b, "vip", resp.Data.Entry.Blocks[0].Decision.Variant)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if rec := do(); rec.Code != http.StatusOK {
			b.Fatal(rec.Code, rec.Body.String())
		}
	}
}

// BenchmarkPersonalizedHomeDecisions is the personalized home page with
// decision records: executed without records (no measurement, response
// cache off) against executed with a record per request and decisionId
// selected (cache off), the response cache's hit with decisionId (a
// fresh record and its id spliced in per request) and without it. Same
// run, same document otherwise.
//
//	go run ./internal/tools/testenv -- go test ./server -run '^$' -bench PersonalizedHomeDecisions -benchmem -count 3
func BenchmarkPersonalizedHomeDecisions(b *testing.B) {
	noCache := graph.DefaultLimits()
	noCache.ResponseCacheBytes = -1
	for _, bc := range []struct {
		name     string
		opts     testapp.Options
		selected string
	}{
		{"executed-no-records", testapp.Options{Limits: &noCache}, ""},
		// Every read from PostgreSQL too: a page no cache holds (a
		// catalogue larger than the content cache).
		{"executed-content-miss", testapp.Options{Limits: &noCache, ContentCacheBytes: -1}, ""},
		{"executed-records-decisionId", testapp.Options{Limits: &noCache, Measurement: true}, "decisionId"},
		{"cached-records-decisionId", testapp.Options{Measurement: true}, "decisionId"},
		{"cached-no-decisionId", testapp.Options{Measurement: true}, ""},
	} {
		b.Run(bc.name, func(b *testing.B) {
			app := testapp.New(b, bc.opts)
			body, err := json.Marshal(map[string]any{"query": `query($ctx: ExperienceContext) {
				entry(slug: "home", type: "page", context: $ctx) {
					id slug version fields ` + bc.selected + ` decision { variant reason }
					blocks { id type globalId fields decision { variant reason experiment arm }
						linked(field: "products") { slug fields } } } }`,
				"variables": map[string]any{"ctx": map[string]any{
					"visitorId": "visitor-123", "segments": []any{"vip"}, "device": "mobile", "channel": "web",
					"traits": map[string]any{"visits": 5, "cart_value": 150},
				}},
			})
			require.NoError(b, err)
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				rec := httptest.NewRecorder()
				app.Handler.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK || (bc.selected != "" && !bytes.Contains(rec.Body.Bytes(), []byte(`"decisionId":"`))) {
					b.Fatal(rec.Code, rec.Body.String())
				}
			}
		})
	}
}
