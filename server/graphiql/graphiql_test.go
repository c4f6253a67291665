package graphiql

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

func get(t *testing.T, h http.Handler, path string, header map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestThePageLoadsOnlyItsOwnFiles(t *testing.T) {
	t.Parallel()
	h := Handler(Options{Endpoint: "/graphql"})
	for _, p := range []string{"/graphiql", "/graphiql/", "/graphiql/index.html"} {
		rec := get(t, h, p, nil)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "<title>Mosaic GraphiQL</title>") {
			t.Fatalf("GET %s: %d %s", p, rec.Code, rec.Body)
		}
		if got := rec.Header().Get("Content-Security-Policy"); got != CSP {
			t.Errorf("GET %s: CSP %q", p, got)
		}
	}
	page := get(t, h, "/graphiql", nil).Body.String()
	if !strings.Contains(page, endpointMeta) {
		t.Errorf("the page does not name /graphql as its endpoint:\n%s", page)
	}
	// Every script and stylesheet is one of ours, and each is served.
	refs := regexp.MustCompile(`(?:src|href)="([^"]+)"`).FindAllStringSubmatch(page, -1)
	var scripts int
	for _, m := range refs {
		ref := m[1]
		if ref == "data:," {
			continue
		}
		if !strings.HasPrefix(ref, Path+"/") {
			t.Errorf("the page loads %q, not a file of its own", ref)
			continue
		}
		rec := get(t, h, ref, nil)
		if rec.Code != http.StatusOK || rec.Body.Len() == 0 {
			t.Errorf("GET %s: %d", ref, rec.Code)
		}
		if strings.HasSuffix(ref, ".js") {
			scripts++
			if ct := rec.Header().Get("Content-Type"); !strings.Contains(ct, "javascript") {
				t.Errorf("GET %s: Content-Type %q", ref, ct)
			}
		}
	}
	if scripts != 2 { // boot.js, then the bundle
		t.Errorf("the page loads %d scripts, want boot.js and the bundle", scripts)
	}
	if strings.Index(page, "boot.js") > strings.Index(page, "assets/index.js") {
		t.Error("boot.js must come first to report the bundle failing to load")
	}
}

