package delivery

import (
	"context"
	"maps"
	"slices"
	"time"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/measurement/consent"
	"github.com/mosaichq/mosaic/measurement/recommend"
)

// Recommender answers recommendation queries from memory
// (measurement/recommend.Engine): never a database round trip.
type Recommender interface {
	Recommend(q recommend.Query) []recommend.Item
	// Freshness is how long an answer from aggregate sources may be
	// cached.
	Freshness() time.Duration
}

// Recommendation says what a block's recommended field delivered and why.
type Recommendation struct {
	Field  string
	Source string
	// Entries are the delivered ids, recommended first, then the editor's
	// list (Fallback of them).
	Entries  []string
	Fallback int
	// Reason says why, in words ("alsoViewed: 42 people who viewed
	// wool-scarf also viewed thermal-mug"; "…: no data: the editor's
	// list").
	Reason string
}

// candidatesPer: recommendations asked per delivered entry, for the type
// and tag filters to choose from.
const candidatesPer = 3

// recommend fills e's blocks' recommended fields (content.Recommend) for
// its visitor: the recommended entries that are published at e's instant
// and pass the field's filters, up to its limit, then the editor's list
// (the stored value) to fill it. The ids go where the editor's were, so
// a recommended field is expanded as any reference list. Per-person
// sources (recentlyViewed, excludePurchased) read the visitor's history
// only with a visitor id and personalization consent, and make the answer
// the visitor's own (Personal: never shared by a cache, whoever asks);
// aggregate ones bound how long it may be cached (Freshness).
func (q *Request) recommend(ctx context.Context, e *Entry) error {
	if q.s.Recommender == nil || q.s.Content == nil || e == nil {
		return nil
	}
	types, err := q.s.Content.TypeLookup(ctx)
	if err != nil {
		return err
	}
	changed := false
	for i := range e.Blocks {
		b := &e.Blocks[i]
		ct, ok := types(b.Stored.Type)
		if !ok {
			continue
		}
		fields := ct.RecommendedFields()
		if len(fields) == 0 {
			continue
		}
		out := maps.Clone(b.Fields)
		if out == nil {
			out = map[string]any{}
		}
		for _, f := range fields {
			rec, err := q.recommendField(ctx, e, f, refIDs(b.Fields[f.Key]))
			if err != nil {
				return err
			}
			out[f.Key] = anyIDs(rec.Entries)
			b.Recommendations = append(b.Recommendations, rec)
		}
		b.Fields, changed = out, true
	}
	if changed {
		e.Fields = e.Resolved.WithBlocks(e.Fields, func(i int) map[string]any { return e.Blocks[i].Fields })
	}
	// The entry's own fields (a product's "related"), the same way.
	ct, ok := types(e.Resolved.Type)
	if !ok {
		return nil
	}
	fields := ct.RecommendedFields()
	if len(fields) == 0 {
		return nil
	}
	out := maps.Clone(e.Fields)
	for _, f := range fields {
		rec, err := q.recommendField(ctx, e, f, refIDs(e.Fields[f.Key]))
		if err != nil {
			return err
		}
		out[f.Key] = anyIDs(rec.Entries)
		e.Recommendations = append(e.Recommendations, rec)
	}
	e.Fields = out
	return nil
}

func anyIDs(ids []string) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

func (q *Request) recommendField(ctx context.Context, e *Entry, f content.Field, editors []string) (Recommendation, error) {
	r := f.Recommend
	limit := r.LimitFor(f)
	rq := recommend.Query{Source: recommend.Source(r.Source), Window: r.WindowDuration(), Entry: e.Resolved.ID,
		ExcludePurchased: r.ExcludePurchased, Candidates: min(candidatesPer*limit+10, 200)}
	personal := rq.Source.Personal() || r.ExcludePurchased
	if e.Visitor != nil {
		c := e.Visitor.Context()
		if personal && c.VisitorID != "" && c.Purposes.Has(consent.Personalization) {
			rq.VisitorID = c.VisitorID
		}
		switch r.By {
		case "device":
			rq.Dim = dim("device", c.Device)
		case "channel":
			rq.Dim = dim("channel", c.Channel)
		case "segment":
			q.mark(func() { q.firstSegment = true }) // the answer's key names the visitor's first segment
			if s := e.Visitor.Segments(); len(s) > 0 {
				rq.Dim = dim("segment", s[0])
			}
		}
	}
	if personal {
		// Whoever asks, even without a visitor id: a shared answer would
		// be served to visitors of the same class who have one.
		q.mark(func() { q.personal = true })
	} else {
		q.Bound(q.now.Add(q.s.Recommender.Freshness()))
	}
	items := q.s.Recommender.Recommend(rq)
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.Entry
	}
	slugs := map[string]string{e.Resolved.ID: e.Resolved.Slug}
	var kept []recommend.Item
	if len(ids) > 0 {
		found, err := q.s.Content.EntriesByIDsAt(ctx, ids, e.Locale, e.At)
		if err != nil {
			return Recommendation{}, err
		}
		for _, it := range items {
			res := found[it.Entry]
			if res == nil || !passes(r, res) {
				continue
			}
			slugs[res.ID] = res.Slug
			kept = append(kept, it)
			if len(kept) == limit {
				break
			}
		}
	}
	rec := Recommendation{Field: f.Key, Source: r.Source, Entries: make([]string, 0, limit)}
	for _, it := range kept {
		rec.Entries = append(rec.Entries, it.Entry)
	}
	for _, id := range editors {
		if len(kept) > 0 && len(rec.Entries) >= limit {
			break
		}
		if !slices.Contains(rec.Entries, id) {
			rec.Entries = append(rec.Entries, id)
			rec.Fallback++
		}
	}
	rec.Reason = recommend.Explain(rq, kept, func(id string) string {
		if s := slugs[id]; s != "" {
			return s
		}
		return id
	})
	switch {
	case len(kept) == 0:
		rec.Reason += ": the editor's list"
	case rec.Fallback > 0:
		rec.Reason += "; filled with the editor's list"
	}
	return rec, nil
}

func dim(kind, v string) string {
	if v == "" {
		return ""
	}
	return kind + ":" + v
}

// passes says whether res meets the field's filters: one of its types,
// and one of its tags in res's "tags" field.
func passes(r *content.Recommend, res *content.Resolved) bool {
	if len(r.Types) > 0 && !slices.Contains(r.Types, res.Type) {
		return false
	}
	if len(r.Tags) == 0 {
		return true
	}
	for _, t := range refIDs(res.Fields["tags"]) {
		if slices.Contains(r.Tags, t) {
			return true
		}
	}
	return false
}

// refIDs reads a stored reference (list) value: the strings it holds.
func refIDs(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		out := make([]string, 0, len(x))
		for _, it := range x {
			if s, ok := it.(string); ok {
				out = append(out, s)
			}
		}
		return out
	case []string:
		return x
	}
	return nil
}
