package graph

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
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

// Keys are "locale\x00instant\x00mode\x00id": one batch per locale, instant
// and read mode (every field of a request reads at its one instant, or an
// editor's; mode "d" reads drafts for context.preview, "p" published rows).
func loadEntries(ctx context.Context, svc *content.Service, keys []string) ([]*content.Resolved, []error) {
	byBatch := map[string][]string{}
	for _, k := range keys {
		i := strings.LastIndexByte(k, 0)
		byBatch[k[:i]] = append(byBatch[k[:i]], k[i+1:])
	}
	found := map[string]*content.Resolved{}
	for batch, ids := range byBatch {
		loc, rest, _ := strings.Cut(batch, "\x00")
		nanos, mode, _ := strings.Cut(rest, "\x00")
		n, _ := strconv.ParseInt(nanos, 10, 64)
		var at time.Time
		if n != 0 {
			at = time.Unix(0, n)
		}
		var m map[string]*content.Resolved
		var err error
		if mode == "d" {
			m, err = svc.PreviewEntriesByIDs(ctx, ids, loc)
		} else {
			m, err = svc.EntriesByIDsAt(ctx, ids, loc, at)
		}
		if err != nil {
			return nil, []error{err}
		}
		for id, r := range m {
			found[batch+"\x00"+id] = r
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
	// The delivered fields: an entry-level variant's references, and a
	// recommended list's entries (delivery/recommend.go).
	return r.linkedFrom(ctx, obj, obj.Type, obj.Delivered.Fields, field, false)
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
	parent := obj.Delivered
	out := make([]*model.Entry, 0, len(ids))
	for _, id := range ids {
		res := parent.Resolved.Links[id]
		if res == nil {
			// Not in the entry's own batch (a linked entry's or a global
			// block's reference): the request loader batches these.
			if res, err = r.loadEntry(ctx, parent.Locale, parent.At, parent.Preview, id); err != nil {
				return nil, err
			}
		}
		if res != nil {
			// Linked entries are decided for the same visitor at the same
			// instant, once per answer; a capped one's exposure is
			// recorded (delivery/linked.go).
			out = append(out, model.NewEntry(r.request(ctx).Linked(res, parent)))
		}
	}
	return out, nil
}

func (r *Resolver) loadEntry(ctx context.Context, locale string, at time.Time, preview bool, id string) (*content.Resolved, error) {
	if at.IsZero() {
		at = requestNow(ctx)
	}
	if l, ok := ctx.Value(loadersKey{}).(*loaders); ok {
		var n int64
		if !at.IsZero() {
			n = at.UnixNano()
		}
		mode := "p"
		if preview {
			mode = "d"
		}
		return l.entries.Load(ctx, locale+"\x00"+strconv.FormatInt(n, 10)+"\x00"+mode+"\x00"+id)
	}
	var m map[string]*content.Resolved
	var err error
	if preview {
		m, err = r.Content.PreviewEntriesByIDs(ctx, []string{id}, locale)
	} else {
		m, err = r.Content.EntriesByIDsAt(ctx, []string{id}, locale, at)
	}
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

// deliveredFields are a block's fields as delivered (its variant's, and
// recommended reference lists filled: delivery/recommend.go), which its
// linked entries are read from.
func deliveredFields(b *model.Block) map[string]any {
	if m, ok := b.Fields.(map[string]any); ok {
		return m
	}
	return b.Stored.Fields
}
