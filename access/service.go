package access

import (
	"errors"
	"log/slog"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2/simplelru"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/ratelimit"
)

// Config configures a Service. Store is required; the rest have defaults.
type Config struct {
	Store Store
	// Tokens issues login tokens; nil makes login SERVICE_UNAVAILABLE (the
	// CLI needs no login).
	Tokens *auth.Tokens
	// LoginTTL is the lifetime of a token from login. Default 1h: short,
	// because a disabled user or a changed role takes effect at expiry.
	LoginTTL time.Duration
	// Channels are the channels API keys may be limited to (the registry).
	Channels []string
	// Password hashing cost. Default auth.DefaultPasswordParams.
	Password auth.PasswordParams
	// LoginPerEmail and LoginPerIP bound login attempts (token buckets):
	// defaults 5 then one per 30s per email, 20 then one per 3s per IP.
	LoginPerEmail ratelimit.Config
	LoginPerIP    ratelimit.Config
	// KeyCacheTTL is how long a key lookup (hit or miss) is reused. Default
	// 10s; it bounds how long a revoked key keeps working on other replicas.
	KeyCacheTTL time.Duration
	// KeyOutageGrace is how long after its last successful lookup a key
	// keeps working while the database cannot be reached. Default 15m:
	// long enough to ride out a failover or a restart, short enough that a
	// key revoked just before an outage does not live on for hours. Once
	// the database answers again, lookups are fresh within KeyCacheTTL.
	KeyOutageGrace time.Duration
	// LastUsedInterval is how often last-used times are written. Default 10s.
	LastUsedInterval time.Duration
	Now              func() time.Time
	Logger           *slog.Logger
}

// Service is users, API keys and the audit log. Safe for concurrent use;
// Start begins writing last-used times, Stop flushes them (safe twice).
type Service struct {
	cfg        Config
	store      Store
	loginEmail *ratelimit.Limiter
	loginIP    *ratelimit.Limiter

	cacheMu sync.Mutex
	cache   *lru.LRU[auth.KeyHash, cachedKey]

	used *lastUsed
}

type cachedKey struct {
	key     APIKey
	found   bool
	expires time.Time
	// checked is when the store last answered for this key.
	checked time.Time
}

// DefaultKeyCacheTTL is Config.KeyCacheTTL's default: the longest a
// revoked key may keep working on a replica that missed the revocation's
// announcement.
const DefaultKeyCacheTTL = 10 * time.Second

// DefaultKeyOutageGrace is Config.KeyOutageGrace's default.
const DefaultKeyOutageGrace = 15 * time.Minute

// keyCacheSize bounds cached lookups (misses included), ~300 bytes each.
const keyCacheSize = 20_000

// New checks cfg and returns a Service.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil {
		return nil, errors.New("access: Store is required")
	}
	if cfg.LoginTTL == 0 {
		cfg.LoginTTL = time.Hour
	}
	if cfg.Password == (auth.PasswordParams{}) {
		cfg.Password = auth.DefaultPasswordParams
	}
	if cfg.LoginPerEmail.PerSecond == 0 {
		cfg.LoginPerEmail = ratelimit.Config{PerSecond: 1.0 / 30, Burst: 5}
	}
	if cfg.LoginPerIP.PerSecond == 0 {
		cfg.LoginPerIP = ratelimit.Config{PerSecond: 1.0 / 3, Burst: 20}
	}
	if cfg.KeyCacheTTL == 0 {
		cfg.KeyCacheTTL = DefaultKeyCacheTTL
	}
	if cfg.KeyOutageGrace == 0 {
		cfg.KeyOutageGrace = DefaultKeyOutageGrace
	}
	if cfg.LastUsedInterval == 0 {
		cfg.LastUsedInterval = 10 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	cfg.LoginPerEmail.Now, cfg.LoginPerIP.Now = cfg.Now, cfg.Now
	cache, _ := lru.NewLRU[auth.KeyHash, cachedKey](keyCacheSize, nil)
	s := &Service{cfg: cfg, store: cfg.Store, cache: cache,
		loginEmail: ratelimit.New(cfg.LoginPerEmail), loginIP: ratelimit.New(cfg.LoginPerIP)}
	s.used = newLastUsed(cfg.Store, cfg.LastUsedInterval, cfg.Logger)
	return s, nil
}

// Start begins writing last-used times in the background.
func (s *Service) Start() { s.used.start() }

// Stop writes pending last-used times and stops. Safe to call twice.
func (s *Service) Stop() { s.used.stop() }
