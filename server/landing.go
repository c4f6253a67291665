package server

import (
	"bytes"
	_ "embed"
	"net/http"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/mosaichq/mosaic/graph"
	"github.com/mosaichq/mosaic/graph/generated"
)

// landingPage is what / shows: links to everything a person can open on
// this server. Static, so that it never fails; it links nothing off-site.
//
//go:embed landing.html
var landingPage []byte

// sdlLink is the landing page's line linking the schema; it goes when
// introspection is off (and the schema is not served). metricsLink goes
// when /metrics is hidden (MOSAIC_METRICS=false).
var (
	sdlLink     = []byte(`      <li id="sdl">`)
	metricsLink = []byte(`      <li id="metrics">`)
)

// landingCSP allows the page's own inline stylesheet and nothing else.
const landingCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; " +
	"form-action 'none'; frame-ancestors 'none'; base-uri 'none'"

func landing(introspection, metrics bool) http.Handler {
	page := landingPage
	if !introspection {
		page = withoutLine(page, sdlLink)
	}
	if !metrics {
		page = withoutLine(page, metricsLink)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", landingCSP)
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Cache-Control", "no-cache")
		_, _ = w.Write(page)
	})
}

// withoutLine is page less the line that starts with prefix.
func withoutLine(page, prefix []byte) []byte {
	start := bytes.Index(page, prefix)
	if start < 0 {
		return page
	}
	end := start + bytes.IndexByte(page[start:], '\n') + 1
	return append(append([]byte{}, page[:start]...), page[end:]...)
}

// apiSchema is the GraphQL schema GraphiQL serves as SDL, or nil when
// introspection is off: the SDL tells as much as introspection would.
func apiSchema(l graph.Limits) *ast.Schema {
	if !l.Introspection {
		return nil
	}
	return generated.NewExecutableSchema(generated.Config{}).Schema()
}
