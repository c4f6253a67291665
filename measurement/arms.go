package measurement

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// ArmStore loads the pinned arms of visitor ids: for each one linked to an
// identity cluster, the person's first-touch arm per experiment
// (identity.Assign); ids in no cluster are absent (storage/postgres).
type ArmStore interface {
	PersonArms(ctx context.Context, visitorIDs []string) (map[string]map[string]string, error)
}

// ArmCache defaults.
const (
	DefaultArmTTL        = 30 * time.Second
	DefaultArmMaxEntries = 100_000
	armQueue             = 4096
	armBatch             = 500
	armLoadTimeout       = 5 * time.Second
)

// ArmCacheConfig configures an ArmCache; zero fields take the defaults.
type ArmCacheConfig struct {
	Store ArmStore
	// TTL is how long a visitor's arms (or their absence) are trusted
	// before they are loaded again: how long after a sign-in a device may
	// still show its own arm.
	TTL time.Duration
	// MaxEntries bounds the visitors remembered.
	MaxEntries int
	Now        func() time.Time
	Log        *slog.Logger
	// Metrics counts the visitors dropped (nil: not counted).
	Metrics *Metrics
}

// ArmCache tells delivery a visitor's pinned arms without a database
// round trip: Arms answers from memory at once and, when it knows nothing
// fresh, asks a background loader, whose answer serves the visitor's next
// requests. Identity stays resolved on the log's consumer; this only
// reads its outcome. A full queue skips the load (the visitor keeps its
// own bucket until a later request queues it again).
type ArmCache struct {
	cfg     ArmCacheConfig
	mu      sync.RWMutex
	entries map[string]armEntry
	pending map[string]bool
	queue   chan string
	stop    context.CancelFunc
	done    chan struct{}
}

type armEntry struct {
	arms map[string]string
	at   time.Time
}

// NewArmCache starts the loader; Close stops it.
func NewArmCache(cfg ArmCacheConfig) *ArmCache {
	if cfg.TTL <= 0 {
		cfg.TTL = DefaultArmTTL
	}
	if cfg.MaxEntries <= 0 {
		cfg.MaxEntries = DefaultArmMaxEntries
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	ctx, stop := context.WithCancel(context.Background())
	c := &ArmCache{cfg: cfg, entries: map[string]armEntry{}, pending: map[string]bool{},
		queue: make(chan string, armQueue), stop: stop, done: make(chan struct{})}
	go c.loop(ctx)
	return c
}

// Arms returns visitorID's pinned arms (nil: none known); never blocks.
// An entry older than the TTL is still answered while it is reloaded, so
// a pinned arm does not drop out between loads.
func (c *ArmCache) Arms(visitorID string) map[string]string {
	// Read shared: every delivery read asks, and almost always the entry
	// is fresh.
	c.mu.RLock()
	e, ok := c.entries[visitorID]
	c.mu.RUnlock()
	if ok && !c.stale(e, c.cfg.Now()) {
		return e.arms
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok = c.entries[visitorID]
	if (!ok || c.stale(e, c.cfg.Now())) && !c.pending[visitorID] {
		select {
		case c.queue <- visitorID:
			c.pending[visitorID] = true
		default:
			c.cfg.Metrics.armDrops(ArmDropQueueFull, 1)
		}
	}
	return e.arms
}

// Close stops the loader; safe twice.
func (c *ArmCache) Close() {
	c.stop()
	<-c.done
}

func (c *ArmCache) loop(ctx context.Context) {
	defer close(c.done)
	DrainBatches(ctx, c.queue, armBatch, c.load)
}

// stale: e is past the TTL at now (answered still, while it is reloaded).
func (c *ArmCache) stale(e armEntry, now time.Time) bool { return now.Sub(e.at) >= c.cfg.TTL }

func (c *ArmCache) load(ctx context.Context, ids []string) {
	lctx, cancel := context.WithTimeout(ctx, armLoadTimeout)
	arms, err := c.cfg.Store.PersonArms(lctx, ids)
	cancel()
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, id := range ids {
		delete(c.pending, id)
	}
	if err != nil {
		c.cfg.Metrics.armDrops(ArmDropLoadFailed, len(ids))
		if ctx.Err() == nil {
			c.cfg.Log.WarnContext(ctx, "loading pinned experiment arms; visitors keep their own buckets", "visitors", len(ids), "error", err)
		}
		return
	}
	now := c.cfg.Now()
	if len(c.entries)+len(ids) > c.cfg.MaxEntries {
		before := len(c.entries)
		for k, e := range c.entries {
			if c.stale(e, now) {
				delete(c.entries, k)
			}
		}
		if len(c.entries)+len(ids) > c.cfg.MaxEntries {
			clear(c.entries)
		}
		c.cfg.Metrics.armDrops(ArmDropEvicted, before-len(c.entries))
	}
	for _, id := range ids {
		c.entries[id] = armEntry{arms: arms[id], at: now}
	}
}
