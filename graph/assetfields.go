package graph

import (
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vikstrous/dataloadgen"

	"github.com/mosaichq/mosaic/assets"
	"github.com/mosaichq/mosaic/content"
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
	out := [1]typedFields{{typ: typ, fields: fields}}
	if err := r.deliverFields(ctx, out[:], device, locale); err != nil {
		return nil, err
	}
	return out[0].fields, nil
}

// typedFields are one entry's or block's fields and its content type.
type typedFields struct {
	typ    string
	fields any
}

// deliverFields expands the asset fields of each of list in place, with
// one asset load for all of them: an entry's blocks are delivered
// together by their parent (Entry.blocks), not each in a resolver
// goroutine of its own waiting on the loader's batch.
func (r *Resolver) deliverFields(ctx context.Context, list []typedFields, device, locale string) error {
	if r.Assets == nil {
		return nil
	}
	var lookup delivery.TypeLookup
	var ids []string
	types := make([]content.ContentType, len(list))
	has := make([]bool, len(list))
	for i, tf := range list {
		m, ok := tf.fields.(map[string]any)
		if !ok {
			continue
		}
		if lookup == nil {
			var err error
			if lookup, err = r.Content.TypeLookup(ctx); err != nil {
				return err
			}
		}
		ct, ok := lookup(tf.typ)
		if !ok {
			continue
		}
		own := delivery.AssetIDs(ct, m, lookup, nil)
		if len(own) == 0 {
			continue
		}
		types[i], has[i] = ct, true
		for _, id := range own {
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	if len(ids) == 0 {
		return nil
	}
	found, err := r.loadAssets(ctx, ids)
	if err != nil {
		return err
	}
	q := r.request(ctx)
	for id := range found {
		q.Tag(surrogate.Asset(id))
	}
	chain, err := r.altChain(&locale)
	if err != nil {
		chain = nil
	}
	for i := range list {
		if !has[i] {
			continue
		}
		list[i].fields, _ = delivery.WalkAssets(types[i], list[i].fields.(map[string]any), lookup, func(id string) any {
			a, ok := found[id]
			if !ok {
				return nil
			}
			return delivery.AssetValue(a, r.Assets.Delivery(a, device), chain)
		})
	}
	return nil
}

// deliverBlockFields delivers the fields of blocks (of parent), when the
// query selects them: Block.fields is a plain field, so resolving a block
// starts no goroutine (gqlgen runs every resolver field in one of its
// own, and their stacks growing were a large part of a response computed
// anew).
func (r *Resolver) deliverBlockFields(ctx context.Context, parent *model.Entry, blocks []*model.Block) error {
	if r.Assets == nil || len(blocks) == 0 || !selects(ctx, "fields", "Block") {
		return nil
	}
	list := make([]typedFields, len(blocks))
	for i, b := range blocks {
		list[i] = typedFields{typ: b.Type, fields: b.Fields}
	}
	if err := r.deliverFields(ctx, list, entryDevice(parent), parent.Delivered.Locale); err != nil {
		return err
	}
	for i, b := range blocks {
		b.Fields = list[i].fields
	}
	return nil
}

// selects says whether the field being resolved selects name on its
// values of type typ (fragments included).
func selects(ctx context.Context, name, typ string) bool {
	if !graphql.HasOperationContext(ctx) || graphql.GetFieldContext(ctx) == nil {
		return true // outside an operation: deliver everything
	}
	for _, f := range graphql.CollectFieldsCtx(ctx, []string{typ}) {
		if f.Name == name {
			return true
		}
	}
	return false
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
