package server_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/graph"
	"github.com/mosaichq/mosaic/internal/testapp"
)

// BenchmarkHitPath is a personalized read answered from the response
// cache, through the whole HTTP handler (request id, security headers,
// client address, credentials, metrics, the fast path), beside
// BenchmarkBareHandler, a handler returning the same bytes from memory in
// the same harness: the difference is what a hit costs Mosaic. Each
// iteration is a different visitor id of one visitor class (the ids do not
// change the answer: ids in another arm of the demo's experiment are left
// out). allocs/op is the robust figure on a shared machine.
//
//	go run ./internal/tools/testenv -- go test ./server -run '^$' -bench 'HitPath|BareHandler' -benchmem
func BenchmarkHitPath(b *testing.B) {
	app := testapp.New(b, testapp.Options{})
	var ids []int // visitor ids in visitor-0's class
	vars := func(i int) string {
		if ids != nil {
			i = ids[i%len(ids)]
		}
		return `{"ctx":{"visitorId":"visitor-` + itoa(i) + `","segments":["vip"],"device":"mobile","channel":"web",` +
			`"traits":{"visits":5,"cart_value":150}}}`
	}
	post := func(i int, _ string) *http.Request {
		body, _ := json.Marshal(map[string]any{"query": hitQuery, "variables": json.RawMessage(vars(i))})
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		return req
	}
	get := func(i int, etag string) *http.Request {
		req := httptest.NewRequest(http.MethodGet, "/graphql?query="+url.QueryEscape(hitQuery)+"&variables="+url.QueryEscape(vars(i)), nil)
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		return req
	}
	byID := func(i int, etag string) *http.Request {
		req := httptest.NewRequest(http.MethodGet, "/graphql?documentId=home-v1&variables="+url.QueryEscape(vars(i)), nil)
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		return req
	}
	reg := app.Query(app.Token(auth.RoleAdmin), registerDocs, map[string]any{"m": map[string]any{
		"format": "apollo-persisted-query-manifest", "version": 1,
		"operations": []any{map[string]any{"id": "home-v1", "body": hitQuery, "type": "query"}}}})
	require.Empty(b, reg.Errors, reg.Raw)
	first := httptest.NewRecorder()
	app.Handler.ServeHTTP(first, get(0, ""))
	require.Equal(b, http.StatusOK, first.Code, first.Body.String())
	etag := first.Header().Get("ETag")
	require.NotEmpty(b, etag)
	var same []int
	for i := range 200 {
		rec := httptest.NewRecorder()
		app.Handler.ServeHTTP(rec, get(i, ""))
		if rec.Header().Get("ETag") == etag {
			same = append(same, i)
		}
	}
	require.Greater(b, len(same), 20)
	ids = same
	for _, bc := range []struct {
		name string
		req  func(int, string) *http.Request
		etag string
		want int
	}{
		{"POST", post, "", http.StatusOK},
		{"GET", get, "", http.StatusOK},
		{"GET-documentId", byID, "", http.StatusOK},
		{"If-None-Match", byID, etag, http.StatusNotModified},
	} {
		b.Run(bc.name, func(b *testing.B) {
			rec := httptest.NewRecorder()
			app.Handler.ServeHTTP(rec, bc.req(0, bc.etag)) // warm: kept
			require.Equal(b, bc.want, rec.Code, rec.Body.String())
			require.Equal(b, "HIT", func() string {
				rec := httptest.NewRecorder()
				app.Handler.ServeHTTP(rec, bc.req(1, bc.etag))
				return rec.Header().Get(graph.CacheHeader)
			}())
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				i++
				rec := httptest.NewRecorder()
				app.Handler.ServeHTTP(rec, bc.req(i, bc.etag))
				if rec.Code != bc.want || rec.Header().Get(graph.CacheHeader) != "HIT" {
					b.Fatal(i, rec.Code, rec.Header(), rec.Body.String())
				}
			}
		})
	}
}

