package capcount

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/personalization"
)

// Store loads people's decision records (storage/postgres).
type Store interface {
	// CapRecords returns, for each asked visitor id, its person (the
	// identity cluster's id, or "" for a visitor in no cluster, and how
	// many visitor ids it has) and, of each of the person's visitor ids,
	// the newest perVisitor decision records at or after the ask's Since
	// (zero: from the start).
	CapRecords(ctx context.Context, asks []Ask, perVisitor int) (map[string]Person, error)
}

// Ask is one visitor id to load, from Since on.
type Ask struct {
	VisitorID string
	Since     time.Time
}

// Person is what the store knows of one visitor's person.
type Person struct {
	Cluster string
	// Members counts the person's visitor ids (1 outside a cluster): a
	// change means records older than an incremental load's Since may be
	// missing, so the person is loaded in full.
	Members int
	Records []measurement.Decision
}

// Defaults.
const (
	DefaultTTL            = 30 * time.Second
	DefaultFlush          = 250 * time.Millisecond
	DefaultPendingTimeout = 2 * time.Minute
	DefaultMaxPeople      = 100_000
	DefaultRecords        = 1000
	DefaultFull           = 10 * time.Minute
	DefaultMaxTargets     = 100_000
	queueSize             = 4096
	loadBatch             = 200
	loadTimeout           = 5 * time.Second
)

// Config configures a Counter; zero fields take the defaults.
type Config struct {
	Store Store
	// TTL is how long loaded counts are trusted before they are loaded
	// again: how late another replica's exposures may be seen at worst.
	TTL time.Duration
	// Flush is how often a person is reloaded while this replica waits
	// for its last exposure to be confirmed.
	Flush time.Duration
	// PendingTimeout is how long an exposure may wait for its record.
	PendingTimeout time.Duration
	MaxPeople      int
	// Records bounds the records loaded per visitor id and load, and the
	// exposures kept per person and target (the newest).
	Records int
	// Slack is how late a record may reach the store after its time and
	// still be seen by an incremental load (default PendingTimeout, after
	// which this replica stops waiting for its own).
	Slack time.Duration
	// Full is how often a person is loaded in full rather than from its
	// newest loaded record on: records later than Slack are seen then.
	Full time.Duration
	// MaxTargets bounds the capped targets remembered; past it they are
	// forgotten and everyone loaded again in full.
	MaxTargets int
	Now        func() time.Time
	Log        *slog.Logger
	Metrics    *Metrics
}

// Counter is the per-replica memory of exposures; safe for concurrent
// use. See the package doc.
type Counter struct {
	cfg Config
	// holds serialize deciding and noting per visitor id (Hold), striped
	// by hash: a few hundred bytes whatever the traffic.
	holds    [256]sync.Mutex
	mu       sync.Mutex
	visitors map[string]*person // visitor id → its person
	people   map[string]*person // person key → state
	// capped are the targets the engine asked about (it asks only about
	// targets with a cap), each with the generation it was first asked
	// in: only their exposures are kept, and a person loaded in full
	// before a target's generation has not kept its history.
	capped map[personalization.CapTarget]uint64
	gen    uint64
	queue  chan string
	stop   context.CancelFunc
	done   chan struct{}
}

// person is one person's exposures, by target.
type person struct {
	key      string
	loaded   bool
	loadedAt time.Time // when the last load that answered started
	loading  bool
	asked    time.Time // when the last load was queued
	// fullAt, fullGen: when the last full load that answered started, and
	// the capped targets' generation then; newest is the newest stored
	// record loaded, from which incremental loads start (less Slack).
	fullAt   time.Time
	fullGen  uint64
	newest   time.Time
	needFull bool
	members  int
	// seen holds every known exposure of a capped target: what the loads
	// returned (one per record) and this replica's exposures they did not
	// (disjoint by decision id), so no id is listed twice.
	seen map[personalization.CapTarget][]exposure
	// own are this replica's exposures of capped targets no load returned
	// yet (at most Records, the newest).
	own map[string]ownExposure
}

type exposure struct {
	at      time.Time
	channel string
}

type ownExposure struct {
	at      time.Time
	channel string
	targets []personalization.CapTarget
}

