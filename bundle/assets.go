package bundle

import (
	"context"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/delivery"
)

// collectAssets appends the asset ids the screen's fields and blocks
// reference (per their content types) to ids, once each.
func (b *Builder) collectAssets(ctx context.Context, ct content.ContentType, scr *Screen, ids *[]string) {
	lookup, err := b.Content.TypeLookup(ctx)
	if err != nil {
		return
	}
	*ids = delivery.AssetIDs(ct, scr.Fields, lookup, *ids)
	for _, bl := range scr.Blocks {
		if bt, ok := lookup(bl.Type); ok {
			*ids = delivery.AssetIDs(bt, bl.Fields, lookup, *ids)
		}
	}
}

// manifest resolves ids to files with the device's rendition URL and the
// alt text in locale; ids of deleted assets are left out.
func (b *Builder) manifest(ctx context.Context, ids []string, device, locale string) ([]Asset, error) {
	out := []Asset{}
	if b.Assets == nil || len(ids) == 0 {
		return out, nil
	}
	chain, err := b.Content.Locales().Chain(locale)
	if err != nil {
		chain = []string{locale}
	}
	found, err := b.Assets.AssetsByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		a, ok := found[id]
		if !ok {
			continue
		}
		d, sum, size, err := b.Assets.VerifiedDelivery(ctx, a, device)
		if err != nil {
			return nil, err
		}
		alt, _ := a.AltText(chain)
		out = append(out, Asset{ID: a.ID, SHA256: sum, Size: size, Filename: a.Filename, ContentType: d.ContentType,
			URL: d.URL, Width: d.Width, Height: d.Height, Alt: alt})
	}
	return out, nil
}
