package fleet

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/ratelimit"
)

// Defaults of Config.
const (
	DefaultInterval     = 30 * time.Second
	DefaultOfflineAfter = 3 * DefaultInterval
	DefaultMaxScreens   = 10_000
	// DefaultFirst and MaxFirst bound one listing.
	DefaultFirst = 100
	MaxFirst     = 1000
)

// ErrFull refuses a new screenId once the table holds the configured
// maximum: an open endpoint must not let anyone grow it without bound.
// Known units still report.
var ErrFull = errs.E(errs.RateLimited,
	"this server already tracks its maximum number of screens (MOSAIC_SCREEN_FLEET_MAX) and none is silent enough to make room; known screens still report")

// Defaults of Config.NewPerKey and NewPerAddress: a retailer's rollout
// adds hundreds of units on one key in a day, a shop's dozens behind one
// address; a script minting ids is held to a trickle either way.
var (
	DefaultNewPerKey     = ratelimit.Config{PerSecond: 1.0 / 6, Burst: 500}
	DefaultNewPerAddress = ratelimit.Config{PerSecond: 1.0 / 60, Burst: 50}
)

// Unit is one unit's stored row: its last heartbeat and when it was
// first and last heard from.
type Unit struct {
	Heartbeat
	FirstSeenAt time.Time
	LastSeenAt  time.Time
}

// Status is a listed unit: its row, its state and what the server would
// serve it now.
type Status struct {
	Unit
	State State
	// CurrentVersion and CurrentFrame are the version and first frame's key
	// of the bundle the server would build now; "" when it cannot build one.
	CurrentVersion string
	CurrentFrame   string
}

// Cursor is a position in the listing order (screen slug, then screenId).
type Cursor struct{ Screen, ScreenID string }

// Query selects stored rows, in (screen, screenId) order.
type Query struct {
	// Screen keeps one screen slug's units ("": all).
	Screen string
	// SeenSince keeps rows last seen at or after it; SeenBefore rows last
	// seen strictly before it (zero: no bound).
	SeenSince, SeenBefore time.Time
	// After starts the page after this position (nil: at the start).
	After *Cursor
	Limit int
}

// Store keeps one row per screenId.
type Store interface {
	// Record upserts h's row: LastSeenAt = at and every reported field
	// replaced; FirstSeenAt is set only when the row is created. A new
	// screenId is first admitted by n.Admit (its error is returned as it
	// is); once n.Max rows exist, the row last seen longest ago is deleted
	// to make room if that was before n.EvictBefore, else the new id is
	// refused with ErrFull.
	Record(ctx context.Context, h Heartbeat, at time.Time, n NewUnit) error
	// Screens returns the rows q selects.
	Screens(ctx context.Context, q Query) ([]Unit, error)
	// Forget deletes screenID's row, reporting whether there was one.
	Forget(ctx context.Context, screenID string) (bool, error)
	// Prune deletes the rows last seen strictly before before and returns
	// how many it deleted.
	Prune(ctx context.Context, before time.Time) (int, error)
	// Counts returns how many rows were last seen at or after since, and
	// how many rows there are, in one cheap query.
	Counts(ctx context.Context, since time.Time) (seen, total int, err error)
}

// NewUnit is the policy for a screenId the store has not seen.
type NewUnit struct {
	Max         int
	EvictBefore time.Time
	Admit       func() error
}

// Key is what decides a unit's bundle.
type Key struct{ Screen, Channel, Device, Locale string }

// Current is what the server would serve a Key now.
type Current struct{ Version, Frame string }

// Source is the bundle side of the fleet (BundleSource wraps
// *bundle.Builder).
type Source interface {
	// CheckContext refuses a channel, device or locale this server does
	// not know ("" is always fine).
	CheckContext(channel, device, locale string) error
	// Current builds k's bundle now. An error that is not INTERNAL means no
	// bundle can be built for k (an unpublished screen, say).
	Current(ctx context.Context, k Key) (Current, error)
	// Published is nil when screen is a published screen in locale ("":
	// the default), NOT_FOUND when it is not. Cheap: heartbeats call it.
	Published(ctx context.Context, screen, locale string) error
}

