package recommend

import (
	"cmp"
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/golang-lru/v2/simplelru"

	"github.com/mosaichq/mosaic/measurement"
)

// Defaults of Config.
const (
	DefaultMaxRecent    = 20
	DefaultMaxNeighbors = 100
	DefaultMaxPeople    = 1_000_000
	DefaultMaxPurchased = 100
	DefaultRefresh      = time.Second
	// PurchaseEvent is the track event that marks entries bought: its
	// properties name them as "entry" (an id) or "entries" (ids).
	PurchaseEvent = "purchase"
)

// Config configures an Engine; zero fields take the defaults.
type Config struct {
	// Units maps visitor ids to people (identity clusters): nil takes
	// every visitor id as its own person.
	Units measurement.Units
	// MaxRecent is how many distinct entries a person's history keeps
	// (recentlyViewed, and the co-views a new view is paired with).
	MaxRecent int
	// MaxNeighbors is how many co-viewed entries an entry keeps (the most
	// co-viewed; pruned when twice as many have gathered).
	MaxNeighbors int
	// MaxPeople bounds the people (and visitor ids) remembered, least
	// recently active forgotten first.
	MaxPeople int
	// MaxPurchased bounds the purchases remembered per person.
	MaxPurchased int
	// Refresh is how often at most a popularity ranking is recomputed:
	// how long a new view may take to move it, and how long answers built
	// from aggregate sources may be cached (Freshness).
	Refresh time.Duration
	Now     func() time.Time
	Log     *slog.Logger
}

// Engine keeps the counters recommendations are read from, in memory,
// updated from the event log's batches (Observe) and decision records
// (ObserveDecisions), rebuilt at start from the store (Rebuild).
type Engine struct {
	cfg Config

	mu sync.RWMutex
	// dims: views per entry per dimension ("" all, "device:…",
	// "channel:…", "segment:…").
	dims map[string]map[string]*counts
	// co: per entry, the people who viewed it and then (or before) each
	// other entry.
	co map[string]map[string]uint32
	// people: per person (unit), what they viewed and bought.
	people *simplelru.LRU[string, *person]
	// units: the person of each visitor id seen in an event.
	units *simplelru.LRU[string, string]
	// contexts: the dimensions of each visitor id's latest decision record.
	contexts *simplelru.LRU[string, []string]

	// fanout shares committed batches with other replicas (Share).
	fanout Fanout

	rankMu sync.Mutex
	ranks  map[rankKey]*ranking

	// Rebuilding: live batches wait in pending, applied after the rebuild
	// (ids the rebuild read are skipped then).
	rebuilding bool
	pending    [][]measurement.Event
	pendingDec [][]measurement.Decision
	rebuiltIDs map[string]bool
}

type person struct {
	recent    []seen // most recent first, distinct entries
	purchased []string
}

type seen struct {
	entry string
	at    int64 // Unix nanoseconds: a third of a time.Time
}

// New returns an empty engine.
func New(cfg Config) *Engine {
	if cfg.Units == nil {
		cfg.Units = measurement.VisitorUnits{}
	}
	if cfg.MaxRecent <= 0 {
		cfg.MaxRecent = DefaultMaxRecent
	}
	if cfg.MaxNeighbors <= 0 {
		cfg.MaxNeighbors = DefaultMaxNeighbors
	}
	if cfg.MaxPeople <= 0 {
		cfg.MaxPeople = DefaultMaxPeople
	}
	if cfg.MaxPurchased <= 0 {
		cfg.MaxPurchased = DefaultMaxPurchased
	}
	if cfg.Refresh <= 0 {
		cfg.Refresh = DefaultRefresh
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	e := &Engine{cfg: cfg, dims: map[string]map[string]*counts{}, co: map[string]map[string]uint32{},
		ranks: map[rankKey]*ranking{}}
	e.people, _ = simplelru.NewLRU[string, *person](cfg.MaxPeople, nil)
	e.units, _ = simplelru.NewLRU[string, string](cfg.MaxPeople, nil)
	e.contexts, _ = simplelru.NewLRU[string, []string](cfg.MaxPeople, nil)
	return e
}

// Freshness is how long an answer built from aggregate sources (popular,
// alsoViewed) may be served from a cache: a ranking is recomputed at
// most this often anyway.
func (e *Engine) Freshness() time.Duration { return e.cfg.Refresh }

// Observe takes a batch of events the store has just committed. Views
// naming an entry are counted; purchase track events mark entries bought;
// a consent event withdrawing measurement or personalization forgets the
// person's history. The visitors' people are looked up once per batch
// (after the commit, so the batch's own identify links are seen): a
// visitor id newly linked to a person brings its history along.
func (e *Engine) Observe(ctx context.Context, events []measurement.Event) {
	if len(events) == 0 {
		return
	}
	e.mu.Lock()
	if e.rebuilding {
		e.pending = append(e.pending, events)
		e.mu.Unlock()
		return
	}
	e.mu.Unlock()
	e.apply(ctx, events, nil)
}

// ObserveDecisions takes a batch of committed decision records: each
// visitor's latest device, channel and segments are the dimensions its
// next views count under for popular.
func (e *Engine) ObserveDecisions(ds []measurement.Decision) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.rebuilding {
		e.pendingDec = append(e.pendingDec, ds)
		return
	}
	e.applyDecisions(ds)
}

