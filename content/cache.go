package content

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/golang-lru/v2/simplelru"
)

// deliveryCache holds resolved published entries. Any change purges it: a
// publish can change what a slug resolves to, its links and its global
// blocks, and purging is cheaper than tracking those edges precisely.
//
// What is published also changes with time, without any write: a campaign
// release becomes visible at its start. So every value carries the window
// of instants it is true for — from the instant it was read at to the next
// scheduled publication — and a read at an instant outside it is a miss.
// No value outlives a release's start, not even by a millisecond.
//
// It is bounded in bytes (Config.CacheBytes), not entries: a page with
// eight targeted blocks weighs ten times a product, and what an operator
// sizes is memory. Each value's weight is estimated once, when it is
// stored (sizeOf).
//
// The generation guards a race: a read that began before a purge must not
// store what it read after the purge.
type deliveryCache struct {
	mu    sync.Mutex
	lru   *simplelru.LRU[string, cached]
	bytes int64
	max   int64
	gen   atomic.Uint64
}

// cached is a value and the half-open window [from, until) of read instants
// it is true for; a zero until means "until the next change".
type cached struct {
	r           *Resolved
	from, until time.Time
	size        int64
}

func (c cached) holdsAt(t time.Time) bool {
	return !t.Before(c.from) && (c.until.IsZero() || t.Before(c.until))
}

// newDeliveryCache returns a cache of at most max bytes (estimated); max
// <= 0 caches nothing.
func newDeliveryCache(max int64) *deliveryCache {
	c := &deliveryCache{max: max}
	// The byte bound evicts; the entry bound only has to be out of reach.
	c.lru, _ = simplelru.NewLRU[string, cached](1<<30, func(_ string, v cached) { c.bytes -= v.size })
	return c
}

func (c *deliveryCache) generation() uint64 { return c.gen.Load() }

// get returns the value for key if it is true at instant t.
func (c *deliveryCache) get(key string, t time.Time) (*Resolved, bool) {
	c.mu.Lock()
	v, ok := c.lru.Get(key)
	c.mu.Unlock()
	if !ok || !v.holdsAt(t) {
		return nil, false
	}
	return v.r, true
}

func (c *deliveryCache) put(key string, r *Resolved, gen uint64, from, until time.Time) {
	if r == nil || c.max <= 0 || c.gen.Load() != gen {
		return
	}
	size := int64(len(key)) + sizeOf(r)
	if size > c.max/8 {
		return // one huge entry would evict many ordinary ones
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	// A purge between the check above and here would leave a stale value;
	// purge takes the lock, so checking again under it closes the gap.
	if c.gen.Load() != gen {
		return
	}
	c.lru.Add(key, cached{r: r, from: from, until: until, size: size})
	c.bytes += size
	for c.bytes > c.max && c.lru.Len() > 0 {
		c.lru.RemoveOldest()
	}
}

func (c *deliveryCache) purge() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen.Add(1)
	c.lru.Purge()
}

// CacheStats describe the published-content cache.
type CacheStats struct {
	Entries int
	Bytes   int64 // estimated (sizeOf)
	Max     int64
}

// CacheStats returns the published-content cache's size.
func (s *Service) CacheStats() CacheStats {
	c := s.cache
	c.mu.Lock()
	defer c.mu.Unlock()
	return CacheStats{Entries: c.lru.Len(), Bytes: c.bytes, Max: c.max}
}

// Generation moves with every change this replica hears of (publishes,
// model and campaign writes): anything derived from delivered content at
// one generation is stale at the next. The response cache keys on it.
func (s *Service) Generation() uint64 { return s.cache.generation() }