// BenchmarkBareHandler is the baseline of BenchmarkHitPath: the same
// requests built the same way, answered by a bare handler with the same
// bytes (and a 304 for the same ETag).
func BenchmarkBareHandler(b *testing.B) {
	app := testapp.New(b, testapp.Options{})
	vars := `{"ctx":{"visitorId":"visitor-1","segments":["vip"],"device":"mobile","channel":"web","traits":{"visits":5,"cart_value":150}}}`
	first := httptest.NewRecorder()
	app.Handler.ServeHTTP(first, httptest.NewRequest(http.MethodGet, "/graphql?query="+url.QueryEscape(hitQuery)+"&variables="+url.QueryEscape(vars), nil))
	require.Equal(b, http.StatusOK, first.Code)
	body, etag := first.Body.Bytes(), first.Header().Get("ETag")
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		if r.Body != nil {
			_, _ = bytes.NewBuffer(nil).ReadFrom(r.Body)
		}
		_, _ = w.Write(body)
	})
	for _, bc := range []struct {
		name, method, etag string
		want               int
	}{{"POST", http.MethodPost, "", 200}, {"GET", http.MethodGet, "", 200}, {"If-None-Match", http.MethodGet, etag, 304}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				i++
				v := `{"ctx":{"visitorId":"visitor-` + itoa(i%1000) + `","segments":["vip"],"device":"mobile","channel":"web","traits":{"visits":5,"cart_value":150}}}`
				var req *http.Request
				if bc.method == http.MethodPost {
					raw, _ := json.Marshal(map[string]any{"query": hitQuery, "variables": json.RawMessage(v)})
					req = httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(raw))
					req.Header.Set("Content-Type", "application/json")
				} else {
					req = httptest.NewRequest(http.MethodGet, "/graphql?query="+url.QueryEscape(hitQuery)+"&variables="+url.QueryEscape(v), nil)
					if bc.etag != "" {
						req.Header.Set("If-None-Match", bc.etag)
					}
				}
				rec := httptest.NewRecorder()
				bare.ServeHTTP(rec, req)
				if rec.Code != bc.want {
					b.Fatal(rec.Code)
				}
			}
		})
	}
}

const hitQuery = `query($ctx: ExperienceContext) {
	entry(slug: "home", type: "page", context: $ctx) {
		id slug version fields decision { variant reason }
		blocks { id type globalId fields decision { variant reason experiment arm }
			linked(field: "products") { slug fields } } } }`

func itoa(i int) string {
	return string(appendInt(nil, i))
}

func appendInt(b []byte, i int) []byte {
	if i >= 10 {
		b = appendInt(b, i/10)
	}
	return append(b, byte('0'+i%10))
}

// BenchmarkHitPathOverHTTP is BenchmarkHitPath/GET-documentId through a
// real HTTP server on loopback, clients in parallel: with -cpuprofile it
// shows what a hit costs beside net/http's own work.
func BenchmarkHitPathOverHTTP(b *testing.B) {
	app := testapp.New(b, testapp.Options{})
	reg := app.Query(app.Token(auth.RoleAdmin), registerDocs, map[string]any{"m": map[string]any{
		"format": "apollo-persisted-query-manifest", "version": 1,
		"operations": []any{map[string]any{"id": "home-v1", "body": hitQuery, "type": "query"}}}})
	require.Empty(b, reg.Errors, reg.Raw)
	srv := httptest.NewServer(app.Handler)
	defer srv.Close()
	u := srv.URL + "/graphql?documentId=home-v1&variables=" + url.QueryEscape(`{"ctx":{"visitorId":"visitor-1","segments":["vip"],"device":"mobile","channel":"web","traits":{"visits":5,"cart_value":150}}}`)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}}
	var etag string
	for range 2 {
		resp, err := client.Get(u)
		require.NoError(b, err)
		_, _ = bytes.NewBuffer(nil).ReadFrom(resp.Body)
		resp.Body.Close()
		etag = resp.Header.Get("ETag")
	}
	for _, bc := range []struct {
		name, etag string
		want       int
	}{{"200", "", http.StatusOK}, {"304", etag, http.StatusNotModified}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetParallelism(8)
			b.RunParallel(func(pb *testing.PB) {
				var buf bytes.Buffer
				for pb.Next() {
					req, _ := http.NewRequest(http.MethodGet, u, nil)
					if bc.etag != "" {
						req.Header.Set("If-None-Match", bc.etag)
					}
					resp, err := client.Do(req)
					if err != nil {
						b.Fatal(err)
					}
					buf.Reset()
					_, _ = buf.ReadFrom(resp.Body)
					resp.Body.Close()
					if resp.StatusCode != bc.want || resp.Header.Get(graph.CacheHeader) != "HIT" {
						b.Fatal(resp.StatusCode, resp.Header)
					}
				}
			})
		})
	}
}
