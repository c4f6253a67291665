package graphiql

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"html"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"

	"github.com/mosaichq/mosaic/errs"
)

//go:embed dist
var dist embed.FS

// Path is where the page is served; its files are under Path + "/".
const Path = "/graphiql"

// CSP is the Content-Security-Policy of the page and its files: scripts,
// workers, styles and fonts from this origin (Monaco, GraphiQL's editor,
// injects style elements, and the fonts are data: URLs in the stylesheet),
// requests to this origin only.
const CSP = "default-src 'none'; script-src 'self'; worker-src 'self' blob:; style-src 'self' 'unsafe-inline'; " +
	"font-src 'self' data:; img-src 'self' data: blob:; connect-src 'self'; " +
	"frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// endpointMeta is the endpoint as the build writes it into index.html.
const endpointMeta = `<meta name="mosaic-graphql-endpoint" content="/graphql">`

// file is one embedded file, ready to serve.
type file struct {
	body  []byte
	etag  string
	ctype string

	gzOnce sync.Once
	gz     []byte // nil when compressing does not pay
}

// gzipped compresses the file on first use (most of the bundle is text
// that shrinks to about a third) and keeps the result.
func (f *file) gzipped() []byte {
	f.gzOnce.Do(func() {
		if !strings.HasPrefix(f.ctype, "text/") && !strings.Contains(f.ctype, "javascript") {
			return
		}
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
		_, _ = zw.Write(f.body)
		_ = zw.Close()
		if buf.Len() < len(f.body)*9/10 {
			f.gz = buf.Bytes()
		}
	})
	return f.gz
}

func newFile(body []byte, name string) *file {
	sum := sha256.Sum256(body)
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	return &file{body: body, etag: `"` + hex.EncodeToString(sum[:16]) + `"`, ctype: ctype}
}

// assets maps each embedded file but index.html to its URL path. Built
// once per process and shared by every handler (the gzip cache with it).
var assets = sync.OnceValue(func() map[string]*file {
	m := map[string]*file{}
	err := fs.WalkDir(dist, "dist", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || p == "dist/index.html" {
			return err
		}
		body, err := dist.ReadFile(p)
		if err != nil {
			return err
		}
		m[Path+strings.TrimPrefix(p, "dist")] = newFile(body, p)
		return nil
	})
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	return m
})

// SchemaPath serves the API's schema as SDL when Options.Schema is set.
const SchemaPath = Path + "/schema.graphql"

// Options configure Handler.
type Options struct {
	// Endpoint is where GraphiQL sends its requests (Mosaic's: "/graphql").
	Endpoint string
	// Schema, when set, is served as SDL at SchemaPath, for code
	// generators and readers. Leave it nil when introspection is off: the
	// SDL tells what introspection would.
	Schema *ast.Schema
}

// Handler serves the page at Path and Path + "/", its files below, and
// the schema at SchemaPath.
func Handler(o Options) http.Handler {
	index, err := dist.ReadFile("dist/index.html")
	if err != nil || !bytes.Contains(index, []byte(endpointMeta)) {
		panic("graphiql: dist/index.html lacks the endpoint meta tag; run `make graphiql`")
	}
	page := newFile(bytes.Replace(index, []byte(endpointMeta),
		[]byte(`<meta name="mosaic-graphql-endpoint" content="`+html.EscapeString(o.Endpoint)+`">`), 1), "index.html")
	sdl := sync.OnceValue(func() *file {
		var buf bytes.Buffer
		formatter.NewFormatter(&buf, formatter.WithIndent("  ")).FormatSchema(o.Schema)
		f := newFile(buf.Bytes(), "schema.graphql")
		f.ctype = "text/plain; charset=utf-8" // shown by browsers, not downloaded
		return f
	})
	files := assets()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f := files[r.URL.Path]
		switch r.URL.Path {
		case Path, Path + "/", Path + "/index.html":
			f = page
		case SchemaPath:
			if o.Schema != nil {
				f = sdl()
			}
		}
		h := w.Header()
		h.Set("Content-Security-Policy", CSP)
		if f == nil {
			h.Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			_ = json.NewEncoder(w).Encode(map[string]any{"errors": []any{map[string]any{
				"message":    "no such GraphiQL file: " + r.URL.Path,
				"extensions": map[string]any{"code": string(errs.NotFound)},
			}}})
			return
		}
		// The names are fixed and the content changes with the binary:
		// always revalidate, which the ETag makes a 304.
		h.Set("Cache-Control", "no-cache")
		h.Set("Content-Type", f.ctype)
		h.Add("Vary", "Accept-Encoding")
		body, etag := f.body, f.etag
		if gz := f.gzipped(); gz != nil && acceptsGzip(r.Header.Get("Accept-Encoding")) {
			body, etag = gz, strings.TrimSuffix(f.etag, `"`)+`-gzip"`
			h.Set("Content-Encoding", "gzip")
		}
		h.Set("ETag", etag)
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
	})
}

// acceptsGzip reads an Accept-Encoding header: gzip (or *) listed without
// q=0.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding != "gzip" && coding != "*" {
			continue
		}
		q := strings.ReplaceAll(strings.ToLower(params), " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}
