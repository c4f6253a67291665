package ratelimit

import (
	"context"
	"math"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2/simplelru"
	"golang.org/x/time/rate"

	"github.com/mosaichq/mosaic/internal/reqscope"
)

// DefaultMaxKeys bounds the buckets kept: ~100 bytes each, so 10 MB at most.
// When full the least recently seen key is forgotten (and starts again with
// a full bucket), so memory is bounded whatever keys callers invent.
const DefaultMaxKeys = 100_000

// Limiter is a set of token buckets, one per key, all with the same rate
// and burst. The zero value is not usable; a nil *Limiter allows everything.
type Limiter struct {
	limit rate.Limit
	burst int
	now   func() time.Time

	mu      sync.Mutex
	buckets *lru.LRU[string, *rate.Limiter]
}

// Config configures a Limiter.
type Config struct {
	// PerSecond is the sustained rate; Burst how many requests may arrive at
	// once. Burst defaults to twice PerSecond (at least 1).
	PerSecond float64
	Burst     int
	// MaxKeys bounds memory; default DefaultMaxKeys.
	MaxKeys int
	// Now is the clock; tests inject one. Default time.Now.
	Now func() time.Time
}

// New returns a Limiter, or nil (allow everything) when PerSecond <= 0.
func New(c Config) *Limiter {
	if c.PerSecond <= 0 {
		return nil
	}
	if c.Burst <= 0 {
		c.Burst = max(1, int(math.Ceil(2*c.PerSecond)))
	}
	if c.MaxKeys <= 0 {
		c.MaxKeys = DefaultMaxKeys
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	buckets, _ := lru.NewLRU[string, *rate.Limiter](c.MaxKeys, nil) // only fails for size <= 0
	return &Limiter{limit: rate.Limit(c.PerSecond), burst: c.Burst, now: c.Now, buckets: buckets}
}

// Allow takes one token from key's bucket. When the bucket is empty it
// returns false and how long until a token will be there; nothing is taken
// then, so a refused client that keeps hammering is not pushed further back
// than the rate itself does.
func (l *Limiter) Allow(key string) (ok bool, retryAfter time.Duration) {
	if l == nil {
		return true, 0
	}
	now := l.now()
	l.mu.Lock()
	b, found := l.buckets.Get(key)
	if !found {
		b = rate.NewLimiter(l.limit, l.burst)
		l.buckets.Add(key, b)
	}
	l.mu.Unlock()
	// rate.Limiter has its own lock: buckets of different keys do not
	// contend beyond the LRU bookkeeping above.
	r := b.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// RetryAfterSeconds is d rounded up to whole seconds, at least 1: the
// Retry-After header has one-second resolution, and "0" would invite an
// immediate retry that fails again.
func RetryAfterSeconds(d time.Duration) int {
	return max(1, int(math.Ceil(d.Seconds())))
}

// WithClientIP records the request's client address (as the server's
// trusted-proxy rules determined it) for limits applied deeper down, such
// as login's per-address limit. The server sets it with the request id in
// one value (reqscope.With).
func WithClientIP(ctx context.Context, ip string) context.Context {
	return reqscope.WithClientIP(ctx, ip)
}

// ClientIP returns the request's client address, or "".
func ClientIP(ctx context.Context) string {
	return reqscope.From(ctx).ClientIP
}
