package capcount

import (
	"context"
	"slices"
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

// load reads the people of ids and merges them (merge). A person loaded
// before, in full since its targets were capped, is read incrementally:
// only records from its newest loaded one on, less Slack for records
// stored late, and in full again every Config.Full.
func (c *Counter) load(ctx context.Context, ids []string) {
	started := c.cfg.Now()
	c.mu.Lock()
	gen := c.gen
	asks := make([]Ask, len(ids))
	for i, id := range ids {
		asks[i] = Ask{VisitorID: id, Since: c.since(c.visitors[id], started)}
	}
	c.mu.Unlock()
	lctx, cancel := context.WithTimeout(ctx, loadTimeout)
	got, err := c.cfg.Store.CapRecords(lctx, asks, c.cfg.Records)
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
	for _, a := range asks {
		c.merge(a.VisitorID, got[a.VisitorID], started, a.Since, gen)
	}
}

// since is where p's next load starts: zero (in full) when p is new, not
// loaded, missing a capped target's history, or due its full load; else
// its newest loaded record less Slack. Called with mu held.
func (c *Counter) since(p *person, now time.Time) time.Time {
	if p == nil || !p.loaded || p.needFull || now.Sub(p.fullAt) >= c.cfg.Full || p.newest.IsZero() {
		return time.Time{}
	}
	return p.newest.Add(-c.cfg.Slack)
}

// merge replaces what visitor's person had loaded from since on with what
// the store returned (as of started), keeping this replica's exposures
// the store did not return yet. A visitor found in a cluster joins the
// cluster's person, bringing its unconfirmed exposures; after an
// incremental load that changed the person (a new cluster or member),
// older records may be missing, so the person waits for a full load.
// Called with mu held.
func (c *Counter) merge(visitor string, got Person, started, since time.Time, gen uint64) {
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
		p = &person{key: key, seen: map[personalization.CapTarget][]exposure{}, own: map[string]ownExposure{}}
		c.people[key] = p
	}
	moved := p != old
	if moved {
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
	full := since.IsZero()
	if !full && (moved || got.Members != p.members) {
		p.loaded, p.needFull, p.loading = false, true, false
		return
	}
	if p.loaded && started.Before(p.loadedAt) {
		return // an older load than one already merged
	}
	if full {
		p.seen = map[personalization.CapTarget][]exposure{}
		p.newest = time.Time{}
	} else {
		for t, es := range p.seen {
			kept := es[:0]
			for _, e := range es {
				if e.at.Before(since) {
					kept = append(kept, e)
				}
			}
			p.seen[t] = kept
		}
	}
	stored := make(map[string]bool, len(got.Records))
	for _, d := range got.Records {
		stored[d.ID] = true
		if d.Time.After(p.newest) {
			p.newest = d.Time
		}
		for _, t := range RecordTargets(d) {
			if _, capped := c.capped[t]; capped {
				p.seen[t] = append(p.seen[t], exposure{at: d.Time, channel: d.Channel})
			}
		}
	}
	for id, o := range p.own {
		switch {
		case stored[id]:
			delete(p.own, id) // confirmed: counted from the store now
		case full || !o.at.Before(since):
			for _, t := range o.targets {
				p.seen[t] = append(p.seen[t], exposure{at: o.at, channel: o.channel})
			}
		}
	}
	c.trim(p)
	p.loaded, p.loadedAt, p.loading, p.members = true, started, false, got.Members
	if full {
		p.fullAt, p.fullGen, p.needFull = started, gen, false
	}
}

// trim keeps p's newest Config.Records exposures per target and own
// exposures: what a person's memory may hold whatever their history.
// Called with mu held.
func (c *Counter) trim(p *person) {
	limit := c.cfg.Records
	for t, es := range p.seen {
		switch {
		case len(es) == 0:
			delete(p.seen, t)
		case len(es) > limit:
			slices.SortFunc(es, func(a, b exposure) int { return b.at.Compare(a.at) })
			p.seen[t] = slices.Clip(es[:limit])
		}
	}
	for len(p.own) > limit {
		var oldest string
		for id, o := range p.own {
			if oldest == "" || o.at.Before(p.own[oldest].at) {
				oldest = id
			}
		}
		delete(p.own, oldest)
	}
}
