package webfiles

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

func TestAcceptsGzip(t *testing.T) {
	t.Parallel()
	for header, want := range map[string]bool{
		"": false, "gzip": true, "GZIP": true, "deflate, gzip": true, "gzip;q=0": false, "gzip; q=0.000": false,
		"gzip;q=0.5": true, "*": true, "identity": false, "x-gzip": false,
	} {
		if got := AcceptsGzip(header); got != want {
			t.Errorf("AcceptsGzip(%q) = %v", header, got)
		}
	}
}

func TestServeRevalidatesAndGzips(t *testing.T) {
	t.Parallel()
	files, err := Load(fstest.MapFS{
		"dist/app.js":   {Data: []byte(strings.Repeat("console.log('mosaic');\n", 200))},
		"dist/logo.png": {Data: []byte("\x89PNG not text")},
		"dist/skip.map": {Data: []byte("{}")},
	}, "dist", "/app/", func(name string) bool { return strings.HasSuffix(name, ".map") })
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := files["/app/skip.map"]; ok || len(files) != 2 {
		t.Fatalf("loaded %v: want app.js and logo.png only", keys(files))
	}
	js := files["/app/app.js"]
	serve := func(f *File, h http.Header) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Header = h
		f.Serve(rec, req)
		return rec
	}
	plain := serve(js, http.Header{})
	if plain.Code != 200 || plain.Header().Get("Content-Encoding") != "" || plain.Body.Len() != js.Size() ||
		plain.Header().Get("Cache-Control") != "no-cache" || !strings.Contains(plain.Header().Get("Content-Type"), "javascript") {
		t.Fatalf("plain: %d %v, %d bytes", plain.Code, plain.Header(), plain.Body.Len())
	}
	gz := serve(js, http.Header{"Accept-Encoding": {"gzip"}})
	if gz.Header().Get("Content-Encoding") != "gzip" || gz.Body.Len() != js.Sent() || js.Sent() >= js.Size() ||
		gz.Header().Get("ETag") == plain.Header().Get("ETag") {
		t.Fatalf("gzip: %v, %d bytes", gz.Header(), gz.Body.Len())
	}
	again := serve(js, http.Header{"If-None-Match": {plain.Header().Get("ETag")}})
	if again.Code != http.StatusNotModified || again.Body.Len() != 0 {
		t.Fatalf("revalidation: %d, %d bytes", again.Code, again.Body.Len())
	}
	// A picture is not worth compressing: never sent gzipped.
	if png := serve(files["/app/logo.png"], http.Header{"Accept-Encoding": {"gzip"}}); png.Header().Get("Content-Encoding") != "" {
		t.Fatalf("png gzipped: %v", png.Header())
	}
}

func TestNotFoundIsAGraphQLError(t *testing.T) {
	t.Parallel()
	rec := httptest.NewRecorder()
	NotFound(rec, "no such file: /x")
	if rec.Code != 404 || !strings.Contains(rec.Body.String(), `"code":"NOT_FOUND"`) ||
		!strings.Contains(rec.Body.String(), "no such file: /x") || rec.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("%d %s %v", rec.Code, rec.Body, rec.Header())
	}
}

func keys(m map[string]*File) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
