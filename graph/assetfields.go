package graph

import (
	"context"
	"net/http"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/mosaichq/mosaic/assets"
	"github.com/mosaichq/mosaic/delivery"
	"github.com/mosaichq/mosaic/delivery/surrogate"
	"github.com/mosaichq/mosaic/graph/model"
)

// Asset fields in delivered content (Entry.fields, Block.fields) are
// stored as asset ids. Delivery replaces each with the asset as the
// request's device should fetch it (delivery.AssetValue). The device is the experience context's (sent, or derived from the
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
	ids := delivery.AssetIDs(ct, m, lookup, nil)
	if len(ids) == 0 {
		return fields, nil
	}
	found, err := r.loadAssets(ctx, ids)
	if err != nil {
		return nil, err
	}
	q := r.request(ctx)
	for id := range found {
		q.Tag(surrogate.Asset(id))
	}
	chain, err := r.altChain(&locale)
	if err != nil {
		chain = nil
	}
	out, _ := delivery.WalkAssets(ct, m, lookup, func(id string) any {
		a, ok := found[id]
		if !ok {
			return nil
		}
		return delivery.AssetValue(a, r.Assets.Delivery(a, device), chain)
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

// entryDevice is the device delivery decided content for.
func entryDevice(e *model.Entry) string {
	if e == nil {
		return ""
	}
	return e.Delivered.Device()
}
