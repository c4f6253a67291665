package graph

import (
	"context"

	"github.com/mosaichq/mosaic/bundle"
	"github.com/mosaichq/mosaic/errs"
)

// screenBundle builds a bundle for a delivery caller.
func (r *Resolver) screenBundle(ctx context.Context, screen, channel, device, locale string, horizon *int) (*bundle.Document, error) {
	if r.Bundles == nil {
		return nil, errs.E(errs.ServiceUnavailable, "screen bundles are not configured on this server")
	}
	h, err := bundle.HorizonHours(horizon)
	if err != nil {
		return nil, err
	}
	doc, err := r.Bundles.ForCaller(ctx, r.delivery().Policy,
		bundle.Request{Screen: screen, Channel: channel, Device: device, Locale: locale, Horizon: h})
	if err != nil {
		return nil, err
	}
	// The bundle's first frame ends at NextChange: a cached GraphQL GET
	// answer must not outlive it (the stamp caps max-age and ETag there).
	bound(ctx, doc.NextChange)
	return doc, nil
}
