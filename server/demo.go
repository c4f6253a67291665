package server

import (
	"log/slog"
	"net/http"

	"github.com/mosaichq/mosaic/assets"
	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/internal/seed"
)

// demoHandler resolves `/demo/{name}`, the picture paths the demo content
// names (imageUrl "/demo/hero-winter.jpg"), to the demo picture the seed
// uploaded: a redirect to the asset, its query (a rendition such as
// ?w=640&fmt=webp) kept. The redirect itself is not cached: a reset demo
// uploads its pictures again.
func demoHandler(svc *assets.Service, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if svc == nil {
			assetError(w, r, log, errs.E(errs.NotFound, "no asset storage: the demo pictures are not available"), 0)
			return
		}
		a, err := seed.FindPicture(r.Context(), svc, r.PathValue("name"))
		if err != nil {
			assetError(w, r, log, err, 0)
			return
		}
		to, err := svc.URL(a, nil, false)
		if err != nil {
			assetError(w, r, log, err, 0)
			return
		}
		if r.URL.RawQuery != "" {
			to += "?" + r.URL.RawQuery
		}
		w.Header().Set("Cache-Control", "no-cache")
		http.Redirect(w, r, to, http.StatusFound)
	})
}
