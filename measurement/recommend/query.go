package recommend

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// Source is where a recommendation's items come from.
type Source string

// The sources.
const (
	// Popular: the entries viewed most in a window, overall or among the
	// visitors of a device, channel or segment.
	Popular Source = "popular"
	// AlsoViewed: the entries most people who viewed the current entry
	// also viewed.
	AlsoViewed Source = "alsoViewed"
	// RecentlyViewed: what this person viewed last, on any of their
	// devices (identity clusters), the current entry left out.
	RecentlyViewed Source = "recentlyViewed"
)

// Sources lists every source.
func Sources() []Source { return []Source{Popular, AlsoViewed, RecentlyViewed} }

// Personal says whether the source's items depend on who asks (not only
// on the class of their context): such an answer is the visitor's alone.
func (s Source) Personal() bool { return s == RecentlyViewed }

// Query asks for recommendations.
type Query struct {
	Source Source
	// Dim is popular's dimension: "" (everyone), "device:…", "channel:…"
	// or "segment:…".
	Dim string
	// Window is popular's (ValidWindow).
	Window time.Duration
	// Entry is the current entry (alsoViewed's subject; left out of every
	// answer).
	Entry string
	// VisitorID is who asks: recentlyViewed's person, and whose purchases
	// ExcludePurchased leaves out ("": no one).
	VisitorID        string
	ExcludePurchased bool
	// Candidates is how many items to return at most, best first; the
	// caller filters them (type, tag) and keeps its limit.
	Candidates int
}

// Item is one recommended entry and the count behind it: views in the
// window (popular), people who viewed both (alsoViewed); zero for
// recentlyViewed (Viewed says when).
type Item struct {
	Entry  string
	Count  uint64
	Viewed time.Time
}

// Recommend answers q from memory: never a database round trip.
func (e *Engine) Recommend(q Query) []Item {
	if q.Candidates <= 0 {
		q.Candidates = 10
	}
	var bought []string
	if q.ExcludePurchased && q.VisitorID != "" {
		bought = e.Purchased(q.VisitorID)
	}
	var items []Item
	switch q.Source {
	case Popular:
		items = e.popular(q.Dim, q.Window, q.Candidates+1+len(bought))
	case AlsoViewed:
		items = e.alsoViewed(q.Entry)
	case RecentlyViewed:
		items = e.recentlyViewed(q.VisitorID)
	}
	out := items[:0]
	for _, it := range items {
		if it.Entry != q.Entry && !slices.Contains(bought, it.Entry) {
			out = append(out, it)
		}
	}
	if len(out) > q.Candidates {
		out = out[:q.Candidates]
	}
	return out
}

// Purchased lists the entries visitorID's person bought (most recent
// last).
func (e *Engine) Purchased(visitorID string) []string {
	e.mu.RLock()
	defer e.mu.RUnlock()
	if p, ok := e.people.Peek(e.unitOf(visitorID)); ok {
		return slices.Clone(p.purchased)
	}
	return nil
}

func (e *Engine) recentlyViewed(visitorID string) []Item {
	if visitorID == "" {
		return nil
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	p, ok := e.people.Peek(e.unitOf(visitorID))
	if !ok {
		return nil
	}
	out := make([]Item, len(p.recent))
	for i, s := range p.recent {
		out[i] = Item{Entry: s.entry, Viewed: time.Unix(0, s.at).UTC()}
	}
	return out
}

func (e *Engine) alsoViewed(entry string) []Item {
	e.mu.RLock()
	m := e.co[entry]
	out := make([]Item, 0, len(m))
	for k, n := range m {
		out = append(out, Item{Entry: k, Count: uint64(n)})
	}
	e.mu.RUnlock()
	sortItems(out)
	return out
}

// sortItems orders by count, then entry (a stable answer for ties).
func sortItems(items []Item) {
	slices.SortFunc(items, func(a, b Item) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return cmp.Compare(a.Entry, b.Entry)
	})
}

type rankKey struct {
	dim    string
	window time.Duration
}

