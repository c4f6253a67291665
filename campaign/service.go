package campaign

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/personalization"
)

// Drafts is what releases and duplicates need of the content service
// (which satisfies it): drafts validated in full, as publishing would, and
// saved through its one validated write path.
type Drafts interface {
	Draft(ctx context.Context, id, locale string) (content.Entry, error)
	ValidateDraft(ctx context.Context, id, locale string) (content.Entry, error)
	UpdateEntry(ctx context.Context, actor, id, locale string, patch content.EntryPatch, expectedVersion int) (content.Entry, error)
	DefaultLocale() string
}

// Config configures a Service.
type Config struct {
	// Registry lists the channels a campaign may be scoped to. Default:
	// personalization.DefaultRegistry().
	Registry personalization.Registry
	// Drafts validates release entries; required.
	Drafts Drafts
	// Changed runs after every committed write of this service, so the
	// writer reads its own write: the wiring drops delivery caches and
	// rebuilds the decision engine. Other replicas hear of the write on the
	// change feed and call Service.Changed and the same hooks.
	Changed func(ctx context.Context)
	// Now is the clock; tests inject one. Default: time.Now.
	Now    func() time.Time
	Logger *slog.Logger
}

// Service manages campaigns. It is safe for concurrent use.
type Service struct {
	store Store
	cfg   Config

	// snap caches the campaign list for lookups by key (Decision.campaign),
	// dropped on every change.
	gen    atomic.Uint64
	snapMu sync.Mutex
	snap   *listSnapshot
}

type listSnapshot struct {
	gen   uint64
	byKey map[string]Campaign
}

// New returns a Service over store.
func New(store Store, cfg Config) (*Service, error) {
	if len(cfg.Registry.Channels) == 0 {
		cfg.Registry = personalization.DefaultRegistry()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Drafts == nil {
		return nil, fmt.Errorf("campaign: Config.Drafts is required")
	}
	return &Service{store: store, cfg: cfg}, nil
}

// Now is the service's clock, truncated to the microsecond PostgreSQL
// stores: an instant written is the instant read back.
func (s *Service) Now() time.Time { return s.cfg.Now().Truncate(time.Microsecond) }

// Changed drops what the service caches. The change feed calls it when any
// replica wrote a campaign.
func (s *Service) Changed() { s.gen.Add(1) }

func (s *Service) afterWrite(ctx context.Context) {
	s.Changed()
	if s.cfg.Changed != nil {
		s.cfg.Changed(ctx)
	}
}

// EngineSource adapts a Store to the decision engine's campaign source
// (experience.CampaignSource): every campaign, archived ones too, so that
// variants naming them stay known and time travel into the past stays true.
type EngineSource struct{ Store Store }

// Campaigns implements experience.CampaignSource.
func (e EngineSource) Campaigns(ctx context.Context) ([]personalization.Campaign, error) {
	list, err := e.Store.List(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]personalization.Campaign, len(list))
	for i, c := range list {
		out[i] = c.Engine()
	}
	return out, nil
}

