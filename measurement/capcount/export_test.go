package capcount

import "github.com/mosaichq/mosaic/personalization"

// Kept is what the counter holds for visitor's person: exposures per
// target, so tests can check what memory keeps.
func (c *Counter) Kept(visitor string) map[personalization.CapTarget]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[personalization.CapTarget]int{}
	if p := c.visitors[visitor]; p != nil {
		for t, es := range p.seen {
			out[t] = len(es)
		}
	}
	return out
}
