package scheduler

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/mosaichq/mosaic/events"
)

// Kind is what happened to a campaign.
type Kind string

const (
	Started Kind = "started"
	Ended   Kind = "ended"
	Stopped Kind = "stopped"
)

// EventType is the event type announcing k (campaign.started, ...).
func (k Kind) EventType() string { return "campaign." + string(k) }

// Transition is one instant at which a campaign starts, ends or is stopped.
type Transition struct {
	CampaignID  string
	CampaignKey string
	Kind        Kind
	At          time.Time
	// Channels and Devices scope the campaign; empty means all.
	Channels []string
	Devices  []string
}

// Key identifies t for exactly-once.
func (t Transition) Key() Key {
	return Key{CampaignID: t.CampaignID, Kind: t.Kind, At: t.At.UTC().Truncate(time.Microsecond)}
}

// Key is what makes an announcement unique: a campaign, a kind, an instant
// (at the database's microsecond precision).
type Key struct {
	CampaignID string
	Kind       Kind
	At         time.Time
}

// Source lists campaign transitions: every start, end and stop instant in
// [from, to).
type Source interface {
	Transitions(ctx context.Context, from, to time.Time) ([]Transition, error)
}

// Store records announcements.
type Store interface {
	// Announced returns the keys of the announcements at or after since.
	Announced(ctx context.Context, since time.Time) (map[Key]bool, error)
	// Announce records t in the event log and publishes it, in one
	// transaction, unless it is already recorded (inserted is then false).
	Announce(ctx context.Context, t Transition) (e events.Event, inserted bool, err error)
	// Watermark is the instant through which every transition was
	// announced; ok is false before the first announcement round.
	Watermark(ctx context.Context) (t time.Time, ok bool, err error)
	// SetWatermark moves the watermark forward to t (never back).
	SetWatermark(ctx context.Context, t time.Time) error
	// Prune deletes events recorded before before, returning how many.
	Prune(ctx context.Context, before time.Time) (int64, error)
}

// Elector runs fn while this process leads: fn's context is cancelled when
// leadership is lost; Lead returns when ctx ends.
type Elector interface {
	Lead(ctx context.Context, fn func(ctx context.Context))
}

// Config tunes a Scheduler.
type Config struct {
	Now func() time.Time
	// Slack is how far before the watermark each round looks again: a stop
	// recorded with an instant the leader had already passed (a commit that
	// took a moment, a replica whose clock is behind) is still announced.
	// Default 5m.
	Slack time.Duration
	// MaxSleep bounds the wait between rounds when nothing is due sooner.
	// Default 30s.
	MaxSleep time.Duration
	// Retention is how long events stay in the log; 0 keeps them forever.
	// A new leader catches up on at most half of it.
	Retention time.Duration
	// PruneEvery is how often the leader prunes. Default 1h.
	PruneEvery time.Duration
	Log        *slog.Logger
	// Announced, when set, is told of every announcement this process made.
	Announced func(e events.Event)
	// Delayed, when set, is told how long after its instant each
	// transition this process announced was announced (the operators'
	// mosaic_campaign_transition_delay_seconds).
	Delayed func(t Transition, delay time.Duration)
}

func (c Config) withDefaults() Config {
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Slack <= 0 {
		c.Slack = 5 * time.Minute
	}
	if c.MaxSleep <= 0 {
		c.MaxSleep = 30 * time.Second
	}
	if c.PruneEvery <= 0 {
		c.PruneEvery = time.Hour
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	return c
}

// Scheduler announces campaign transitions while its process leads.
type Scheduler struct {
	source  Source
	store   Store
	elector Elector
	cfg     Config
	wake    chan struct{}

	mu       sync.Mutex
	leading  bool
	started  bool
	stopOnce sync.Once
	cancel   context.CancelFunc
	done     chan struct{}
}

// New returns a scheduler; Start begins campaigning for leadership.
func New(source Source, store Store, elector Elector, cfg Config) *Scheduler {
	return &Scheduler{source: source, store: store, elector: elector, cfg: cfg.withDefaults(),
		wake: make(chan struct{}, 1), done: make(chan struct{})}
}

// Start returns at once; the scheduler runs until Stop.
func (s *Scheduler) Start(ctx context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started {
		return
	}
	s.started = true
	ctx, s.cancel = context.WithCancel(context.WithoutCancel(ctx))
	go func() {
		defer close(s.done)
		s.elector.Lead(ctx, s.lead)
	}()
}

// Stop ends leading (releasing leadership) and waits. Safe to call twice.
func (s *Scheduler) Stop() {
	s.stopOnce.Do(func() {
		s.mu.Lock()
		cancel, started := s.cancel, s.started
		s.mu.Unlock()
		if started {
			cancel()
			<-s.done
		}
	})
}

// Wake makes the leader look at campaigns again now (they changed).
func (s *Scheduler) Wake() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// OverdueWindow is how far back Overdue looks for transitions that fell
// due and were not announced.
const OverdueWindow = 15 * time.Minute

// Overdue is how long the oldest transition of the last OverdueWindow
// that is due and not announced has been waiting (0: none). Any replica
// can ask, leader or not: it is what an operator alerts on when
// announcements stop, whoever should be making them.
func (s *Scheduler) Overdue(ctx context.Context) (time.Duration, error) {
	now := s.cfg.Now()
	from := now.Add(-OverdueWindow)
	trs, err := s.source.Transitions(ctx, from, now.Add(time.Microsecond))
	if err != nil {
		return 0, err
	}
	var worst time.Duration
	var done map[Key]bool
	for _, t := range trs {
		if t.At.After(now) {
			continue
		}
		if done == nil { // read only when something fell due
			if done, err = s.store.Announced(ctx, from); err != nil {
				return 0, err
			}
		}
		if !done[t.Key()] {
			worst = max(worst, now.Sub(t.At))
		}
	}
	return worst, nil
}

// Leading reports whether this process leads now.
func (s *Scheduler) Leading() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.leading
}