var (
	keyPattern  = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`)
	uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
)

// Get returns a campaign by id, or NOT_FOUND.
func (s *Service) Get(ctx context.Context, id string) (Campaign, error) {
	if !uuidPattern.MatchString(id) {
		return Campaign{}, errs.E(errs.NotFound, "campaign %q not found", id)
	}
	return s.store.Get(ctx, id)
}

// ByKey returns a campaign by key, or NOT_FOUND.
func (s *Service) ByKey(ctx context.Context, key string) (Campaign, error) {
	if !keyPattern.MatchString(key) {
		return Campaign{}, errs.E(errs.NotFound, "campaign %q not found", key)
	}
	return s.store.GetByKey(ctx, key)
}

// Lookup returns the campaign with key from a cache kept until the next
// change, for delivery (a decision names its campaign by key).
func (s *Service) Lookup(ctx context.Context, key string) (Campaign, bool, error) {
	gen := s.gen.Load()
	s.snapMu.Lock()
	snap := s.snap
	s.snapMu.Unlock()
	if snap == nil || snap.gen != gen {
		list, err := s.store.List(ctx)
		if err != nil {
			return Campaign{}, false, err
		}
		snap = &listSnapshot{gen: gen, byKey: make(map[string]Campaign, len(list))}
		for _, c := range list {
			snap.byKey[c.Key] = c
		}
		s.snapMu.Lock()
		s.snap = snap
		s.snapMu.Unlock()
	}
	c, ok := snap.byKey[key]
	return c, ok, nil
}

// Filter selects campaigns for List.
type Filter struct {
	// Status, when set, keeps campaigns with this status at At.
	Status Status
	// From and To, when set, keep campaigns whose window overlaps
	// [From, To); drafts have no window and are dropped by them.
	From, To time.Time
	// IncludeArchived keeps archived campaigns.
	IncludeArchived bool
	// At is the instant statuses are derived at; zero: now.
	At time.Time
}

// List returns the campaigns that pass f, by start (drafts last), then key.
func (s *Service) List(ctx context.Context, f Filter) ([]Campaign, error) {
	if f.Status != "" && !slices.Contains([]Status{Draft, Scheduled, Live, Ended, Stopped}, f.Status) {
		return nil, errs.Invalid(fmt.Sprintf("unknown status %q", f.Status), errs.FieldError{Path: "status", Message: "unknown status"})
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.To.After(f.From) {
		return nil, errs.Invalid("to must be after from", errs.FieldError{Path: "to", Message: "must be after from"})
	}
	at := f.At
	if at.IsZero() {
		at = s.Now()
	}
	all, err := s.store.List(ctx)
	if err != nil {
		return nil, err
	}
	var out []Campaign
	for _, c := range all {
		switch {
		case c.Archived() && !f.IncludeArchived:
			continue
		case f.Status != "" && c.StatusAt(at) != f.Status:
			continue
		case (!f.From.IsZero() || !f.To.IsZero()) && !overlaps(c, f.From, f.To):
			continue
		}
		out = append(out, c)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.StartsAt.IsZero() != b.StartsAt.IsZero() {
			return !a.StartsAt.IsZero()
		}
		if !a.StartsAt.Equal(b.StartsAt) {
			return a.StartsAt.Before(b.StartsAt)
		}
		return a.Key < b.Key
	})
	return out, nil
}

// overlaps reports whether c's window meets [from, to) (zero bounds are
// open).
func overlaps(c Campaign, from, to time.Time) bool {
	if c.StartsAt.IsZero() {
		return false
	}
	return (to.IsZero() || c.StartsAt.Before(to)) && (from.IsZero() || c.EndsAt.After(from))
}

// maxTimelineSpan bounds one timeline or transitions query.
const maxTimelineSpan = 5 * 366 * 24 * time.Hour

// Transitions returns every instant in [from, to) at which a campaign
// started, ended or was stopped, in time order (then key), read from the
// store — never from a cache — so a scheduler on any replica sees every
// committed write. Archived campaigns are included: their past still
// happened.
func (s *Service) Transitions(ctx context.Context, from, to time.Time) ([]Transition, error) {
	if !to.After(from) {
		return nil, errs.Invalid("to must be after from", errs.FieldError{Path: "to", Message: "must be after from"})
	}
	if to.Sub(from) > maxTimelineSpan {
		return nil, errs.Invalid("the range is longer than five years", errs.FieldError{Path: "to", Message: "at most five years after from"})
	}
	all, err := s.store.List(ctx)
	if err != nil {
		return nil, err
	}
	var out []Transition
	for _, c := range all {
		for _, t := range c.Transitions() {
			if !t.At.Before(from) && t.At.Before(to) {
				out = append(out, t)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].At.Equal(out[j].At) {
			return out[i].At.Before(out[j].At)
		}
		if out[i].Key != out[j].Key {
			return out[i].Key < out[j].Key
		}
		return out[i].Kind < out[j].Kind
	})
	return out, nil
}

// MaterializeDue folds the release publications visible now into the live
// publications (see Store.Materialize). A scheduler calls it after each
// start; delivery never needs it.
func (s *Service) MaterializeDue(ctx context.Context) (int, error) {
	n, err := s.store.Materialize(ctx, s.Now())
	if err != nil {
		return 0, fmt.Errorf("materializing due releases: %w", err)
	}
	if n > 0 {
		s.afterWrite(ctx)
	}
	return n, nil
}
