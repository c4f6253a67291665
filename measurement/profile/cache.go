package profile

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/mosaichq/mosaic/measurement"
)

// Data is what the store holds of the cluster of one visitor id.
type Data struct {
	// ClusterID is the cluster's id; a visitor id no identify linked is a
	// cluster of its own (its own id).
	ClusterID string
	// Members are the cluster's visitor ids (at most MaxVisitors).
	Members []string
	// Events are the cluster's most recent events since the time asked
	// for, identify events included (their traits).
	Events []measurement.Event
	// Devices are the devices and channels its visitor ids were decided on.
	Devices []measurement.Device
}

// Store reads clusters' behaviour (storage/postgres).
type Store interface {
	// ProfileData returns, per visitor id, its cluster's members, its
	// events at or after since (at most limit, most recent) and devices.
	// A visitor id the store knows nothing of may be absent.
	ProfileData(ctx context.Context, visitorIDs []string, since time.Time, limit int) (map[string]Data, error)
}

// Cache defaults.
const (
	DefaultTTL        = 30 * time.Second
	DefaultMaxEntries = 100_000
	// DefaultMaxHeld bounds the events held by every cached profile
	// together: ~550 bytes each with two properties (measured), so about
	// 275 MB.
	DefaultMaxHeld = 500_000
	// observedFor is how long events this replica accepted are kept to be
	// merged into profiles loaded later: longer than the event log's
	// consumer takes to store them, so a load that races the consumer does
	// not lose them (ids make the merge idempotent).
	observedFor = 5 * time.Minute
	queueLen    = 4096
	loadBatch   = 200
	loadTimeout = 5 * time.Second
)

// Config configures a Cache; zero fields take the defaults.
type Config struct {
	Store Store
	// TTL is how long a loaded profile is trusted before it is loaded
	// again: the staleness bound for what other replicas accepted and for
	// new links between visitor ids.
	TTL time.Duration
	// MaxEntries bounds the visitor ids remembered.
	MaxEntries int
	// MaxHeld bounds the events all cached profiles hold together.
	MaxHeld int
	Now     func() time.Time
	Log     *slog.Logger
}

// Cache answers a visitor's profile from memory (see the package doc).
type Cache struct {
	cfg      Config
	mu       sync.RWMutex
	entries  map[string]entry    // by visitor id
	clusters map[string]*Profile // by cluster id: shared by its visitor ids
	observed map[string][]observed
	nObs     int
	held     int // events in clusters
	pending  map[string]bool
	stamp    uint64
	queue    chan string
	stop     context.CancelFunc
	done     chan struct{}
}

type entry struct {
	cluster string
	at      time.Time
}

type observed struct {
	e  Event
	at time.Time
}

