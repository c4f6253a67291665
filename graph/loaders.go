package graph

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/graph/model"
)

// loaders are per request: a cache across requests would serve one
// visitor's view to another and outlive publishes.
type loaders struct {
	entries *dataloadgen.Loader[string, *content.Resolved]
}

type loadersKey struct{}

// withLoaders installs fresh loaders for each request.
func withLoaders(svc *content.Service, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l := &loaders{entries: dataloadgen.NewLoader(func(ctx context.Context, keys []string) ([]*content.Resolved, []error) {
			return loadEntries(ctx, svc, keys)
		}, dataloadgen.WithWait(time.Millisecond))}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), loadersKey{}, l)))
	})
}

// Keys are "locale\x00id": one batch per locale.
func loadEntries(ctx context.Context, svc *content.Service, keys []string) ([]*content.Resolved, []error) {
	byLocale := map[string][]string{}
	for _, k := range keys {
		loc, id, _ := strings.Cut(k, "\x00")
		byLocale[loc] = append(byLocale[loc], id)
	}
	found := map[string]*content.Resolved{}
	for loc, ids := range byLocale {
		m, err := svc.EntriesByIDs(ctx, ids, loc)
		if err != nil {
			return nil, []error{err}
		}
		for id, r := range m {
			found[loc+"\x00"+id] = r
		}
	}
	out := make([]*content.Resolved, len(keys))
	for i, k := range keys {
		out[i] = found[k]
	}
	return out, nil
}

// linked resolves a reference field: from what the entry's own batch already
// loaded when it can, else through the request's loader.
func (r *Resolver) linked(ctx context.Context, obj *model.Entry, field string) ([]*model.Entry, error) {
	return r.linkedFrom(ctx, obj, obj.Type, obj.R.Fields, field, false)
}

// linkedFrom resolves reference field `field` of a value of type typ whose
// fields are fields, delivered within entry obj. lenient answers an empty
// list for a field the type lacks: a page's blocks are of many types and a
// client asks every one of them for the same field.
func (r *Resolver) linkedFrom(ctx context.Context, obj *model.Entry, typ string, fields map[string]any, field string, lenient bool) ([]*model.Entry, error) {
	ct, err := r.Content.ContentType(ctx, typ)
	if err != nil {
		return nil, err
	}
	f, ok := ct.Field(field)
	if !ok && lenient {
		return []*model.Entry{}, nil
	}
	if !ok || f.Kind != content.KindReference {
		return nil, errs.Invalid(fmt.Sprintf("%q has no reference field %q", typ, field),
			errs.FieldError{Path: "field", Message: "not a reference field"})
	}
	var ids []string
	switch v := fields[field].(type) {
	case string:
		ids = []string{v}
	case []any:
		for _, it := range v {
			if s, ok := it.(string); ok {
				ids = append(ids, s)
			}
		}
	}
	out := make([]*model.Entry, 0, len(ids))
	for _, id := range ids {
		res := obj.R.Links[id]
		if res == nil {
			// Not in the entry's own batch (a linked entry's or a global
			// block's reference): the request loader batches these.
			if res, err = r.loadEntry(ctx, obj.ReqLocale, id); err != nil {
				return nil, err
			}
		}
		if res != nil {
			out = append(out, model.NewEntry(res, obj.ReqLocale, obj.V))
		}
	}
	return out, nil
}

func (r *Resolver) loadEntry(ctx context.Context, locale, id string) (*content.Resolved, error) {
	if l, ok := ctx.Value(loadersKey{}).(*loaders); ok {
		return l.entries.Load(ctx, locale+"\x00"+id)
	}
	m, err := r.Content.EntriesByIDs(ctx, []string{id}, locale)
	return m[id], err
}

func requestLocale(locale *string, ctx *model.ExperienceContext) string {
	if locale != nil && *locale != "" {
		return *locale
	}
	if ctx != nil && ctx.Locale != nil {
		return *ctx.Locale
	}
	return ""
}

func fieldsValue(v any) (any, error) {
	n, err := model.UnmarshalJSON(v)
	if err != nil {
		return nil, errs.Invalid("invalid filter value: "+err.Error(), errs.FieldError{Path: "filter.value", Message: err.Error()})
	}
	return n, nil
}
