package graph

import (
	"context"
	"maps"
	"net/http"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/mosaichq/mosaic/assets"
	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/graph/model"
)

// Asset fields in delivered content (Entry.fields, Block.fields) are
// stored as asset ids. Delivery replaces each with the asset as the
// request's device should fetch it:
//
//	{"id": "…", "url": "/assets/…/hero.webp?fmt=webp&w=640", "contentType": "image/webp",
//	 "width": 640, "height": 427, "filename": "hero.jpg", "alt": "…", "focalPoint": {"x": 0.5, "y": 0.3}}
//
// The device is the experience context's (sent, or derived from the
// User-Agent on the web); without one the URL is the original's. An id
// whose asset is gone becomes null. Assets of one request load in one
// batch.

type assetLoaderKey struct{}

// withAssetLoader installs a per-request loader of assets by id.
func withAssetLoader(svc *assets.Service, next http.Handler) http.Handler {
	if svc == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l := dataloadgen.NewLoader(func(ctx context.Context, ids []string) ([]assets.Asset, []error) {
			found, err := svc.AssetsByIDs(ctx, ids)
			if err != nil {
				return nil, []error{err}
			}
			out := make([]assets.Asset, len(ids))
			for i, id := range ids {
				out[i] = found[id] // zero Asset: missing
			}
			return out, nil
		}, dataloadgen.WithWait(time.Millisecond))
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), assetLoaderKey{}, l)))
	})
}

// deliveredFields expands the asset fields of fields (of content type
// typ) for device and locale; fields without assets come back as they are.
func (r *Resolver) deliveredFields(ctx context.Context, typ string, fields any, device, locale string) (any, error) {
	m, ok := fields.(map[string]any)
	if r.Assets == nil || !ok {
		return fields, nil
	}
	lookup, err := r.Content.TypeLookup(ctx)
	if err != nil {
		return nil, err
	}
	ct, ok := lookup(typ)
	if !ok {
		return fields, nil
	}
	var ids []string
	walkAssets(ct, m, lookup, func(id string) any { ids = append(ids, id); return nil })
	if len(ids) == 0 {
		return fields, nil
	}
	found, err := r.loadAssets(ctx, ids)
	if err != nil {
		return nil, err
	}
	chain, err := r.altChain(&locale)
	if err != nil {
		chain = nil
	}
	out, _ := walkAssets(ct, m, lookup, func(id string) any {
		a, ok := found[id]
		if !ok {
			return nil
		}
		return r.assetValue(a, device, chain)
	})
	return out, nil
}

func (r *Resolver) loadAssets(ctx context.Context, ids []string) (map[string]assets.Asset, error) {
	l, ok := ctx.Value(assetLoaderKey{}).(*dataloadgen.Loader[string, assets.Asset])
	if !ok {
		return r.Assets.AssetsByIDs(ctx, ids)
	}
	list, err := l.LoadAll(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string]assets.Asset, len(ids))
	for i, a := range list {
		if a.ID != "" {
			out[ids[i]] = a
		}
	}
	return out, nil
}

func (r *Resolver) assetValue(a assets.Asset, device string, chain []string) map[string]any {
	d := r.Assets.Delivery(a, device)
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

// walkAssets returns fields with every asset value replaced by f(id),
// and whether anything was. It copies only the maps and lists on the way
// to a change: delivered values are shared with the content cache and
// must not be mutated.
func walkAssets(ct content.ContentType, fields map[string]any, lookup func(string) (content.ContentType, bool), f func(string) any) (map[string]any, bool) {
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

// walkBlocks applies walkAssets to the inline blocks of a blocks field.
func walkBlocks(val any, lookup func(string) (content.ContentType, bool), f func(string) any) ([]any, bool) {
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
		if nf, changed := walkAssets(bt, fields, lookup, f); changed {
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

// entryDevice is the device delivery decided content for.
func entryDevice(e *model.Entry) string {
	if e == nil || e.V == nil {
		return ""
	}
	return e.V.Context().Device
}