// NewCache starts the loader; Close stops it.
func NewCache(cfg Config) *Cache {
	if cfg.TTL <= 0 {
		cfg.TTL = DefaultTTL
	}
	if cfg.MaxEntries <= 0 {
		cfg.MaxEntries = DefaultMaxEntries
	}
	if cfg.MaxHeld <= 0 {
		cfg.MaxHeld = DefaultMaxHeld
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	ctx, stop := context.WithCancel(context.Background())
	c := &Cache{cfg: cfg, entries: map[string]entry{}, clusters: map[string]*Profile{},
		observed: map[string][]observed{}, pending: map[string]bool{},
		queue: make(chan string, queueLen), stop: stop, done: make(chan struct{})}
	go c.loop(ctx)
	return c
}

// Get returns visitorID's profile, never blocking: nil when it is not
// loaded yet (it is queued; the rule sees an empty history). An entry
// older than the TTL is answered while it reloads.
func (c *Cache) Get(visitorID string) *Profile {
	p, _ := c.get(visitorID, true)
	return p
}

// Stamp is the version of visitorID's profile Get answers (0: none). It
// queues a reload of an entry past its TTL, as Get does, but never the
// first load of a visitor: a memo that answers from the stamp without
// calling Get (graph's class memo) still sees the reload's new stamp,
// and a visitor who never asked for a profile is not loaded.
func (c *Cache) Stamp(visitorID string) uint64 {
	if p, _ := c.get(visitorID, false); p != nil {
		return p.Stamp
	}
	return 0
}

// get answers visitorID's profile and queues a load when it is past the
// TTL, or unknown and first is set.
func (c *Cache) get(visitorID string, first bool) (*Profile, bool) {
	if visitorID == "" {
		return nil, false
	}
	now := c.cfg.Now()
	c.mu.RLock()
	e, ok := c.entries[visitorID]
	if ok && now.Sub(e.at) < c.cfg.TTL || !ok && !first { // the hit path: shared lock only
		p := c.clusters[e.cluster]
		c.mu.RUnlock()
		return p, ok
	}
	c.mu.RUnlock()
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok = c.entries[visitorID]
	if (!ok || now.Sub(e.at) >= c.cfg.TTL) && !c.pending[visitorID] {
		select {
		case c.queue <- visitorID:
			c.pending[visitorID] = true
		default: // full: a later request queues it again
		}
	}
	if !ok {
		return nil, false
	}
	return c.clusters[e.cluster], true
}

// Observe applies events this replica accepted to the cached profiles of
// their clusters, and keeps them for profiles loaded in the next minutes
// (the consumer may not have stored them yet).
func (c *Cache) Observe(events []measurement.Event) {
	now := c.cfg.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.nObs+len(events) > c.cfg.MaxEntries {
		c.pruneObserved(now)
	}
	byCluster := map[string][]Event{}
	for _, me := range events {
		e, ok := FromEvent(me)
		if !ok {
			continue
		}
		c.observed[me.VisitorID] = append(c.observed[me.VisitorID], observed{e: e, at: now})
		c.nObs++
		if en, ok := c.entries[me.VisitorID]; ok {
			byCluster[en.cluster] = append(byCluster[en.cluster], e)
		}
	}
	for cl, evs := range byCluster {
		c.put(cl, c.clusters[cl].With(evs...))
	}
	if c.held > c.cfg.MaxHeld {
		c.evict(now, 0)
	}
}

// pruneObserved drops observed events past observedFor, and all of them
// if that is not enough: the bound is MaxEntries events.
func (c *Cache) pruneObserved(now time.Time) {
	c.nObs = 0
	for v, list := range c.observed {
		kept := list[:0]
		for _, o := range list {
			if now.Sub(o.at) < observedFor {
				kept = append(kept, o)
			}
		}
		if len(kept) == 0 {
			delete(c.observed, v)
			continue
		}
		c.observed[v] = kept
		c.nObs += len(kept)
	}
	if c.nObs >= c.cfg.MaxEntries {
		clear(c.observed)
		c.nObs = 0
	}
}

// Close stops the loader; safe twice.
func (c *Cache) Close() {
	c.stop()
	<-c.done
}

func (c *Cache) loop(ctx context.Context) {
	defer close(c.done)
	measurement.DrainBatches(ctx, c.queue, loadBatch, c.load)
}

func (c *Cache) load(ctx context.Context, ids []string) {
	lctx, cancel := context.WithTimeout(ctx, loadTimeout)
	data, err := c.cfg.Store.ProfileData(lctx, ids, c.cfg.Now().Add(-MaxWindow), MaxEvents)
	cancel()
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, id := range ids {
		delete(c.pending, id)
	}
	if err != nil {
		if ctx.Err() == nil {
			c.cfg.Log.WarnContext(ctx, "loading behaviour profiles; their rules see the previous or an empty history", "visitors", len(ids), "error", err)
		}
		return
	}
	now := c.cfg.Now()
	if len(c.entries)+len(ids) > c.cfg.MaxEntries || c.held > c.cfg.MaxHeld {
		c.evict(now, len(ids))
	}
	for _, id := range ids {
		d, ok := data[id]
		if !ok || d.ClusterID == "" {
			d = Data{ClusterID: id, Members: []string{id}}
		}
		members := max(len(d.Members), 1)
		p := FromEvents(members, d.Events, d.Devices)
		var late []Event
		for _, m := range append(d.Members, id) {
			for _, o := range c.observed[m] {
				if !p.Has(o.e.ID) && now.Sub(o.at) < observedFor {
					late = append(late, o.e)
				}
			}
		}
		if len(late) > 0 {
			p = p.With(late...)
		}
		c.put(d.ClusterID, p)
		c.entries[id] = entry{cluster: d.ClusterID, at: now}
	}
}

// put makes p cluster's profile, with a new stamp.
func (c *Cache) put(cluster string, p *Profile) {
	if old := c.clusters[cluster]; old != nil {
		c.held -= old.n
	}
	c.stamp++
	p.Stamp = c.stamp
	c.clusters[cluster] = p
	c.held += p.n
}

// evict makes room for n entries and below MaxHeld events: expired
// entries go first, then all.
func (c *Cache) evict(now time.Time, n int) {
	for k, e := range c.entries {
		if now.Sub(e.at) >= c.cfg.TTL {
			delete(c.entries, k)
		}
	}
	c.dropUnused()
	if len(c.entries)+n > c.cfg.MaxEntries || c.held > c.cfg.MaxHeld {
		clear(c.entries)
		c.dropUnused()
	}
}

// dropUnused forgets the profiles of clusters no entry names.
func (c *Cache) dropUnused() {
	used := map[string]bool{}
	for _, e := range c.entries {
		used[e.cluster] = true
	}
	for k, p := range c.clusters {
		if !used[k] {
			delete(c.clusters, k)
			c.held -= p.n
		}
	}
}
