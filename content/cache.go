package content

import (
	"sync/atomic"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
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
// The generation guards a race: a read that began before a purge must not
// store what it read after the purge.
type deliveryCache struct {
	lru *lru.Cache[string, cached]
	gen atomic.Uint64
}

// cached is a value and the half-open window [from, until) of read instants
// it is true for; a zero until means "until the next change".
type cached struct {
	r           *Resolved
	from, until time.Time
}

func (c cached) holdsAt(t time.Time) bool {
	return !t.Before(c.from) && (c.until.IsZero() || t.Before(c.until))
}

func newDeliveryCache(size int) *deliveryCache {
	c, err := lru.New[string, cached](size)
	if err != nil {
		panic(err) // only for size <= 0, which Config.withDefaults prevents
	}
	return &deliveryCache{lru: c}
}

func (c *deliveryCache) generation() uint64 { return c.gen.Load() }

// get returns the value for key if it is true at instant t.
func (c *deliveryCache) get(key string, t time.Time) (*Resolved, bool) {
	v, ok := c.lru.Get(key)
	if !ok || !v.holdsAt(t) {
		return nil, false
	}
	return v.r, true
}

func (c *deliveryCache) put(key string, r *Resolved, gen uint64, from, until time.Time) {
	if r == nil || c.gen.Load() != gen {
		return
	}
	c.lru.Add(key, cached{r: r, from: from, until: until})
	// A purge between the check and the Add would leave a stale value.
	if c.gen.Load() != gen {
		c.lru.Remove(key)
	}
}

func (c *deliveryCache) purge() {
	c.gen.Add(1)
	c.lru.Purge()
}

// Generation moves with every change this replica hears of (publishes,
// model and campaign writes): anything derived from delivered content at
// one generation is stale at the next. The response cache keys on it.
func (s *Service) Generation() uint64 { return s.cache.generation() }
