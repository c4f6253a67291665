package search

import (
	"encoding/json"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/golang-lru/v2/simplelru"
)

// The results cache: a search box sends the same few queries over and
// over, and each costs milliseconds of bleve (more with facets and
// highlights). Results are kept per request — query, locale, type, filter,
// page size, cursor, and whether facets and highlights were asked for —
// with the index's change generation they were computed at. Every write
// to the live index (a reindexed batch, a rebuild swapped in) moves the
// generation, and a result from an older generation is never served: a
// publish that has become searchable is in every answer from then on. A
// search that overlapped a write is not kept at all, so it cannot carry
// the old state into the new generation.

// DefaultResultCacheSize bounds the results cache (entries); a page of
// results with highlights weighs a few KB.
const DefaultResultCacheSize = 1024

type resultCache struct {
	mu  sync.Mutex
	lru *simplelru.LRU[string, cachedResults]
	// gen is the index's change generation.
	gen          atomic.Uint64
	hits, misses atomic.Int64
}

type cachedResults struct {
	gen uint64
	res *Results
}

// newResultCache returns a cache of size entries; nil when size < 0.
func newResultCache(size int) *resultCache {
	if size < 0 {
		return nil
	}
	if size == 0 {
		size = DefaultResultCacheSize
	}
	c := &resultCache{}
	c.lru, _ = simplelru.NewLRU[string, cachedResults](size, nil)
	return c
}

// changed moves the generation: the live index has been written.
func (c *resultCache) changed() {
	if c != nil {
		c.gen.Add(1)
	}
}

// get returns the results for key at the current generation, and the
// generation a miss must be stored with.
func (c *resultCache) get(key string) (*Results, uint64) {
	gen := c.gen.Load()
	c.mu.Lock()
	v, ok := c.lru.Get(key)
	if ok && v.gen != gen {
		c.lru.Remove(key)
		ok = false
	}
	c.mu.Unlock()
	if !ok {
		c.misses.Add(1)
		return nil, gen
	}
	c.hits.Add(1)
	return v.res, gen
}

// put keeps res, computed from generation gen, unless the index has been
// written since.
func (c *resultCache) put(key string, gen uint64, res *Results) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen.Load() == gen {
		c.lru.Add(key, cachedResults{gen: gen, res: res})
	}
}

// cacheKey names everything a search's results depend on, besides the
// index.
func (r Request) cacheKey() string {
	types := slices.Sorted(slices.Values(r.Filter.Types))
	tags := slices.Sorted(slices.Values(r.Filter.Tags))
	b, _ := json.Marshal([]any{r.Query, r.Locale, r.Type, types, tags, r.Filter.PublishedAfter, r.Filter.PublishedBefore,
		r.First, r.After, r.Facets, r.Highlight})
	return string(b)
}

// CacheStats count the results cache's hits and misses.
type CacheStats struct {
	Hits, Misses int64
	Generation   uint64
}

// CacheStats returns the results cache's counters (zero when it is off).
func (ix *Index) CacheStats() CacheStats {
	c := ix.results
	if c == nil {
		return CacheStats{}
	}
	return CacheStats{Hits: c.hits.Load(), Misses: c.misses.Load(), Generation: c.gen.Load()}
}
