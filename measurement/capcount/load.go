package capcount

import (
	"context"
	"time"

	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/personalization"
)

// Exposed is what a stored block decision exposed (personalization.Exposed
// over its fields): the same rule as for decisions made here, a global
// block's variant counted on its entry.
func Exposed(b measurement.BlockDecision) []personalization.CapTarget {
	block := b.BlockID
	if b.GlobalID != "" {
		block = b.GlobalID
	}
	return personalization.Exposed(block, b.Variant, b.Campaign, b.Experiment)
}

// RecordTargets are the targets a record exposed, each once (a campaign
// shown in three blocks of one page is one exposure of it).
func RecordTargets(d measurement.Decision) []personalization.CapTarget {
	var out []personalization.CapTarget
	for _, b := range d.Blocks {
		for _, t := range Exposed(b) {
			if !containsTarget(out, t) {
				out = append(out, t)
			}
		}
	}
	return out
}

func containsTarget(ts []personalization.CapTarget, t personalization.CapTarget) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	return false
}

func (c *Counter) loop(ctx context.Context) {
	defer close(c.done)
	measurement.DrainBatches(ctx, c.queue, loadBatch, c.load)
}

// load reads the people of ids and merges them (merge).
func (c *Counter) load(ctx context.Context, ids []string) {
	started := c.cfg.Now()
	lctx, cancel := context.WithTimeout(ctx, loadTimeout)
	got, err := c.cfg.Store.CapRecords(lctx, ids, c.cfg.Records)
	cancel()
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		for _, id := range ids {
			if p := c.visitors[id]; p != nil {
				p.loading = false
			}
		}
		c.cfg.Metrics.loadFailed(len(ids))
		if ctx.Err() == nil {
			c.cfg.Log.WarnContext(ctx, "loading frequency cap counts; capped targets wait for this replica's own count", "visitors", len(ids), "error", err)
		}
		return
	}
	c.cfg.Metrics.loaded(len(ids))
	for _, id := range ids {
		c.merge(id, got[id], started)
	}
}

// merge replaces what visitor's person had loaded with what the store
// returned (as of started), keeping this replica's exposures the store
// did not return yet. A visitor found in a cluster joins the cluster's
// person, bringing its unconfirmed exposures. Called with mu held.
func (c *Counter) merge(visitor string, got Person, started time.Time) {
	old := c.visitors[visitor]
	if old == nil { // evicted meanwhile
		old = c.personOf(visitor)
	}
	old.loading = false
	key := "v:" + visitor
	if got.Cluster != "" {
		key = "c:" + got.Cluster
	}
	p := c.people[key]
	if p == nil {
		p = &person{key: key, own: map[string]ownExposure{}}
		c.people[key] = p
	}
	if p != old {
		for id, o := range old.own {
			p.own[id] = o
		}
		if c.people[old.key] == old {
			delete(c.people, old.key)
		}
		// Other visitor ids mapped to old follow it.
		for v, q := range c.visitors {
			if q == old {
				c.visitors[v] = p
			}
		}
	}
	c.visitors[visitor] = p
	if p.loaded && started.Before(p.loadedAt) {
		return // an older load than one already merged
	}
	p.seen = map[personalization.CapTarget][]exposure{}
	stored := make(map[string]bool, len(got.Records))
	for _, d := range got.Records {
		stored[d.ID] = true
		for _, t := range RecordTargets(d) {
			p.seen[t] = append(p.seen[t], exposure{at: d.Time, channel: d.Channel})
		}
	}
	for id, o := range p.own {
		if stored[id] {
			delete(p.own, id) // confirmed: counted from the store now
			continue
		}
		for _, t := range o.targets {
			p.seen[t] = append(p.seen[t], exposure{at: o.at, channel: o.channel})
		}
	}
	p.loaded, p.loadedAt, p.loading = true, started, false
}
