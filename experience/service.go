package experience

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/personalization"
)

// Config configures a Service.
type Config struct {
	// Registry lists the known devices and channels. Default:
	// personalization.DefaultRegistry().
	Registry personalization.Registry
	// Campaigns supplies campaigns; nil means none (see CampaignSource).
	Campaigns CampaignSource
	// Now is the clock for requests that do not say when they are; tests
	// inject one. Default: time.Now.
	Now    func() time.Time
	Logger *slog.Logger
}

func (c Config) withDefaults() Config {
	if len(c.Registry.Devices) == 0 && len(c.Registry.Channels) == 0 {
		c.Registry = personalization.DefaultRegistry()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

func (c Config) validate() error {
	for _, list := range []struct {
		what   string
		tokens []string
	}{{"device", c.Registry.Devices}, {"channel", c.Registry.Channels}} {
		if len(list.tokens) == 0 {
			return fmt.Errorf("experience: the %s registry is empty", list.what)
		}
		for i, t := range list.tokens {
			if !keyPattern.MatchString(t) {
				return fmt.Errorf("experience: %s %q is not a valid token (letters, digits, _ or -)", list.what, t)
			}
			if slices.Contains(list.tokens[:i], t) {
				return fmt.Errorf("experience: %s %q is listed twice", list.what, t)
			}
		}
	}
	return nil
}

// Service owns segments and experiments and the engine built from them. It
// is safe for concurrent use.
type Service struct {
	store Store
	cfg   Config

	// snap is the engine every request reads; reloads swap it whole.
	snap atomic.Pointer[snapshot]
	// reloadMu serialises reloads: each one reads the store after the
	// previous one finished, so the last swap is never older than the one
	// it replaces.
	reloadMu sync.Mutex
}

// snapshot is one consistent build of the engine and what it was built from.
type snapshot struct {
	engine      *personalization.Engine
	experiments map[string]Experiment
	// segments are the stored segment keys, rule or not (variants may
	// target only these; see CheckVariants), sorted.
	segments []string
	// gen numbers the builds of this process: a response computed with
	// one engine is never reused with another (Visitor.Key).
	gen uint64
}

// snapshots counts engine builds.
var snapshots atomic.Uint64

// New returns a Service over store and loads the engine: a service that
// cannot read its definitions cannot decide, so it fails fast.
func New(ctx context.Context, store Store, cfg Config) (*Service, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	s := &Service{store: store, cfg: cfg}
	if err := s.Reload(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// Registry returns the device and channel registry.
func (s *Service) Registry() personalization.Registry { return s.cfg.Registry }

// Now is the service's clock.
func (s *Service) Now() time.Time { return s.cfg.Now() }

// CampaignClock returns, over every campaign the engine knows, the last
// transition (start, end or stop) at or before t and the next one after t;
// a zero time means none. A response computed at t stays true until next
// (barring writes), and the last transition names the state it was
// computed in.
func (s *Service) CampaignClock(t time.Time) (last, next time.Time) {
	snap := s.snap.Load()
	if snap == nil {
		return time.Time{}, time.Time{}
	}
	last, _ = snap.engine.LastTransition(t)
	next, _ = snap.engine.NextTransition(t)
	return last, next
}

// Reload rebuilds the engine from the store and swaps it in. The change
// feed calls it when any replica changed segments, experiments or
// campaigns (and after a reconnect, when notifications may have been lost).
func (s *Service) Reload(ctx context.Context) error {
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	segs, err := s.store.Segments(ctx)
	if err != nil {
		return fmt.Errorf("loading segments: %w", err)
	}
	exps, err := s.store.Experiments(ctx)
	if err != nil {
		return fmt.Errorf("loading experiments: %w", err)
	}
	var camps []personalization.Campaign
	if s.cfg.Campaigns != nil {
		if camps, err = s.cfg.Campaigns.Campaigns(ctx); err != nil {
			return fmt.Errorf("loading campaigns: %w", err)
		}
	}
	snap, err := s.build(ctx, segs, exps, camps)
	if err != nil {
		return err
	}
	snap.gen = snapshots.Add(1)
	s.snap.Store(snap)
	return nil
}

func (s *Service) build(ctx context.Context, segs []Segment, exps []Experiment, camps []personalization.Campaign) (*snapshot, error) {
	defs := make([]personalization.Segment, 0, len(segs))
	for _, sg := range segs {
		if strings.TrimSpace(sg.Rule) != "" {
			// Checked when saved; one that stopped compiling must not
			// take every other segment, and delivery, down with it.
			if _, err := personalization.CompileRule(sg.Rule); err != nil {
				s.cfg.Logger.ErrorContext(ctx, "stored segment rule does not compile; segment left out", "segment", sg.Key, "error", err)
				continue
			}
		}
		defs = append(defs, personalization.Segment{Key: sg.Key, Name: sg.Name, Rule: sg.Rule})
	}
	set, err := personalization.CompileSegments(defs, s.cfg.Logger)
	if err != nil {
		return nil, fmt.Errorf("compiling segments: %w", err)
	}
	snap := &snapshot{experiments: make(map[string]Experiment, len(exps))}
	for _, sg := range segs {
		snap.segments = append(snap.segments, sg.Key)
	}
	slices.Sort(snap.segments)
	engineExps := make([]personalization.Experiment, 0, len(exps))
	for _, x := range exps {
		snap.experiments[x.Key] = x
		engineExps = append(engineExps, x.engineExperiment())
	}
	snap.engine, err = personalization.NewEngine(personalization.Options{
		Segments: set, Experiments: engineExps, Campaigns: camps, Now: s.cfg.Now,
	})
	if err != nil {
		return nil, fmt.Errorf("building the decision engine: %w", err)
	}
	return snap, nil
}

// afterWrite rebuilds the engine so the writer sees its change at once. The
// write itself succeeded: a failed rebuild is logged, not returned, and the
// change feed's notification retries it.
func (s *Service) afterWrite(ctx context.Context) {
	if err := s.Reload(ctx); err != nil {
		s.cfg.Logger.ErrorContext(ctx, "rebuilding the decision engine after a write", "error", err)
	}
}

// Segments lists the segment definitions, sorted by key.
func (s *Service) Segments(ctx context.Context) ([]Segment, error) { return s.store.Segments(ctx) }

// Segment returns one segment or NOT_FOUND.
func (s *Service) Segment(ctx context.Context, key string) (Segment, error) {
	list, err := s.store.Segments(ctx)
	if err != nil {
		return Segment{}, err
	}
	for _, sg := range list {
		if sg.Key == key {
			return sg, nil
		}
	}
	return Segment{}, errs.E(errs.NotFound, "segment %q not found", key)
}

// CreateSegment validates (rule compiled, errors with line and column) and
// stores a new segment.
func (s *Service) CreateSegment(ctx context.Context, actor string, sg Segment) (Segment, error) {
	sg.Rule = strings.TrimSpace(sg.Rule)
	if err := validateSegment(sg); err != nil {
		return Segment{}, err
	}
	sg.UpdatedBy = actor
	out, err := s.store.CreateSegment(ctx, sg)
	if err != nil {
		return Segment{}, err
	}
	s.afterWrite(ctx)
	return out, nil
}

// UpdateSegment replaces a segment's name and rule if expectedVersion is
// current.
func (s *Service) UpdateSegment(ctx context.Context, actor string, sg Segment, expectedVersion int) (Segment, error) {
	sg.Rule = strings.TrimSpace(sg.Rule)
	if err := validateSegment(sg); err != nil {
		return Segment{}, err
	}
	sg.UpdatedBy = actor
	out, err := s.store.UpdateSegment(ctx, sg, expectedVersion)
	if err != nil {
		return Segment{}, err
	}
	s.afterWrite(ctx)
	return out, nil
}

// DeleteSegment removes a segment; variants naming it simply stop matching
// (unless clients send it explicitly).
func (s *Service) DeleteSegment(ctx context.Context, actor, key string) error {
	if err := s.store.DeleteSegment(ctx, key, actor); err != nil {
		return err
	}
	s.afterWrite(ctx)
	return nil
}

// Experiments lists the experiments, sorted by key.
func (s *Service) Experiments(ctx context.Context) ([]Experiment, error) {
	return s.store.Experiments(ctx)
}

// Experiment returns one experiment or NOT_FOUND.
func (s *Service) Experiment(ctx context.Context, key string) (Experiment, error) {
	list, err := s.store.Experiments(ctx)
	if err != nil {
		return Experiment{}, err
	}
	for _, x := range list {
		if x.Key == key {
			return x, nil
		}
	}
	return Experiment{}, errs.E(errs.NotFound, "experiment %q not found", key)
}

// CreateExperiment validates and stores a new experiment.
func (s *Service) CreateExperiment(ctx context.Context, actor string, x Experiment) (Experiment, error) {
	if err := validateExperiment(x); err != nil {
		return Experiment{}, err
	}
	x.UpdatedBy = actor
	if x.Status == "" {
		x.Status = Running
	}
	if x.Status != Running && x.Status != Draft {
		return Experiment{}, errs.Invalid("invalid experiment", errs.FieldError{Path: "status",
			Message: "a new experiment is RUNNING or a DRAFT; stop it with stopExperiment"})
	}
	out, err := s.store.CreateExperiment(ctx, x)
	if err != nil {
		return Experiment{}, err
	}
	s.afterWrite(ctx)
	return out, nil
}

// UpdateExperiment replaces an experiment's name, arms and holdout if
// expectedVersion is current. Bucketing is rendezvous hashing, so changing
// weights moves as few visitors as possible (see personalization.Bucket).
func (s *Service) UpdateExperiment(ctx context.Context, actor string, x Experiment, expectedVersion int) (Experiment, error) {
	if err := validateExperiment(x); err != nil {
		return Experiment{}, err
	}
	x.UpdatedBy = actor
	out, err := s.store.UpdateExperiment(ctx, x, expectedVersion)
	if err != nil {
		return Experiment{}, err
	}
	s.afterWrite(ctx)
	return out, nil
}

// StartExperiment moves a DRAFT experiment to RUNNING: from now on it
// buckets visitors. Anything but a draft is CONFLICT.
func (s *Service) StartExperiment(ctx context.Context, actor, key string) (Experiment, error) {
	out, err := s.store.MoveExperiment(ctx, key, []Status{Draft}, Running, "", actor)
	if err != nil {
		return Experiment{}, err
	}
	s.afterWrite(ctx)
	return out, nil
}

// StopExperiment moves a RUNNING (or DRAFT) experiment to STOPPED: it
// buckets nobody from now on and every visitor sees the block's default.
// winner, when given, must be one of its arms; it is recorded only (rolling
// the winner's copy out to the default is an editor's content change).
// Stopping a stopped experiment is CONFLICT: stopping is final.
func (s *Service) StopExperiment(ctx context.Context, actor, key, winner string) (Experiment, error) {
	if winner != "" {
		xs, err := s.store.Experiments(ctx)
		if err != nil {
			return Experiment{}, err
		}
		i := slices.IndexFunc(xs, func(x Experiment) bool { return x.Key == key })
		if i >= 0 && !xs[i].hasArm(winner) {
			return Experiment{}, errs.Invalid("invalid winner", errs.FieldError{Path: "winner",
				Message: fmt.Sprintf("experiment %q has no arm %q", key, winner)})
		}
	}
	out, err := s.store.MoveExperiment(ctx, key, []Status{Draft, Running}, Stopped, winner, actor)
	if err != nil {
		return Experiment{}, err
	}
	s.afterWrite(ctx)
	return out, nil
}

// DeleteExperiment removes an experiment; variants naming it become
// ineligible and their blocks show the default.
func (s *Service) DeleteExperiment(ctx context.Context, actor, key string) error {
	if err := s.store.DeleteExperiment(ctx, key, actor); err != nil {
		return err
	}
	s.afterWrite(ctx)
	return nil
}

// BuildReadsVisitorID is Build and whether that build's segment rules may
// read the visitor id (personalization.SegmentSet.ReadsVisitorID), from one
// snapshot: a class keyed without the id is only valid for a build whose
// rules do not read it.
func (s *Service) BuildReadsVisitorID() (uint64, bool) {
	if snap := s.snap.Load(); snap != nil {
		return snap.gen, snap.engine.ReadsVisitorID()
	}
	return 0, false
}

// ReadsBehaviour says whether the current build's segment rules read
// the person's behaviour (events, profile): only then does delivery
// look a visitor's profile up.
func (s *Service) ReadsBehaviour() bool {
	snap := s.snap.Load()
	return snap != nil && snap.engine.ReadsBehaviour()
}

// Build numbers the engine build decisions are made with now: it moves
// whenever segments, experiments or campaigns change (Reload), so a
// cached answer keyed on it is never served across such a change.
func (s *Service) Build() uint64 {
	if snap := s.snap.Load(); snap != nil {
		return snap.gen
	}
	return 0
}
