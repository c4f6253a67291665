package search

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/highlight/highlighter/html"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/mosaichq/mosaic/errs"
)

// Request is one search.
type Request struct {
	Query  string
	Locale string // "" = the default locale
	Type   string // "" = any type
	Filter Filter
	First  int    // page size, 1 to MaxFirst (DefaultFirst is a good one)
	After  string // a hit's cursor from the previous page
	// Facets counts matches by type and tag, and Highlight cuts fragments;
	// each costs a third or so of a search, so ask only when shown.
	Facets, Highlight bool
}

// Filter narrows a search without changing its ranking.
type Filter struct {
	Types           []string // any of
	Tags            []string // all of
	PublishedAfter  *time.Time
	PublishedBefore *time.Time
}

// Page sizes and facet sizes.
const (
	DefaultFirst = 10
	MaxFirst     = 100
	maxFilterVal = 20
	facetSize    = 20
)

// Results is one page of hits, ranked by relevance.
type Results struct {
	Hits        []Hit
	Total       int // every match, not just this page
	Facets      Facets
	HasNextPage bool
	EndCursor   string
	Locale      string // the locale searched
}

// Hit is one matching entry.
type Hit struct {
	EntryID    string
	Score      float64
	Cursor     string
	Highlights []Highlight
}

// Highlight is where the query matched in one field ("title" or "body"):
// fragments of text, HTML-escaped, with matches wrapped in <mark>.
type Highlight struct {
	Field     string
	Fragments []string
}

// Facets count the matches (all pages) by type and by tag.
type Facets struct {
	Types []FacetCount
	Tags  []FacetCount
}

// FacetCount is one facet value.
type FacetCount struct {
	Value string
	Count int
}

// cursor is a hit's position in one search: its score and document id
// (bleve's search_after keys) plus a digest of the search it came from.
type cursor struct {
	Score  string `json:"s"`
	ID     string `json:"id"`
	Digest string `json:"q"`
}

// Search runs req. Bad input (query syntax, sizes, locale, cursor) is
// BAD_USER_INPUT. Repeated requests are answered from the results cache
// (cache.go) until the index changes; the Results returned are shared and
// must not be modified.
func (ix *Index) Search(ctx context.Context, req Request) (*Results, error) {
	locales := ix.cfg.Source.Locales()
	if req.Locale == "" {
		req.Locale = locales.Default
	}
	// A request's key is checked before its input: only valid requests'
	// results are ever stored, so a hit needs no check.
	var key string
	var gen uint64
	if ix.results != nil {
		key = req.cacheKey()
		var res *Results
		if res, gen = ix.results.get(key); res != nil {
			return res, nil
		}
	}
	if _, err := locales.Chain(req.Locale); err != nil {
		return nil, err
	}
	if err := errs.CheckFirst(req.First, MaxFirst); err != nil {
		return nil, err
	}
	lang := language(req.Locale)
	userQuery, err := parseQuery(req.Query, lang)
	if err != nil {
		return nil, err
	}
	filter, err := req.filterQuery()
	if err != nil {
		return nil, err
	}
	bq := query.NewBooleanQuery([]query.Query{userQuery}, nil, nil)
	bq.AddFilter(filter)
	sr := bleve.NewSearchRequestOptions(bq, req.First+1, 0, false)
	sr.SortBy([]string{"-_score", "_id"})
	if req.Highlight {
		sr.Highlight = bleve.NewHighlightWithStyle(html.Name)
		sr.Highlight.Fields = []string{titleField(lang), bodyField(lang)}
	}
	if req.Facets {
		sr.AddFacet("types", bleve.NewFacetRequest(fieldType, facetSize))
		sr.AddFacet("tags", bleve.NewFacetRequest(fieldTags, facetSize))
	}
	digest := req.digest()
	if req.After != "" {
		c, err := decodeCursor(req.After, digest)
		if err != nil {
			return nil, err
		}
		sr.SearchAfter = []string{c.Score, c.ID}
	}
	res, err := ix.runSearch(ctx, sr)
	if err != nil {
		return nil, err
	}
	out := &Results{Total: int(res.Total), Locale: req.Locale, Facets: facetsOf(res)}
	for i, h := range res.Hits {
		if i == req.First {
			out.HasNextPage = true
			break
		}
		entry, _ := splitDocID(h.ID)
		hit := Hit{EntryID: entry, Score: h.Score,
			Cursor: encodeCursor(cursor{Score: strconv.FormatFloat(h.Score, 'g', -1, 64), ID: h.ID, Digest: digest})}
		for _, f := range []string{"title", "body"} {
			field := titleField(lang)
			if f == "body" {
				field = bodyField(lang)
			}
			if frags := marked(h.Fragments[field]); len(frags) > 0 {
				hit.Highlights = append(hit.Highlights, Highlight{Field: f, Fragments: frags})
			}
		}
		out.Hits = append(out.Hits, hit)
		out.EndCursor = hit.Cursor
	}
	if ix.results != nil {
		ix.results.put(key, gen, out)
	}
	return out, nil
}

