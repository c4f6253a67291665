package bench

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// BenchmarkAnswerPastTheWriteBuffer is why an answer's header bytes
// matter: net/http writes a response through a 4 KB buffer per
// connection, so an answer whose status line, headers and body together
// pass 4,096 bytes leaves in two writes — two segments, and the client
// wakes twice to read it. A bare net/http server answers the load's page
// body (3,320 bytes) with headers of the size Mosaic's were (~800 bytes,
// Surrogate-Key and Cache-Tag both naming the keys) and of the size they
// are with one key header (~690 bytes), over loopback, clients in
// parallel: the time per answer is both processes' work.
//
//	go run ./internal/tools/testenv -- go test ./bench -run '^$' -bench AnswerPastTheWriteBuffer -count 3
func BenchmarkAnswerPastTheWriteBuffer(b *testing.B) {
	body := bytes.Repeat([]byte("x"), 3320)
	for _, headers := range []int{690, 800} {
		b.Run(strconv.Itoa(headers)+"B-headers", func(b *testing.B) {
			pad := strings.Repeat("k", headers-160) // what the other headers below and the status line take
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				h := w.Header()
				h.Set("Content-Type", "application/json")
				h.Set("Cache-Control", "public, max-age=60")
				h.Set("X-Padding", pad)
				h.Set("Content-Length", strconv.Itoa(len(body)))
				_, _ = w.Write(body)
			}))
			defer srv.Close()
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}}
			defer client.CloseIdleConnections()
			resp, err := client.Get(srv.URL)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			b.SetParallelism(8)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					resp, err := client.Get(srv.URL)
					if err != nil {
						b.Error(err)
						return
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			})
		})
	}
}

// BenchmarkNotModifiedVaryLines: a 304 with Mosaic's headers, its Vary
// list on four lines (one per layer that added a name: CORS, credentials,
// the media type, the consent header) beside the same list on one line,
// through a bare net/http server over loopback. Each line is written,
// cloned by net/http and parsed by every client.
//
//	go run ./internal/tools/testenv -- go test ./bench -run '^$' -bench NotModifiedVaryLines -count 3
func BenchmarkNotModifiedVaryLines(b *testing.B) {
	const etag = `"OanNAMTCG09Z6cgw16-vuOHv"`
	for _, tc := range []struct {
		name string
		vary []string
	}{
		{"four-lines", []string{"Origin", "Authorization, X-API-Key", "Accept", "Sec-GPC"}},
		{"one-line", []string{"Origin, Authorization, X-API-Key, Accept, Sec-GPC"}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				h := w.Header()
				h["Cache-Control"] = []string{"public, max-age=60, s-maxage=60, stale-if-error=86400"}
				h["Etag"] = []string{etag}
				h["Vary"] = tc.vary
				h["X-Mosaic-Cache"] = []string{"HIT"}
				h["X-Mosaic-Epoch"] = []string{"34-0"}
				h["X-Request-Id"] = []string{"0ffc760754758a6b"}
				w.WriteHeader(http.StatusNotModified)
			}))
			defer srv.Close()
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}}
			defer client.CloseIdleConnections()
			b.SetParallelism(8)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
					req.Header.Set("If-None-Match", etag)
					resp, err := client.Do(req)
					if err != nil {
						b.Error(err)
						return
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusNotModified {
						b.Error(resp.Status)
						return
					}
				}
			})
		})
	}
}
