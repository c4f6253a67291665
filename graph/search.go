package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/experience"
	"github.com/mosaichq/mosaic/graph/model"
	"github.com/mosaichq/mosaic/search"
)

func searchRequest(ctx context.Context, q, locale string, typ *string, filter *model.SearchFilter, first *int, after *string) search.Request {
	req := search.Request{Query: q, Locale: locale, Type: deref(typ), First: derefInt(first, search.DefaultFirst), After: deref(after)}
	req.Facets, req.Highlight = searchSelection(ctx)
	if filter != nil {
		req.Filter = search.Filter{Types: filter.Types, Tags: filter.Tags,
			PublishedAfter: filter.PublishedAfter, PublishedBefore: filter.PublishedBefore}
	}
	return req
}

// searchResults loads the hits' entries in one batch and maps the page. A
// hit whose entry was unpublished since it was indexed is left out: the
// index catches up within moments, and a stale hit must not fail the page.
func (r *Resolver) searchResults(ctx context.Context, res *search.Results, v *experience.Visitor) (*model.SearchResults, error) {
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.EntryID
	}
	entries, err := r.request(ctx).EntriesByIDs(ctx, ids, res.Locale, v)
	if err != nil {
		return nil, err
	}
	out := &model.SearchResults{Hits: []*model.SearchHit{}, Total: res.Total,
		PageInfo: &model.PageInfo{HasNextPage: res.HasNextPage, EndCursor: optString(res.EndCursor)},
		Facets:   &model.SearchFacets{Types: facetCounts(res.Facets.Types), Tags: facetCounts(res.Facets.Tags)}}
	for _, h := range res.Hits {
		e := entries[h.EntryID]
		if e == nil {
			continue
		}
		hit := &model.SearchHit{Entry: model.NewEntry(e), Score: h.Score, Cursor: h.Cursor,
			Highlights: []*model.SearchHighlight{}}
		for _, hl := range h.Highlights {
			hit.Highlights = append(hit.Highlights, &model.SearchHighlight{Field: hl.Field, Fragments: hl.Fragments})
		}
		out.Hits = append(out.Hits, hit)
	}
	return out, nil
}

// searchSelection says whether the query selects facets and highlights:
// each costs a good part of a search, so it is computed only when asked
// for.
func searchSelection(ctx context.Context) (facets, highlights bool) {
	if !graphql.HasOperationContext(ctx) || graphql.GetFieldContext(ctx) == nil {
		return true, true
	}
	op := graphql.GetOperationContext(ctx)
	for _, f := range graphql.CollectFieldsCtx(ctx, nil) {
		switch f.Name {
		case "facets":
			facets = true
		case "hits":
			for _, h := range graphql.CollectFields(op, f.Selections, nil) {
				highlights = highlights || h.Name == "highlights"
			}
		}
	}
	return facets, highlights
}

func facetCounts(in []search.FacetCount) []*model.FacetCount {
	out := make([]*model.FacetCount, len(in))
	for i, f := range in {
		out[i] = &model.FacetCount{Value: f.Value, Count: f.Count}
	}
	return out
}

var errNoSearch = errs.E(errs.ServiceUnavailable, "search is not enabled on this server")
