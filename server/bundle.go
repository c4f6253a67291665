package server

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/mosaichq/mosaic/bundle"
	"github.com/mosaichq/mosaic/delivery"
	"github.com/mosaichq/mosaic/errs"
)

// KeysPath is where the bundle signing keys are published.
const KeysPath = "/.well-known/mosaic-bundle-keys.json"

// bundleHandler serves GET /screens/{slug}/bundle: the signed document,
// ETag = its version (304 on If-None-Match), Cache-Control max-age capped
// by the bundle's next frame boundary and maxAge.
// Callers are refused by delivery's rule, as GraphQL delivery refuses
// them. With visitorId (a kiosk session) the bundle is the visitor's: its
// frames' decision records are written when the document is sent (not on
// a 304: the screen keeps the ids it has), and it is private, no-store.
func bundleHandler(b *bundle.Builder, maxAge time.Duration, policy delivery.Policy, log *slog.Logger) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := policy.Authorize(r.Context()); err != nil {
			assetError(w, r, log, err, 0)
			return
		}
		if b == nil {
			assetError(w, r, log, errs.E(errs.ServiceUnavailable, "screen bundles are not configured on this server"), 0)
			return
		}
		q := r.URL.Query()
		var horizon *int
		if h := q.Get("horizon"); h != "" {
			n, err := strconv.Atoi(h)
			if err != nil {
				assetError(w, r, log, errs.Invalid("horizon must be a whole number of hours",
					errs.FieldError{Path: "horizon", Message: "a whole number of hours"}), 0)
				return
			}
			horizon = &n
		}
		hours, err := bundle.HorizonHours(horizon)
		if err != nil {
			assetError(w, r, log, err, 0)
			return
		}
		doc, err := b.ForCaller(r.Context(), policy, bundle.Request{Screen: r.PathValue("slug"),
			Channel: q.Get("channel"), Device: q.Get("device"), Locale: q.Get("locale"), Horizon: hours,
			VisitorID: q.Get("visitorId")})
		if err != nil {
			assetError(w, r, log, err, 0)
			return
		}
		etag := `"` + doc.Bundle.Version + `"`
		age := doc.NextChange.Sub(doc.Bundle.GeneratedAt)
		if maxAge > 0 && age > maxAge {
			age = maxAge
		}
		h := w.Header()
		h.Set("ETag", etag)
		h.Set("Cache-Control", "max-age="+strconv.Itoa(int(age/time.Second))+", must-revalidate")
		if q.Get("visitorId") != "" {
			h.Set("Cache-Control", "private, no-store")
		}
		h.Set("Vary", "Authorization")
		if etagMatches(r.Header.Get("If-None-Match"), etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		b.Record(doc)
		h.Set("Content-Type", "application/json")
		h.Set("Content-Length", strconv.Itoa(len(doc.JSON)))
		_, _ = w.Write(doc.JSON)
	}
}

// keysHandler publishes the public keys bundles are verified with.
func keysHandler(s *bundle.Signer) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s == nil {
			writeJSON(w, http.StatusOK, bundle.KeySet{Keys: []bundle.JWK{}})
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "max-age=300")
		_ = json.NewEncoder(w).Encode(s.PublicKeys())
	}
}
