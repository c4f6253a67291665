package bundle

import (
	"context"

	"github.com/mosaichq/mosaic/delivery"
)

// ForCaller builds the bundle a delivery caller asks for (GraphQL
// screenBundle, GET /screens/{slug}/bundle): delivery's rule decides who
// may read and which channel an API key limited to channels may ask for;
// channel, device and locale must be known.
func (b *Builder) ForCaller(ctx context.Context, p delivery.Policy, req Request) (*Document, error) {
	if err := p.Authorize(ctx); err != nil {
		return nil, err
	}
	var err error
	if req.Channel, err = delivery.Channel(ctx, req.Channel, "the channel"); err != nil {
		return nil, err
	}
	if err := b.ValidateContext(req); err != nil {
		return nil, err
	}
	if req.Locale != "" {
		if _, err := b.Content.Locales().Chain(req.Locale); err != nil {
			return nil, err
		}
	}
	return b.Build(ctx, req)
}