func (ix *Index) runSearch(ctx context.Context, sr *bleve.SearchRequest) (*bleve.SearchResult, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.bix == nil {
		return nil, errs.E(errs.ServiceUnavailable, "search index is closed")
	}
	res, err := ix.bix.SearchInContext(ctx, sr)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("search: %w", err)
	}
	return res, nil
}

// filterQuery is the non-scoring part: the locale, types, tags and dates.
func (r Request) filterQuery() (query.Query, error) {
	term := func(field, v string) query.Query {
		q := query.NewTermQuery(v)
		q.SetField(field)
		return q
	}
	if len(r.Filter.Types) > maxFilterVal || len(r.Filter.Tags) > maxFilterVal {
		return nil, errs.Invalid(fmt.Sprintf("at most %d types and %d tags in a filter", maxFilterVal, maxFilterVal),
			errs.FieldError{Path: "filter", Message: "too many values"})
	}
	and := []query.Query{term(fieldLocale, r.Locale)}
	if r.Type != "" {
		and = append(and, term(fieldType, r.Type))
	}
	if len(r.Filter.Types) > 0 {
		var or []query.Query
		for _, t := range r.Filter.Types {
			or = append(or, term(fieldType, t))
		}
		and = append(and, query.NewDisjunctionQuery(or))
	}
	for _, t := range r.Filter.Tags {
		and = append(and, term(fieldTags, t))
	}
	if a, b := r.Filter.PublishedAfter, r.Filter.PublishedBefore; a != nil || b != nil {
		var start, end time.Time
		if a != nil {
			start = *a
		}
		if b != nil {
			end = *b
		}
		if a != nil && b != nil && !end.After(start) {
			return nil, errs.Invalid("publishedBefore must be after publishedAfter",
				errs.FieldError{Path: "filter.publishedBefore", Message: "must be after publishedAfter"})
		}
		inclusive, exclusive := true, false
		q := query.NewDateRangeInclusiveQuery(start, end, &inclusive, &exclusive)
		q.SetField(fieldPublishedAt)
		and = append(and, q)
	}
	return query.NewConjunctionQuery(and), nil
}

// digest binds cursors to the search they came from: a cursor replayed
// against another query would silently skip or repeat hits.
func (r Request) digest() string {
	types := slices.Clone(r.Filter.Types)
	tags := slices.Clone(r.Filter.Tags)
	slices.Sort(types)
	slices.Sort(tags)
	b, _ := json.Marshal([]any{r.Query, r.Locale, r.Type, types, tags, r.Filter.PublishedAfter, r.Filter.PublishedBefore})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

func encodeCursor(c cursor) string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

var errCursor = errors.New("not a cursor from this search")

func decodeCursor(s, digest string) (cursor, error) {
	bad := func(msg string) error {
		return errs.Invalid("invalid cursor: "+msg, errs.FieldError{Path: "after", Message: msg})
	}
	var c cursor
	if len(s) > 512 {
		return c, bad(errCursor.Error())
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || json.Unmarshal(b, &c) != nil || !strings.Contains(c.ID, "/") {
		return c, bad(errCursor.Error())
	}
	if _, err := strconv.ParseFloat(c.Score, 64); err != nil {
		return c, bad(errCursor.Error())
	}
	if c.Digest != digest {
		return c, bad("the cursor belongs to another query, locale or filter")
	}
	return c, nil
}

func facetsOf(res *bleve.SearchResult) Facets {
	counts := func(name string) []FacetCount {
		out := []FacetCount{}
		fr := res.Facets[name]
		if fr == nil || fr.Terms == nil {
			return out
		}
		for _, t := range fr.Terms.Terms() {
			out = append(out, FacetCount{Value: t.Term, Count: t.Count})
		}
		return out
	}
	return Facets{Types: counts("types"), Tags: counts("tags")}
}

// marked keeps the fragments that show a match: bleve also returns the
// opening of a highlighted field the query did not match.
func marked(frags []string) []string {
	var out []string
	for _, f := range frags {
		if strings.Contains(f, "<mark>") {
			out = append(out, f)
		}
	}
	return out
}
