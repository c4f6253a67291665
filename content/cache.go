package content

import (
	"sync/atomic"

	lru "github.com/hashicorp/golang-lru/v2"
)

// deliveryCache holds resolved published entries. Any change purges it: a
// publish can change what a slug resolves to, its links and its global
// blocks, and purging is cheaper than tracking those edges precisely.
//
// The generation guards a race: a read that began before a purge must not
// store what it read after the purge.
type deliveryCache struct {
	lru *lru.Cache[string, *Resolved]
	gen atomic.Uint64
}

func newDeliveryCache(size int) *deliveryCache {
	c, err := lru.New[string, *Resolved](size)
	if err != nil {
		panic(err) // only for size <= 0, which Config.withDefaults prevents
	}
	return &deliveryCache{lru: c}
}

func (c *deliveryCache) generation() uint64 { return c.gen.Load() }

func (c *deliveryCache) get(key string) (*Resolved, bool) { return c.lru.Get(key) }

func (c *deliveryCache) put(key string, r *Resolved, gen uint64) {
	if r == nil || c.gen.Load() != gen {
		return
	}
	c.lru.Add(key, r)
	// A purge between the check and the Add would leave a stale value.
	if c.gen.Load() != gen {
		c.lru.Remove(key)
	}
}

func (c *deliveryCache) purge() {
	c.gen.Add(1)
	c.lru.Purge()
}