func (s *Scheduler) setLeading(v bool) {
	s.mu.Lock()
	s.leading = v
	s.mu.Unlock()
}

// lead runs rounds until leadership ends.
func (s *Scheduler) lead(ctx context.Context) {
	s.setLeading(true)
	defer s.setLeading(false)
	s.cfg.Log.InfoContext(ctx, "scheduler: leading")
	timer := time.NewTimer(0)
	defer timer.Stop()
	var lastPrune time.Time
	retry := time.Second
	for {
		select {
		case <-ctx.Done():
			s.cfg.Log.InfoContext(ctx, "scheduler: no longer leading")
			return
		case <-timer.C:
		case <-s.wake:
		}
		next, err := s.round(ctx)
		wait := s.cfg.MaxSleep
		switch {
		case err != nil:
			if ctx.Err() == nil {
				s.cfg.Log.ErrorContext(ctx, "scheduler: announcing transitions", "error", err, "retry in", retry)
			}
			wait, retry = retry, min(retry*2, s.cfg.MaxSleep)
		case !next.IsZero():
			wait, retry = min(wait, next.Sub(s.cfg.Now())), time.Second
		default:
			retry = time.Second
		}
		timer.Reset(max(wait, 0))
		if s.cfg.Retention > 0 && s.cfg.Now().Sub(lastPrune) >= s.cfg.PruneEvery {
			lastPrune = s.cfg.Now()
			s.prune(ctx)
		}
	}
}

// round announces every due transition not yet announced and returns the
// next transition's instant (zero when none is known within MaxSleep).
func (s *Scheduler) round(ctx context.Context) (time.Time, error) {
	now := s.cfg.Now()
	from := now.Add(-s.cfg.Slack)
	mark, ok, err := s.store.Watermark(ctx)
	if err != nil {
		return time.Time{}, err
	}
	if ok && mark.Add(-s.cfg.Slack).Before(from) {
		from = mark.Add(-s.cfg.Slack)
	}
	// Never look back past what retention may have deleted: a pruned
	// announcement would look unmade and be made again.
	if floor := now.Add(-s.cfg.Retention / 2); s.cfg.Retention > 0 && from.Before(floor) {
		from = floor
	}
	trs, err := s.source.Transitions(ctx, from, now.Add(s.cfg.MaxSleep))
	if err != nil {
		return time.Time{}, err
	}
	var due []Transition
	var next time.Time
	for _, t := range trs {
		switch {
		case !t.At.After(now):
			due = append(due, t)
		case next.IsZero() || t.At.Before(next):
			next = t.At
		}
	}
	if len(due) > 0 {
		if err := s.announce(ctx, from, due); err != nil {
			return time.Time{}, err
		}
	}
	return next, s.store.SetWatermark(ctx, now)
}

func (s *Scheduler) announce(ctx context.Context, from time.Time, due []Transition) error {
	done, err := s.store.Announced(ctx, from)
	if err != nil {
		return err
	}
	// Oldest first, so that a campaign's start is announced before its end
	// when both fell due while nobody led.
	slices.SortStableFunc(due, func(a, b Transition) int { return a.At.Compare(b.At) })
	for _, t := range due {
		if done[t.Key()] {
			continue
		}
		e, inserted, err := s.store.Announce(ctx, t)
		if err != nil {
			return err
		}
		if !inserted {
			continue // another scheduler got there first
		}
		s.cfg.Log.InfoContext(ctx, "scheduler: announced", "event", e.ID, "type", e.Type,
			"campaign", t.CampaignKey, "at", t.At, "delay", e.CreatedAt.Sub(t.At))
		if s.cfg.Announced != nil {
			s.cfg.Announced(e)
		}
		if s.cfg.Delayed != nil {
			s.cfg.Delayed(t, e.CreatedAt.Sub(t.At))
		}
	}
	return nil
}

func (s *Scheduler) prune(ctx context.Context) {
	n, err := s.store.Prune(ctx, s.cfg.Now().Add(-s.cfg.Retention))
	if err != nil {
		s.cfg.Log.WarnContext(ctx, "scheduler: pruning the event log", "error", err)
		return
	}
	if n > 0 {
		s.cfg.Log.InfoContext(ctx, "scheduler: pruned the event log", "events", n)
	}
}
