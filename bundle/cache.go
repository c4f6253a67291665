package bundle

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/hashicorp/golang-lru/v2/simplelru"
)

// Built bundles are kept: every kiosk of a lobby asks for the same bundle,
// and building one decides the screen at every transition in the horizon
// and signs it. A bundle is built once per distinct request and state and
// served until its first frame ends (NextChange), a transition or a
// scheduled publication is about to enter its horizon, the state it was
// built in moves (a publish, a campaign or segment write: the content
// generation and the engine build are in the key), or CacheFor passes —
// so no screen is ever handed a bundle that a fresh build would not give.

// CacheFor bounds how long a built bundle is served; DefaultCacheSize how
// many are kept (Builder.CacheSize).
const (
	CacheFor         = time.Minute
	DefaultCacheSize = 512
)

type bundleCache struct {
	once sync.Once
	mu   sync.Mutex
	lru  *simplelru.LRU[string, cached]
}

type cached struct {
	doc *Document
	// until is when the bundle stops being what a fresh build gives: its
	// first frame's end, or the last instant before the next transition
	// beyond its horizon would enter a fresh build's horizon.
	until time.Time
}

// Get returns the bundle Build would build now, from the cache when one
// built in the same state is still valid.
func (b *Builder) Get(ctx context.Context, req Request) (*Document, error) {
	if req.Horizon == 0 {
		req.Horizon = DefaultHorizon
	}
	if req.Locale == "" {
		req.Locale = b.Content.Locales().Default
	}
	// A bundle for a visitor is theirs alone, with its own decision ids.
	if req.VisitorID != "" {
		return b.Build(ctx, req)
	}
	// The state is read before building: a change while building leaves
	// the result under the old state's key, never served for the new one.
	key := b.cacheKey(req)
	c := b.cacheOf()
	now := b.now()
	c.mu.Lock()
	e, ok := c.lru.Get(key)
	c.mu.Unlock()
	if ok && !now.Before(e.doc.Bundle.GeneratedAt) && !now.After(e.until) && now.Sub(e.doc.Bundle.GeneratedAt) < CacheFor {
		return e.doc, nil
	}
	doc, err := b.Build(ctx, req)
	if err != nil {
		return nil, err
	}
	until, err := b.stableUntil(ctx, doc, req.Horizon)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.lru.Add(key, cached{doc: doc, until: until})
	c.mu.Unlock()
	return doc, nil
}

// stableUntil is the last instant doc is what a fresh build gives: before
// its first frame ends, and before the first transition or scheduled
// publication at or after its expiry comes within a horizon of now (the
// horizon is half-open: one exactly at now+horizon is outside).
func (b *Builder) stableUntil(ctx context.Context, doc *Document, horizon time.Duration) (time.Time, error) {
	until := doc.NextChange.Add(-time.Nanosecond)
	beyond := doc.Bundle.ExpiresAt.Add(-time.Nanosecond)
	var entering time.Time
	if b.Experience != nil {
		_, entering = b.Experience.CampaignClock(beyond)
	}
	next, ok, err := b.Content.NextPublication(ctx, beyond)
	if err != nil {
		return time.Time{}, err
	}
	if ok && (entering.IsZero() || next.Before(entering)) {
		entering = next
	}
	if !entering.IsZero() {
		if t := entering.Add(-horizon); t.Before(until) {
			until = t
		}
	}
	return until, nil
}

func (b *Builder) cacheOf() *bundleCache {
	b.cache.once.Do(func() {
		size := b.CacheSize
		if size <= 0 {
			size = DefaultCacheSize
		}
		b.cache.lru, _ = simplelru.NewLRU[string, cached](size, nil)
	})
	return &b.cache
}

func (b *Builder) cacheKey(req Request) string {
	buf := make([]byte, 0, 128)
	for _, s := range []string{req.Screen, req.Channel, req.Device, req.Locale} {
		buf = strconv.AppendQuote(buf, s)
	}
	buf = strconv.AppendInt(buf, int64(req.Horizon), 10)
	buf = append(buf, ' ')
	buf = strconv.AppendUint(buf, b.Content.Generation(), 10)
	if b.Experience != nil {
		buf = append(buf, ' ')
		buf = strconv.AppendUint(buf, b.Experience.Build(), 10)
	}
	return string(buf)
}