func (e *Engine) applyDecisions(ds []measurement.Decision) {
	for _, d := range ds {
		if d.VisitorID == "" {
			continue
		}
		if old, ok := e.contexts.Peek(d.VisitorID); ok && dimsTime(old).After(d.Time) {
			continue
		}
		e.contexts.Add(d.VisitorID, decisionDims(d))
	}
}

// decisionDims lists a record's dimensions, its time first (as text, to
// keep one slice per visitor).
func decisionDims(d measurement.Decision) []string {
	out := []string{d.Time.UTC().Format(time.RFC3339Nano)}
	if d.Device != "" {
		out = append(out, "device:"+d.Device)
	}
	if d.Channel != "" {
		out = append(out, "channel:"+d.Channel)
	}
	for _, s := range d.Segments {
		out = append(out, "segment:"+s)
	}
	return out
}

func dimsTime(d []string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, d[0])
	return t
}

// apply counts a batch; skip names events already counted (the rebuild's).
func (e *Engine) apply(ctx context.Context, events []measurement.Event, skip map[string]bool) {
	ids := make([]string, 0, len(events))
	seenIDs := make(map[string]bool, len(events))
	for _, ev := range events {
		if ev.VisitorID != "" && !seenIDs[ev.VisitorID] {
			seenIDs[ev.VisitorID] = true
			ids = append(ids, ev.VisitorID)
		}
	}
	units, err := e.cfg.Units.UnitsOf(ctx, ids)
	if err != nil {
		// Each visitor counts as its own person until a later batch
		// links it: aggregate counts are unaffected.
		e.cfg.Log.WarnContext(ctx, "recommendations: reading people of visitors", "error", err)
		units = nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, v := range ids {
		u := units[v]
		if u == "" {
			u = v
		}
		e.link(v, u)
	}
	for _, ev := range events {
		if skip[ev.ID] {
			continue
		}
		unit := e.unitOf(ev.VisitorID)
		switch {
		case ev.Type == measurement.TypeView && ev.Entry != "":
			e.view(ev.VisitorID, unit, ev.Entry, ev.Time)
		case ev.Type == measurement.TypeTrack && ev.Name == PurchaseEvent:
			e.purchase(unit, purchasedEntries(ev.Properties))
		case ev.Type == measurement.TypeConsent && (slices.Contains(ev.Withdrawn, measurement.PurposeMeasurement) ||
			slices.Contains(ev.Withdrawn, measurement.PurposePersonalization)):
			e.people.Remove(unit)
			e.contexts.Remove(ev.VisitorID)
		}
	}
}

// link records that visitor v is person u; a visitor that was its own
// person (or another's) until now brings its history to u.
func (e *Engine) link(v, u string) {
	old, ok := e.units.Get(v)
	if !ok {
		old = v
	}
	e.units.Add(v, u)
	if old == u {
		return
	}
	from, ok := e.people.Peek(old)
	if !ok {
		return
	}
	if old == v { // a visitor's own history moves; a cluster's stays
		e.people.Remove(old)
	}
	to := e.personOf(u)
	for i := len(from.recent) - 1; i >= 0; i-- {
		e.remember(to, from.recent[i].entry, time.Unix(0, from.recent[i].at), false)
	}
	for _, p := range from.purchased {
		e.bought(to, p)
	}
}

func (e *Engine) unitOf(v string) string {
	if u, ok := e.units.Peek(v); ok {
		return u
	}
	return v
}

func (e *Engine) personOf(u string) *person {
	p, ok := e.people.Get(u)
	if !ok {
		p = &person{}
		e.people.Add(u, p)
	}
	return p
}

// view counts one view of entry by visitor v (person u) at t.
func (e *Engine) view(v, u, entry string, t time.Time) {
	dims := []string{""}
	if c, ok := e.contexts.Peek(v); ok {
		dims = append(dims, c[1:]...)
	}
	for _, d := range dims {
		m := e.dims[d]
		if m == nil {
			m = map[string]*counts{}
			e.dims[d] = m
		}
		c := m[entry]
		if c == nil {
			c = &counts{}
			m[entry] = c
		}
		c.add(t, e.cfg.Now())
	}
	e.remember(e.personOf(u), entry, t, true)
}

// remember puts entry in p's history at t; a first view of it (among
// what p remembers) pairs it with every other entry p viewed, once per
// person, when pair is set.
func (e *Engine) remember(p *person, entry string, when time.Time, pair bool) {
	t := when.UnixNano()
	if i := slices.IndexFunc(p.recent, func(s seen) bool { return s.entry == entry }); i >= 0 {
		if t > p.recent[i].at {
			p.recent = slices.Delete(p.recent, i, i+1)
		} else {
			return
		}
	} else if pair {
		for _, s := range p.recent {
			e.pair(entry, s.entry)
			e.pair(s.entry, entry)
		}
	}
	i, _ := slices.BinarySearchFunc(p.recent, t, func(s seen, t int64) int { return cmp.Compare(t, s.at) })
	p.recent = slices.Insert(p.recent, i, seen{entry, t})
	if len(p.recent) > e.cfg.MaxRecent {
		p.recent = p.recent[:e.cfg.MaxRecent]
	}
}

func (e *Engine) pair(a, b string) {
	m := e.co[a]
	if m == nil {
		m = map[string]uint32{}
		e.co[a] = m
	}
	m[b]++
	if len(m) > 2*e.cfg.MaxNeighbors {
		prune(m, e.cfg.MaxNeighbors)
	}
}

// prune keeps m's keep largest counts; among equal counts, the first
// in key order (so that pruning is deterministic).
func prune(m map[string]uint32, keep int) {
	type kv struct {
		k string
		v uint32
	}
	all := make([]kv, 0, len(m))
	for k, v := range m {
		all = append(all, kv{k, v})
	}
	slices.SortFunc(all, func(a, b kv) int {
		if a.v != b.v {
			return int(b.v) - int(a.v)
		}
		return strings.Compare(a.k, b.k)
	})
	for _, x := range all[keep:] {
		delete(m, x.k)
	}
}

func (e *Engine) purchase(u string, entries []string) {
	if len(entries) == 0 {
		return
	}
	p := e.personOf(u)
	for _, x := range entries {
		e.bought(p, x)
	}
}

func (e *Engine) bought(p *person, entry string) {
	if slices.Contains(p.purchased, entry) {
		return
	}
	p.purchased = append(p.purchased, entry)
	if len(p.purchased) > e.cfg.MaxPurchased {
		p.purchased = p.purchased[1:]
	}
}

// purchasedEntries reads a purchase event's properties: "entry" (an id)
// or "entries" (ids).
func purchasedEntries(raw json.RawMessage) []string {
	var p struct {
		Entry   string `json:"entry"`
		Entries []any  `json:"entries"`
	}
	if json.Unmarshal(raw, &p) != nil {
		return nil
	}
	var out []string
	if p.Entry != "" {
		out = append(out, p.Entry)
	}
	for _, x := range p.Entries {
		if s, ok := x.(string); ok && s != "" {
			out = append(out, s)
		}
	}
	return out
}