// New starts a Counter's loader; Close stops it.
func New(cfg Config) *Counter {
	if cfg.TTL <= 0 {
		cfg.TTL = DefaultTTL
	}
	if cfg.Flush <= 0 {
		cfg.Flush = DefaultFlush
	}
	if cfg.PendingTimeout <= 0 {
		cfg.PendingTimeout = DefaultPendingTimeout
	}
	if cfg.MaxPeople <= 0 {
		cfg.MaxPeople = DefaultMaxPeople
	}
	if cfg.Records <= 0 {
		cfg.Records = DefaultRecords
	}
	if cfg.Slack <= 0 {
		cfg.Slack = cfg.PendingTimeout
	}
	if cfg.Full <= 0 {
		cfg.Full = DefaultFull
	}
	if cfg.MaxTargets <= 0 {
		cfg.MaxTargets = DefaultMaxTargets
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	ctx, stop := context.WithCancel(context.Background())
	c := &Counter{cfg: cfg, visitors: map[string]*person{}, people: map[string]*person{},
		capped: map[personalization.CapTarget]uint64{},
		queue:  make(chan string, queueSize), stop: stop, done: make(chan struct{})}
	go c.loop(ctx)
	return c
}

// Close stops the loader; safe twice.
func (c *Counter) Close() {
	c.stop()
	<-c.done
}

// For is visitorID's counter for one request (nil without a visitor id:
// nobody to count).
func (c *Counter) For(visitorID string) personalization.CapCounter {
	if c == nil || visitorID == "" {
		return nil
	}
	return view{c: c, visitor: visitorID}
}

type view struct {
	c       *Counter
	visitor string
}

// CapCount implements personalization.CapCounter from memory; it queues a
// load when the person's counts are missing, stale, or waiting for a
// confirmation.
func (v view) CapCount(t personalization.CapTarget, since time.Time, channel string) personalization.CapCount {
	c := v.c
	now := c.cfg.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	p := c.personOf(v.visitor)
	gen := c.capTarget(t)
	// Loaded in full before t had a cap: t's older exposures were not
	// kept, so the person is as good as not loaded for t.
	incomplete := p.loaded && gen > p.fullGen
	if incomplete {
		p.needFull = true
	}
	var out personalization.CapCount
	for _, e := range p.seen[t] {
		if !e.at.Before(since) && (channel == "" || e.channel == channel) {
			out.Seen++
		}
	}
	waiting := false
	for _, o := range p.own {
		if now.Sub(o.at) < c.cfg.PendingTimeout {
			waiting = true
			for _, ot := range o.targets {
				if ot == t {
					out.Pending = true
				}
			}
		}
	}
	c.maybeLoad(v.visitor, p, now, waiting)
	out.Unloaded = !p.loaded || incomplete
	return out
}

// capTarget is t's generation, t remembered as capped when new. Called
// with mu held.
func (c *Counter) capTarget(t personalization.CapTarget) uint64 {
	if g, ok := c.capped[t]; ok {
		return g
	}
	if len(c.capped) >= c.cfg.MaxTargets {
		// Forget them all: each is remembered again with a newer
		// generation, so everyone asked about one is loaded in full.
		clear(c.capped)
	}
	c.gen++
	c.capped[t] = c.gen
	return c.gen
}

// maybeLoad queues a load of visitor's person when needed; never blocks.
func (c *Counter) maybeLoad(visitor string, p *person, now time.Time, waiting bool) {
	if p.loading {
		return
	}
	stale := !p.loaded || p.needFull || now.Sub(p.loadedAt) >= c.cfg.TTL
	if !stale && !(waiting && now.Sub(p.asked) >= c.cfg.Flush) {
		return
	}
	select {
	case c.queue <- visitor:
		p.loading, p.asked = true, now
	default:
		c.cfg.Metrics.loadDropped()
	}
}

// personOf is visitor's person, made (keyed by the visitor until a load
// names its cluster) when unknown. Called with mu held.
func (c *Counter) personOf(visitor string) *person {
	if p := c.visitors[visitor]; p != nil {
		return p
	}
	if len(c.visitors) >= c.cfg.MaxPeople {
		// Forget everyone rather than scan: counts reload from the store,
		// and only unconfirmed exposures (at most one per person and
		// target) are lost from memory.
		clear(c.visitors)
		clear(c.people)
		c.cfg.Metrics.evicted()
	}
	p := &person{key: "v:" + visitor, seen: map[personalization.CapTarget][]exposure{}, own: map[string]ownExposure{}}
	c.visitors[visitor] = p
	c.people[p.key] = p
	return p
}

// Note adds this replica's exposures of one decision record: id is the
// record's, targets what it exposed (personalization.Exposed); only the
// capped ones are kept. Call it for every record delivery writes, before
// the answer leaves.
func (c *Counter) Note(visitorID, id string, at time.Time, channel string, targets []personalization.CapTarget) {
	if c == nil || visitorID == "" || len(targets) == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var kept []personalization.CapTarget
	for _, t := range targets {
		if _, ok := c.capped[t]; ok {
			kept = append(kept, t)
		}
	}
	if len(kept) == 0 {
		return
	}
	p := c.personOf(visitorID)
	p.own[id] = ownExposure{at: at, channel: channel, targets: kept}
	for _, t := range kept {
		p.seen[t] = append(p.seen[t], exposure{at: at, channel: channel})
	}
	c.trim(p)
}

// Suppressed counts a decision's suppressed variants (Prometheus); the
// channel must be a registry token or "" (bounded labels).
func (c *Counter) Suppressed(channel string, ss []personalization.Suppression) {
	if c == nil || len(ss) == 0 {
		return
	}
	c.cfg.Metrics.suppressed(channel, ss)
}

// Hold serializes one visitor id's decide-and-record on this replica: a
// decision that reads a count and the Note of what it showed happen
// together, so concurrent requests of one visitor cannot both take the
// last exposure. Visitors sharing a stripe wait for each other only for
// the microseconds of a decision.
func (c *Counter) Hold(visitorID string) func() {
	h := uint32(2166136261) // FNV-1a, inline: no allocation per request
	for i := 0; i < len(visitorID); i++ {
		h = (h ^ uint32(visitorID[i])) * 16777619
	}
	m := &c.holds[h%uint32(len(c.holds))]
	m.Lock()
	return m.Unlock
}
