package graph

import (
	"context"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/bundle"
	"github.com/mosaichq/mosaic/errs"
)

// screenBundle builds a bundle for a delivery caller: an API key limited
// to channels decides which channel it may ask for.
func (r *Resolver) screenBundle(ctx context.Context, screen, channel, device, locale string, horizon *int) (*bundle.Document, error) {
	if r.Bundles == nil {
		return nil, errs.E(errs.ServiceUnavailable, "screen bundles are not configured on this server")
	}
	doc, err := ScreenBundle(ctx, r.Bundles, screen, channel, device, locale, horizon)
	if err != nil {
		return nil, err
	}
	// The bundle's first frame ends at NextChange: a cached GraphQL GET
	// answer must not outlive it (the stamp caps max-age and ETag there).
	bound(ctx, doc.NextChange)
	return doc, nil
}

// ScreenBundle parses a bundle request (GraphQL or GET /screens/…/bundle)
// and builds it.
func ScreenBundle(ctx context.Context, b *bundle.Builder, screen, channel, device, locale string, horizon *int) (*bundle.Document, error) {
	h, err := bundle.HorizonHours(horizon)
	if err != nil {
		return nil, err
	}
	if err := auth.ErrorFromContext(ctx); err != nil {
		return nil, err
	}
	if channel, err = keyChannel(ctx, channel); err != nil {
		return nil, err
	}
	req := bundle.Request{Screen: screen, Channel: channel, Device: device, Locale: locale, Horizon: h}
	if err := b.ValidateContext(req); err != nil {
		return nil, err
	}
	if locale != "" {
		if _, err := b.Content.Locales().Chain(locale); err != nil {
			return nil, err
		}
	}
	return b.Build(ctx, req)
}
