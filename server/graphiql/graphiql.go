package graphiql

import (
	"bytes"
	"embed"
	"html"
	"net/http"
	"sync"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"

	"github.com/mosaichq/mosaic/internal/webfiles"
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

// assets maps each embedded file but index.html to its URL path. Built
// once per process and shared by every handler (the gzip cache with it).
var assets = sync.OnceValue(func() map[string]*webfiles.File {
	m, err := webfiles.Load(dist, "dist", Path+"/", func(p string) bool { return p == "dist/index.html" })
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
	page := webfiles.New("index.html", bytes.Replace(index, []byte(endpointMeta),
		[]byte(`<meta name="mosaic-graphql-endpoint" content="`+html.EscapeString(o.Endpoint)+`">`), 1))
	sdl := sync.OnceValue(func() *webfiles.File {
		var buf bytes.Buffer
		formatter.NewFormatter(&buf, formatter.WithIndent("  ")).FormatSchema(o.Schema)
		// text/plain: shown by browsers, not downloaded
		return webfiles.New("schema.graphql", buf.Bytes()).WithType("text/plain; charset=utf-8")
	})
	// Read on the first request, not here: a replica that only delivers
	// never holds them.
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f := assets()[r.URL.Path]
		switch r.URL.Path {
		case Path, Path + "/", Path + "/index.html":
			f = page
		case SchemaPath:
			if o.Schema != nil {
				f = sdl()
			}
		}
		w.Header().Set("Content-Security-Policy", CSP)
		if f == nil {
			webfiles.NotFound(w, "no such GraphiQL file: "+r.URL.Path)
			return
		}
		f.Serve(w, r)
	})
}