func TestNoFileReachesForTheNetwork(t *testing.T) {
	t.Parallel()
	// What would load code or styles from elsewhere (as minified: an import
	// of a URL, a stylesheet @import, a worker's importScripts) or name a
	// package CDN.
	var needles [][]byte
	for _, lead := range []string{`import(`, `import`, `from`, `@import `, `@import url(`, `importScripts(`} {
		for _, quote := range []string{`"`, `'`, "`", ``} {
			for _, scheme := range []string{`http:`, `https:`, `//`} {
				needles = append(needles, []byte(lead+quote+scheme))
			}
		}
	}
	needles = append(needles, []byte("esm.sh/"), []byte("unpkg.com/"), []byte("cdn.jsdelivr.net/"), []byte("fonts.googleapis.com"))
	err := fs.WalkDir(dist, "dist", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := dist.ReadFile(p)
		for _, n := range needles {
			if i := bytes.Index(body, n); i >= 0 {
				t.Errorf("%s reaches for the network: %q", p, body[max(0, i-40):min(len(body), i+80)])
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestEndpointIsEscapedIntoThePage(t *testing.T) {
	t.Parallel()
	page := get(t, Handler(Options{Endpoint: `/api"><script>x</script>`}), "/graphiql", nil).Body.String()
	if strings.Contains(page, "<script>x") || !strings.Contains(page, `content="/api&#34;&gt;&lt;script&gt;x&lt;/script&gt;"`) {
		t.Errorf("endpoint not escaped:\n%s", page)
	}
}

func TestFilesAreRevalidatedAndCompressed(t *testing.T) {
	t.Parallel()
	h := Handler(Options{Endpoint: "/graphql"})
	const js = "/graphiql/assets/index.js"
	plain := get(t, h, js, nil)
	etag := plain.Header().Get("ETag")
	if plain.Code != 200 || etag == "" || plain.Header().Get("Cache-Control") != "no-cache" || plain.Header().Get("Content-Encoding") != "" {
		t.Fatalf("GET %s: %d %v", js, plain.Code, plain.Header())
	}
	if again := get(t, h, js, map[string]string{"If-None-Match": etag}); again.Code != http.StatusNotModified || again.Body.Len() != 0 {
		t.Errorf("revalidation: %d, %d bytes", again.Code, again.Body.Len())
	}

	zipped := get(t, h, js, map[string]string{"Accept-Encoding": "br, gzip;q=0.8"})
	if zipped.Header().Get("Content-Encoding") != "gzip" || zipped.Header().Get("ETag") == etag ||
		!strings.Contains(zipped.Header().Get("Vary"), "Accept-Encoding") {
		t.Fatalf("gzip: %v", zipped.Header())
	}
	t.Logf("%s: %d bytes, %d gzipped", js, plain.Body.Len(), zipped.Body.Len())
	zr, err := gzip.NewReader(zipped.Body)
	if err != nil {
		t.Fatal(err)
	}
	unzipped, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(unzipped, plain.Body.Bytes()) {
		t.Fatalf("the gzip body is not the file (%v)", err)
	}

	for _, ae := range []string{"gzip;q=0", "identity", "deflate"} {
		if rec := get(t, h, js, map[string]string{"Accept-Encoding": ae}); rec.Header().Get("Content-Encoding") != "" {
			t.Errorf("Accept-Encoding %q got %q", ae, rec.Header().Get("Content-Encoding"))
		}
	}
	// A font does not shrink: served as is.
	if rec := get(t, h, "/graphiql/assets/codicon.ttf", map[string]string{"Accept-Encoding": "gzip"}); rec.Code != 200 || rec.Header().Get("Content-Type") != "font/ttf" {
		t.Errorf("font: %d %v", rec.Code, rec.Header())
	}
}

func TestUnknownFilesAnswerNotFound(t *testing.T) {
	t.Parallel()
	h := Handler(Options{Endpoint: "/graphql"})
	for _, p := range []string{SchemaPath, "/graphiql/nope.js", "/graphiql/assets/", "/graphiql/../server.go", "/graphiql/assets/../../doc.go"} {
		rec := get(t, h, p, nil)
		var body struct {
			Errors []struct {
				Extensions struct{ Code string }
			}
		}
		if rec.Code != http.StatusNotFound || json.Unmarshal(rec.Body.Bytes(), &body) != nil ||
			len(body.Errors) != 1 || body.Errors[0].Extensions.Code != "NOT_FOUND" {
			t.Errorf("GET %s: %d %s", p, rec.Code, rec.Body)
		}
	}
}

// The whole of GraphiQL (Monaco editor, workers, fonts inlined in the
// stylesheet) is about 7.1 MB, 2.2 MB as sent gzipped. A budget keeps an
// accidental doubling (a second copy of Monaco, source maps) from
// slipping in. With -v it also reports the gzipped size (slow under -race).
func TestBundleSize(t *testing.T) {
	t.Parallel()
	const budget = 8 << 20
	var total, sent int
	for p, f := range assets() {
		total += f.Size()
		if strings.HasSuffix(p, ".map") {
			t.Errorf("source map embedded: %s", p)
		}
		if !testing.Verbose() {
			continue
		}
		sent += f.Sent()
	}
	t.Logf("GraphiQL: %d files, %d bytes, %d bytes gzipped", len(assets())+1, total, sent)
	if total > budget {
		t.Errorf("GraphiQL is %d bytes, over its %d byte budget", total, budget)
	}
}

func TestTheSchemaIsServedAsSDL(t *testing.T) {
	t.Parallel()
	schema := gqlparser.MustLoadSchema(&ast.Source{Name: "s.graphqls", Input: `
		"""A page of content."""
		type Entry { id: ID! slug: String! }
		type Query { entry(slug: String!): Entry }`})
	rec := get(t, Handler(Options{Endpoint: "/graphql", Schema: schema}), SchemaPath, nil)
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Fatalf("GET %s: %d %v", SchemaPath, rec.Code, rec.Header())
	}
	for _, want := range []string{"type Query {", "entry(slug: String!): Entry", "A page of content."} {
		if !strings.Contains(rec.Body.String(), want) {
			t.Errorf("the SDL lacks %q:\n%s", want, rec.Body)
		}
	}
	// It parses back to the same types.
	again, err := gqlparser.LoadSchema(&ast.Source{Name: "again", Input: rec.Body.String()})
	if err != nil || again.Types["Entry"] == nil || len(again.Types["Entry"].Fields) != 2 {
		t.Errorf("the SDL does not load back: %v", err)
	}
}
