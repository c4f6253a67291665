package studio

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

func get(t *testing.T, path string, header map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	Handler().ServeHTTP(rec, req)
	return rec
}

// Every script and stylesheet the page and its chunks name is one of the
// embedded files, served with its type: a build that references a file it
// did not write, or a hashed name, fails here before any browser sees it.
func TestThePageLoadsOnlyItsOwnFiles(t *testing.T) {
	t.Parallel()
	page := get(t, Prefix, nil)
	if page.Code != http.StatusOK || !strings.Contains(page.Body.String(), "<title>Mosaic studio</title>") {
		t.Fatalf("GET %s: %d %s", Prefix, page.Code, page.Body)
	}
	refs := regexp.MustCompile(`(?:src|href)="([^"]+)"`).FindAllStringSubmatch(page.Body.String(), -1)
	seen := 0
	for _, m := range refs {
		ref := m[1]
		if ref == "data:," {
			continue
		}
		if !strings.HasPrefix(ref, Prefix+"assets/") {
			t.Errorf("the page loads %q, not a file of its own", ref)
			continue
		}
		rec := get(t, ref, nil)
		if rec.Code != http.StatusOK || rec.Body.Len() == 0 {
			t.Errorf("GET %s: %d", ref, rec.Code)
		}
		seen++
	}
	if seen < 2 {
		t.Errorf("the page names %d files, want its script and stylesheet", seen)
	}
	// The lazily loaded pages: every chunk the entry script imports exists.
	entry := get(t, Prefix+"assets/index.js", nil)
	if ct := entry.Header().Get("Content-Type"); !strings.Contains(ct, "javascript") {
		t.Errorf("index.js served as %q", ct)
	}
	for _, m := range regexp.MustCompile(`"\./([A-Za-z0-9_-]+\.js)"`).FindAllStringSubmatch(entry.Body.String(), -1) {
		if rec := get(t, Prefix+"assets/"+m[1], nil); rec.Code != http.StatusOK {
			t.Errorf("index.js imports %s: GET answers %d", m[1], rec.Code)
		}
	}
}

// The app routes with the history API: its routes are answered with the
// page, a missing file is not (a stale script must fail loudly, not parse
// HTML as JavaScript).
func TestRoutesGetThePageMissingFilesDoNot(t *testing.T) {
	t.Parallel()
	for _, p := range []string{"/studio/model", "/studio/content/page/123", "/studio/assets"} {
		rec := get(t, p, nil)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "<title>Mosaic studio</title>") {
			t.Errorf("GET %s: %d, not the page", p, rec.Code)
		}
	}
	for _, p := range []string{"/studio/assets/nope.js", "/studio/studio.js", "/studio/favicon.ico"} {
		if rec := get(t, p, nil); rec.Code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", p, rec.Code)
		}
	}
}

func TestFilesRevalidateAndCompress(t *testing.T) {
	t.Parallel()
	plain := get(t, Prefix+"assets/index.js", nil)
	etag := plain.Header().Get("ETag")
	if etag == "" || plain.Header().Get("Cache-Control") != "no-cache" {
		t.Fatalf("index.js: ETag %q, Cache-Control %q", etag, plain.Header().Get("Cache-Control"))
	}
	if rec := get(t, Prefix+"assets/index.js", map[string]string{"If-None-Match": etag}); rec.Code != http.StatusNotModified {
		t.Errorf("revalidation with the ETag: %d, want 304", rec.Code)
	}
	gz := get(t, Prefix+"assets/index.js", map[string]string{"Accept-Encoding": "gzip"})
	if gz.Header().Get("Content-Encoding") != "gzip" || gz.Body.Len() >= plain.Body.Len()/2 {
		t.Fatalf("gzip: encoding %q, %d of %d bytes", gz.Header().Get("Content-Encoding"), gz.Body.Len(), plain.Body.Len())
	}
	zr, err := gzip.NewReader(gz.Body)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(zr)
	if err != nil || string(body) != plain.Body.String() {
		t.Errorf("the gzipped body does not inflate to the file (%v)", err)
	}
	if got := get(t, Prefix+"assets/index.js", map[string]string{"Accept-Encoding": "gzip;q=0"}); got.Header().Get("Content-Encoding") != "" {
		t.Errorf("gzip;q=0 still compressed")
	}
}
