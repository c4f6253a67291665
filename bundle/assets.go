package bundle

import (
	"context"
	"slices"

	"github.com/mosaichq/mosaic/content"
)

// collectAssets appends the asset ids the screen's fields and blocks
// reference (per their content types) to ids, once each.
func (b *Builder) collectAssets(ctx context.Context, ct content.ContentType, scr *Screen, ids *[]string) {
	lookup, err := b.Content.TypeLookup(ctx)
	if err != nil {
		return
	}
	add := func(id string) {
		if !slices.Contains(*ids, id) {
			*ids = append(*ids, id)
		}
	}
	walkFields(ct, scr.Fields, lookup, add)
	for _, bl := range scr.Blocks {
		if bt, ok := lookup(bl.Type); ok {
			walkFields(bt, bl.Fields, lookup, add)
		}
	}
}

func walkFields(ct content.ContentType, fields map[string]any, lookup func(string) (content.ContentType, bool), add func(string)) {
	for _, fd := range ct.Fields {
		val, ok := fields[fd.Key]
		if !ok || val == nil {
			continue
		}
		switch fd.Kind {
		case content.KindAsset:
			switch v := val.(type) {
			case string:
				add(v)
			case []any:
				for _, it := range v {
					if s, ok := it.(string); ok {
						add(s)
					}
				}
			}
		case content.KindBlocks:
			items, _ := val.([]any)
			for _, it := range items {
				m, _ := it.(map[string]any)
				typ, _ := m["type"].(string)
				f, _ := m["fields"].(map[string]any)
				if bt, ok := lookup(typ); ok && f != nil {
					walkFields(bt, f, lookup, add)
				}
			}
		}
	}
}

// manifest resolves ids to files with the device's rendition URL; ids of
// deleted assets are left out.
func (b *Builder) manifest(ctx context.Context, ids []string, device string) ([]Asset, error) {
	out := []Asset{}
	if b.Assets == nil || len(ids) == 0 {
		return out, nil
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
		out = append(out, Asset{ID: a.ID, SHA256: sum, Size: size, Filename: a.Filename, ContentType: d.ContentType,
			URL: d.URL, Width: d.Width, Height: d.Height})
	}
	return out, nil
}
