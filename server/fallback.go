package server

import (
	"net/http"

	"github.com/mosaichq/mosaic/errs"
)

// routeFallback answers what mux has no route for in the API's error shape
// instead of ServeMux's plain text: an unknown path is NOT_FOUND (404), a
// known path with another method BAD_USER_INPUT (405, with the mux's Allow
// header).
//
// /graphql, the hot route, goes straight to its handler: its pattern has
// no method, host or wildcard, so the mux would find nothing else.
func routeFallback(mux *http.ServeMux, graphql http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/graphql" && r.URL.RawPath == "" {
			graphql.ServeHTTP(w, r)
			return
		}
		h, pattern := mux.Handler(r)
		if pattern != "" {
			mux.ServeHTTP(w, r) // sets the path values a matched handler reads
			return
		}
		rec := &discardRecorder{header: http.Header{}, code: http.StatusOK}
		h.ServeHTTP(rec, r) // the mux's own 404 or 405 answer: only its status and Allow are used
		if rec.code == http.StatusMethodNotAllowed {
			allow := rec.header.Get("Allow")
			w.Header().Set("Allow", allow)
			writeJSON(w, http.StatusMethodNotAllowed, restError(r,
				errs.E(errs.BadUserInput, "method %s is not allowed on %s (allowed: %s)", r.Method, r.URL.Path, allow)))
			return
		}
		writeJSON(w, http.StatusNotFound, restError(r, errs.E(errs.NotFound, "no endpoint %s on this server", r.URL.Path)))
	})
}

// discardRecorder keeps a response's status and headers, not its body.
type discardRecorder struct {
	header http.Header
	code   int
}

func (d *discardRecorder) Header() http.Header         { return d.header }
func (d *discardRecorder) Write(p []byte) (int, error) { return len(p), nil }
func (d *discardRecorder) WriteHeader(code int)        { d.code = code }