// Config configures a Service.
type Config struct {
	Store  Store
	Source Source
	// Interval is how often units are asked to report (default 30s).
	Interval time.Duration
	// OfflineAfter is how long a unit may stay quiet before it is OFFLINE
	// (default 90s: three missed heartbeats).
	OfflineAfter time.Duration
	// MaxScreens bounds the distinct screenIds stored (default 10,000).
	MaxScreens int
	// ForgetAfter is how long a unit may stay quiet before [Service.Prune]
	// deletes its row, as if it had been forgotten (0: never). When set it
	// is at least OfflineAfter: only OFFLINE units are ever pruned.
	ForgetAfter time.Duration
	// NewPerKey and NewPerAddress bound how fast one API key (or editor)
	// and one client address may add screenIds the fleet has not seen
	// (zero: DefaultNewPerKey, DefaultNewPerAddress). Known units are
	// never limited here.
	NewPerKey, NewPerAddress ratelimit.Config
	// Logger receives the pruner's reports (nil: discarded).
	Logger *slog.Logger
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

func (c Config) withDefaults() Config {
	if c.Interval == 0 {
		c.Interval = DefaultInterval
	}
	if c.OfflineAfter == 0 {
		c.OfflineAfter = 3 * c.Interval
	}
	if c.MaxScreens == 0 {
		c.MaxScreens = DefaultMaxScreens
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.NewPerKey.PerSecond == 0 {
		c.NewPerKey = DefaultNewPerKey
	}
	if c.NewPerAddress.PerSecond == 0 {
		c.NewPerAddress = DefaultNewPerAddress
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

func (c Config) validate() error {
	switch {
	case c.Store == nil || c.Source == nil:
		return errors.New("fleet: Store and Source are required")
	case c.Interval < time.Second:
		return fmt.Errorf("fleet: the heartbeat interval must be at least 1s, got %s", c.Interval)
	case c.OfflineAfter < c.Interval:
		return fmt.Errorf("fleet: offline-after (%s) must be at least the heartbeat interval (%s)", c.OfflineAfter, c.Interval)
	case c.MaxScreens < 1:
		return fmt.Errorf("fleet: the maximum number of screens must be positive, got %d", c.MaxScreens)
	case c.ForgetAfter < 0:
		return fmt.Errorf("fleet: forget-after must not be negative, got %s", c.ForgetAfter)
	case c.ForgetAfter > 0 && c.ForgetAfter < c.OfflineAfter:
		return fmt.Errorf("fleet: forget-after (%s) must be 0 or at least offline-after (%s)", c.ForgetAfter, c.OfflineAfter)
	}
	return nil
}

// Service records heartbeats and lists the fleet.
type Service struct {
	cfg                Config
	perKey, perAddress *ratelimit.Limiter
}

// New returns a Service over cfg.
func New(cfg Config) (*Service, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	cfg.NewPerKey.Now, cfg.NewPerAddress.Now = cfg.Now, cfg.Now
	return &Service{cfg: cfg, perKey: ratelimit.New(cfg.NewPerKey), perAddress: ratelimit.New(cfg.NewPerAddress)}, nil
}

// Now reads the service's clock: the answer's serverTime is taken from it
// so that it agrees with the instants the rows record.
func (s *Service) Now() time.Time { return s.cfg.Now() }

// Interval is how often units should report.
func (s *Service) Interval() time.Duration { return s.cfg.Interval }

// Record validates a heartbeat and stores it.
func (s *Service) Record(ctx context.Context, h Heartbeat) error {
	if err := h.Validate(); err != nil {
		return err
	}
	if err := s.cfg.Source.CheckContext(h.Channel, h.Device, h.Locale); err != nil {
		return err
	}
	// PostgreSQL keeps microseconds: truncating here keeps what is
	// classified equal to what was stored.
	now := s.cfg.Now().UTC().Truncate(time.Microsecond)
	return s.cfg.Store.Record(ctx, h, now, NewUnit{Max: s.cfg.MaxScreens,
		// Silent for longer than OFFLINE: a real unit that comes back
		// registers again; a burst of made-up ids ages out.
		EvictBefore: now.Add(-s.cfg.OfflineAfter),
		Admit:       func() error { return s.admit(ctx, h) }})
}

// admit decides whether a screenId the fleet has not seen gets a row: only
// for a published screen (anything else is a typo or someone filling the
// table), charged to its caller's and its address's budget. Known units
// always report, also for a screen unpublished since: the fleet view then
// shows them STALE, which is what the operator needs to see.
func (s *Service) admit(ctx context.Context, h Heartbeat) error {
	if err := s.cfg.Source.Published(ctx, h.Screen, h.Locale); err != nil {
		return err
	}
	for _, b := range []struct {
		lim        *ratelimit.Limiter
		key, whose string
	}{{s.perKey, h.Caller, "this API key"}, {s.perAddress, h.Address, "this address"}} {
		if b.key == "" {
			continue
		}
		if ok, wait := b.lim.Allow(b.key); !ok {
			return errs.E(errs.RateLimited, "%s has registered many new screens recently: retry in %ds (known screens still report)",
				b.whose, ratelimit.RetryAfterSeconds(wait))
		}
	}
	return nil
}

// Filter selects a listing.
type Filter struct {
	// State keeps units in that state ("": all).
	State State
	// Screen keeps one screen slug's units ("": all).
	Screen string
	// First bounds the result: 1..MaxFirst (0: DefaultFirst).
	First int
}

// List returns the units f selects, by screen slug then screenId, each
// classified against the bundle the server would build now. Each distinct
// (screen, channel, device, locale) is built once per call.
func (s *Service) List(ctx context.Context, f Filter) ([]Status, error) {
	if f.First == 0 {
		f.First = DefaultFirst
	}
	if err := errs.CheckFirst(f.First, MaxFirst); err != nil {
		return nil, err
	}
	if f.Screen != "" && !ValidSlug(f.Screen) {
		return nil, errs.Invalid("screen is not a slug", errs.FieldError{Path: "screen", Message: "not a slug"})
	}
	if _, err := ParseState(string(f.State)); err != nil {
		return nil, err
	}
	now := s.cfg.Now()
	// OFFLINE ⇔ now − lastSeen > offlineAfter ⇔ lastSeen < cutoff: the
	// database narrows by time, so only ONLINE/STALE need more than it.
	cutoff := now.Add(-s.cfg.OfflineAfter)
	q := Query{Screen: f.Screen, Limit: f.First}
	switch f.State {
	case Offline:
		q.SeenBefore = cutoff
	case Online, Stale:
		q.SeenSince = cutoff
	}
	b := builds{src: s.cfg.Source, done: map[Key]Current{}}
	out := []Status{}
	for {
		rows, err := s.cfg.Store.Screens(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("listing screens: %w", err)
		}
		for _, r := range rows {
			cur, err := b.current(ctx, Key{r.Screen, r.Channel, r.Device, r.Locale})
			if err != nil {
				return nil, err
			}
			st := Status{Unit: r, CurrentVersion: cur.Version, CurrentFrame: cur.Frame,
				State: Classify(now, r.LastSeenAt, s.cfg.OfflineAfter, r.Frame, cur.Frame)}
			if f.State != "" && st.State != f.State {
				continue
			}
			if out = append(out, st); len(out) == f.First {
				return out, nil
			}
		}
		// A short page is the end; a full one may be followed by more
		// rows when some were filtered out by state.
		if len(rows) < q.Limit {
			return out, nil
		}
		last := rows[len(rows)-1]
		q.After = &Cursor{Screen: last.Screen, ScreenID: last.ScreenID}
	}
}

// builds remembers each Key's bundle for one listing.
type builds struct {
	src  Source
	done map[Key]Current
}

func (b *builds) current(ctx context.Context, k Key) (Current, error) {
	if c, ok := b.done[k]; ok {
		return c, nil
	}
	c, err := b.src.Current(ctx, k)
	if err != nil {
		// A screen that cannot be built is STALE; a database that cannot
		// answer fails the listing rather than paint every unit STALE.
		if errs.CodeOf(err) == errs.Internal || ctx.Err() != nil {
			return Current{}, fmt.Errorf("building screen %q for the fleet view: %w", k.Screen, err)
		}
		c = Current{}
	}
	b.done[k] = c
	return c, nil
}
