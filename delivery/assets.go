package delivery

import (
	"maps"
	"slices"

	"github.com/mosaichq/mosaic/assets"
	"github.com/mosaichq/mosaic/content"
)

// Asset fields in delivered content are stored as asset ids. Every surface
// that delivers content finds them with the one walker below, which knows
// where a content type keeps assets: asset fields (one id or a list) and,
// recursively, the fields of inline blocks in blocks fields.

// TypeLookup finds a content type by key (content.Service.TypeLookup).
type TypeLookup func(string) (content.ContentType, bool)

// WalkAssets returns fields (of content type ct) with every asset id
// replaced by f(id), and whether anything was. It copies only the maps
// and lists on the way to a change: delivered values are shared with the
// content cache and must not be mutated.
func WalkAssets(ct content.ContentType, fields map[string]any, lookup TypeLookup, f func(id string) any) (map[string]any, bool) {
	var out map[string]any
	set := func(k string, v any) {
		if out == nil {
			out = maps.Clone(fields)
		}
		out[k] = v
	}
	for _, fd := range ct.Fields {
		val, ok := fields[fd.Key]
		if !ok || val == nil {
			continue
		}
		switch fd.Kind {
		case content.KindAsset:
			switch v := val.(type) {
			case string:
				set(fd.Key, f(v))
			case []any:
				list := make([]any, len(v))
				for i, it := range v {
					if s, ok := it.(string); ok {
						list[i] = f(s)
					} else {
						list[i] = it
					}
				}
				set(fd.Key, list)
			}
		case content.KindBlocks:
			if list, changed := walkBlocks(val, lookup, f); changed {
				set(fd.Key, list)
			}
		}
	}
	if out == nil {
		return fields, false
	}
	return out, true
}

// walkBlocks applies WalkAssets to the inline blocks of a blocks field.
func walkBlocks(val any, lookup TypeLookup, f func(string) any) ([]any, bool) {
	items, ok := val.([]any)
	if !ok {
		return nil, false
	}
	var out []any
	for i, it := range items {
		b, ok := it.(map[string]any)
		if !ok {
			continue
		}
		typ, _ := b["type"].(string)
		fields, _ := b["fields"].(map[string]any)
		bt, ok := lookup(typ)
		if !ok || fields == nil {
			continue
		}
		if nf, changed := WalkAssets(bt, fields, lookup, f); changed {
			if out == nil {
				out = append([]any(nil), items...)
			}
			nb := maps.Clone(b)
			nb["fields"] = nf
			out[i] = nb
		}
	}
	return out, out != nil
}

// AssetIDs appends to ids, once each, the asset ids fields (of content
// type ct) reference.
func AssetIDs(ct content.ContentType, fields map[string]any, lookup TypeLookup, ids []string) []string {
	WalkAssets(ct, fields, lookup, func(id string) any {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
		return nil
	})
	return ids
}

// AssetValue is how an asset field is delivered: the file as the device
// should fetch it (d), its alt text along the locale chain and its focal
// point.
//
//	{"id": "…", "url": "/assets/…/hero.webp?fmt=webp&w=640", "contentType": "image/webp",
//	 "width": 640, "height": 427, "filename": "hero.jpg", "alt": "…", "focalPoint": {"x": 0.5, "y": 0.3}}
func AssetValue(a assets.Asset, d assets.Delivered, chain []string) map[string]any {
	v := map[string]any{"id": a.ID, "url": d.URL, "contentType": d.ContentType, "filename": a.Filename}
	if d.Width > 0 {
		v["width"], v["height"] = d.Width, d.Height
	}
	if alt, ok := a.AltText(chain); ok {
		v["alt"] = alt
	}
	if a.Focal != nil {
		v["focalPoint"] = map[string]any{"x": a.Focal.X, "y": a.Focal.Y}
	}
	return v
}
