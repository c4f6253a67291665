package graph

import (
	"context"

	"github.com/mosaichq/mosaic/bundle"
	"github.com/mosaichq/mosaic/errs"
)

// screenBundle builds a bundle for a delivery caller.
func (r *Resolver) screenBundle(ctx context.Context, screen, channel, device, locale, visitorID string, horizon *int) (*bundle.Document, error) {
	if r.Bundles == nil {
		return nil, errs.E(errs.ServiceUnavailable, "screen bundles are not configured on this server")
	}
	h, err := bundle.HorizonHours(horizon)
	if err != nil {
		return nil, err
	}
	doc, err := r.Bundles.ForCaller(ctx, r.delivery().Policy,
		bundle.Request{Screen: screen, Channel: channel, Device: device, Locale: locale, Horizon: h, VisitorID: visitorID})
	if err != nil {
		return nil, err
	}
	if visitorID != "" {
		// The visitor's own bundle, with its decision ids: never shared
		// by a cache (as Entry.decisionId).
		r.request(ctx).ShowDecision()
		r.Bundles.Record(doc)
	}
	// The bundle's first frame ends at NextChange: a cached GraphQL GET
	// answer must not outlive it (the stamp caps max-age and ETag there).
	bound(ctx, doc.NextChange)
	return doc, nil
}
