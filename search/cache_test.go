package search

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// A search that overlapped a write to the index is not kept: it may have
// read the old state, and keeping it would carry that state into the new
// generation.
func TestResultCacheDropsSearchesThatOverlappedAWrite(t *testing.T) {
	t.Parallel()
	c := newResultCache(0)
	res := &Results{Total: 1}
	got, gen := c.get("k")
	require.Nil(t, got)
	c.changed() // a batch committed while the search ran
	c.put("k", gen, res)
	got, _ = c.get("k")
	require.Nil(t, got, "stored across a write")

	_, gen = c.get("k")
	c.put("k", gen, res)
	got, _ = c.get("k")
	require.Same(t, res, got)
	c.changed()
	got, _ = c.get("k")
	require.Nil(t, got, "served after a write")
}

func TestResultCacheIsBounded(t *testing.T) {
	t.Parallel()
	c := newResultCache(2)
	for _, k := range []string{"a", "b", "c"} {
		_, gen := c.get(k)
		c.put(k, gen, &Results{})
	}
	require.Equal(t, 2, c.lru.Len())
	got, _ := c.get("a")
	require.Nil(t, got, "the least recently used went first")
	require.Nil(t, newResultCache(-1), "negative: off")
	var off *resultCache
	off.changed() // an index without a cache still moves on
}

// The key holds everything the results depend on; the order of any-of
// types and all-of tags does not change them.
func TestResultCacheKey(t *testing.T) {
	t.Parallel()
	day := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	base := Request{Query: "winter coat", Locale: "en", First: 10,
		Filter: Filter{Types: []string{"page", "product"}, Tags: []string{"a", "b"}}}
	same := base
	same.Filter = Filter{Types: []string{"product", "page"}, Tags: []string{"b", "a"}}
	require.Equal(t, base.cacheKey(), same.cacheKey())
	for name, change := range map[string]func(*Request){
		"query":     func(r *Request) { r.Query = "winter" },
		"locale":    func(r *Request) { r.Locale = "ro" },
		"type":      func(r *Request) { r.Type = "page" },
		"types":     func(r *Request) { r.Filter.Types = []string{"page"} },
		"tags":      func(r *Request) { r.Filter.Tags = []string{"a"} },
		"after":     func(r *Request) { r.Filter.PublishedAfter = &day },
		"before":    func(r *Request) { r.Filter.PublishedBefore = &day },
		"first":     func(r *Request) { r.First = 11 },
		"cursor":    func(r *Request) { r.After = "abc" },
		"facets":    func(r *Request) { r.Facets = true },
		"highlight": func(r *Request) { r.Highlight = true },
	} {
		r := base
		r.Filter = Filter{Types: []string{"page", "product"}, Tags: []string{"a", "b"}}
		change(&r)
		require.NotEqual(t, base.cacheKey(), r.cacheKey(), name)
	}
}
