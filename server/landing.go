package server

import (
	_ "embed"
	"net/http"
)

// landingPage is what / shows: links to everything a person can open on
// this server. Static, so that it never fails; it links nothing off-site.
//
//go:embed landing.html
var landingPage []byte

// landingCSP allows the page's own inline stylesheet and nothing else.
const landingCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; " +
	"form-action 'none'; frame-ancestors 'none'; base-uri 'none'"

func landing(w http.ResponseWriter, _ *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", landingCSP)
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	_, _ = w.Write(landingPage)
}