// ranking is a dimension's most viewed entries in a window, as computed
// at a time; recomputed when older than Refresh.
type ranking struct {
	at    time.Time
	size  int
	items []Item
}

// maxRanked is how many entries a ranking keeps: enough for the largest
// limit after filters drop some.
const maxRanked = 200

func (e *Engine) popular(dim string, w time.Duration, want int) []Item {
	if !ValidWindow(w) {
		return nil
	}
	now := e.cfg.Now()
	k := rankKey{dim, w}
	e.rankMu.Lock()
	r := e.ranks[k]
	if r == nil || now.Sub(r.at) >= e.cfg.Refresh || now.Before(r.at) || r.size < want {
		r = &ranking{at: now, size: max(want, maxRanked), items: e.rank(dim, w, now, max(want, maxRanked))}
		e.ranks[k] = r
	}
	e.rankMu.Unlock()
	return slices.Clone(r.items[:min(want, len(r.items))])
}

// rank scans a dimension's counters: the top n by views in the window.
func (e *Engine) rank(dim string, w time.Duration, now time.Time, n int) []Item {
	e.mu.RLock()
	m := e.dims[dim]
	top := make([]Item, 0, n+1)
	for entry, c := range m {
		s := c.sum(now, w)
		if s == 0 || (len(top) == n && !better(Item{Entry: entry, Count: s}, top[n-1])) {
			continue
		}
		it := Item{Entry: entry, Count: s}
		i, _ := slices.BinarySearchFunc(top, it, func(a, b Item) int {
			if better(a, b) {
				return -1
			}
			return 1
		})
		top = slices.Insert(top, i, it)
		if len(top) > n {
			top = top[:n]
		}
	}
	e.mu.RUnlock()
	return top
}

func better(a, b Item) bool { return a.Count > b.Count || (a.Count == b.Count && a.Entry < b.Entry) }

// Explain says why items were recommended, in words: "alsoViewed: 42
// people who viewed wool-scarf also viewed thermal-mug". name maps an
// entry id to what editors call it (its slug).
func Explain(q Query, items []Item, name func(string) string) string {
	if len(items) == 0 {
		return fmt.Sprintf("%s: no data", q.Source)
	}
	it := items[0]
	switch q.Source {
	case Popular:
		who := "everyone"
		if q.Dim != "" {
			who = q.Dim
		}
		return fmt.Sprintf("popular: %s viewed %d times in %s by %s", name(it.Entry), it.Count, FormatWindow(q.Window), who)
	case AlsoViewed:
		return fmt.Sprintf("alsoViewed: %d people who viewed %s also viewed %s", it.Count, name(q.Entry), name(it.Entry))
	default:
		return fmt.Sprintf("recentlyViewed: %d entries this person viewed, %s last (%s)", len(items), name(it.Entry),
			it.Viewed.UTC().Format(time.RFC3339))
	}
}

// FormatWindow writes a window as hours up to a day, days beyond ("7d").
func FormatWindow(w time.Duration) string {
	if w > 24*time.Hour {
		return fmt.Sprintf("%dd", int(w/(24*time.Hour)))
	}
	return fmt.Sprintf("%dh", int(w/time.Hour))
}

// Stats are the engine's sizes: what its memory grows with.
type Stats struct {
	// Counters are (entry, audience) view counters; Entries the entries
	// counted for everyone.
	Counters, Entries int
	// Pairs are co-view counts kept (both directions).
	Pairs int
	// People and Visitors remembered.
	People, Visitors int
}

// Stats counts what the engine holds (a full pass: for benchmarks and
// diagnostics, not the request path).
func (e *Engine) Stats() Stats {
	e.mu.RLock()
	defer e.mu.RUnlock()
	s := Stats{Entries: len(e.dims[""]), People: e.people.Len(), Visitors: e.units.Len()}
	for _, m := range e.dims {
		s.Counters += len(m)
	}
	for _, m := range e.co {
		s.Pairs += len(m)
	}
	return s
}
