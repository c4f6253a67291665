package delivery

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/delivery/surrogate"
	"github.com/mosaichq/mosaic/experience"
	"github.com/mosaichq/mosaic/internal/tracing/span"
	"github.com/mosaichq/mosaic/measurement/consent"
	"github.com/mosaichq/mosaic/measurement/profile"
	"github.com/mosaichq/mosaic/personalization"
)

// Service answers delivery reads; one per server, shared by every surface.
type Service struct {
	Content *content.Service
	// Experience decides variants; nil serves every block's default.
	Experience *experience.Service
	// Policy is who may read.
	Policy Policy
	// Decisions records every entry decided for an identified visitor
	// (decision.go); nil records nothing.
	Decisions Recorder
	// RecordEveryServe: an answer showing an entry's decision id is its
	// visitor's alone, and each serve of it from a cache writes a record
	// (ShowEntryDecision); false: it is shared like any other answer, its
	// copies counted by the views naming its id (measurement/views.go).
	RecordEveryServe bool
	// Arms pins a visitor's experiment arms to its person's first
	// (measurement.ArmCache: memory only, never a database round trip);
	// nil: every visitor id buckets on its own.
	Arms ArmSource
	// Profiles tells a visitor's behaviour for segment rules
	// (profile.Cache: memory only, never a database round trip); nil:
	// behavioural rules see an empty history.
	Profiles ProfileSource
	// Caps counts people's exposures to capped targets from memory
	// (caps.go); nil: nobody is counted, capped targets are not shown.
	Caps CapSource
	// Recommender fills recommended reference lists (recommend.go); nil:
	// they deliver the editor's list.
	Recommender Recommender
}

// Now is the services' clock (injected in tests).
func (s *Service) Now() time.Time {
	switch {
	case s.Experience != nil:
		return s.Experience.Now()
	case s.Content != nil:
		return s.Content.Now()
	}
	return time.Now()
}

// Request is one delivered answer in the making. Zero skew: every answer
// is computed at one instant, fixed when the request arrives, so that no
// part of it straddles a transition; each field decides its variants and
// reads its content at that instant (or at an editor's context.at). The
// Request records what the answer depends on — the instants content was
// read at, the visitors it was decided for, transitions its parts named —
// so that Validity can say how long the answer stays true.
//
// Safe for concurrent use by the fields of one answer.
type Request struct {
	s   *Service
	now time.Time

	mu       sync.Mutex
	visitors map[string]*experience.Visitor
	instants []time.Time
	next     time.Time
	keys     []string // surrogate keys of what the answer shows
	// experiments are the experiments named by the variants of every
	// entry decided for the answer (Experiments).
	experiments []string
	// segments are the segments targeted by those variants (Segments);
	// firstSegment: a recommendation by segment read the visitor's first.
	segments     []string
	firstSegment bool
	travel       bool // a context.at was honoured
	simulated    bool // a simulated profile was decided with: recorded nowhere
	preview      bool // drafts were read
	agent        bool // the device came from the User-Agent
	shown        bool // a decision id is in the answer (ShowDecision)
	personal     bool // a per-person recommendation is in it (Personal)
	// capsRead: a person's cap counts were read (CapsRead); capChecks are
	// the caps read and what each counter answered, capsMixed: one was
	// read with two states (CapChecks).
	capsRead  bool
	capChecks []personalization.CapCheck
	capsMixed bool
	// profiles pins each visitor id's behaviour profile for the answer:
	// every field decides with the same version, however the cache moves.
	profiles map[string]*profile.Profile
	recorded []*Entry
	// linked are the entries decided through references (Linked), each
	// once per answer.
	linked map[linkKey]*linkedEntry
}

// NewRequest starts an answer at the service's current instant.
func (s *Service) NewRequest() *Request {
	return &Request{s: s, now: s.Now(), visitors: map[string]*experience.Visitor{}, keys: []string{surrogate.All}}
}

// Now is the request's instant.
func (q *Request) Now() time.Time { return q.now }

// Input is a client's experience context as its transport parsed it.
type Input struct {
	VisitorID string
	Segments  []string
	Traits    map[string]any
	Device    string
	Channel   string
	// Locale is the locale content is read in ("" for the default).
	Locale string
	// Consent, Purposes and TCF say what the visitor consented to (one of
	// them; measurement/consent reads them), GPC is the Sec-GPC: 1 header.
	Consent  *bool
	Purposes []string
	TCF      *string
	GPC      bool
	// At asks for another instant (time travel) and Preview for the latest
	// drafts: both need the preview permission. So does Simulated, a
	// made-up behaviour history that replaces the visitor's (editors
	// testing behavioural segments): such an answer is never shared or
	// recorded.
	At        *time.Time
	Preview   bool
	Simulated *profile.Simulation
	// UserAgent is the request's, when its transport has one: a web
	// request without a device gets its device from it.
	UserAgent string
	FromAgent bool
}

// Context applies the delivery rules to a client's context: at and
// preview need a preview-capable caller (FORBIDDEN otherwise, also for
// anonymous callers: they are not asking who they are but for something
// delivery does not offer); an API key limited to channels decides the
// channel; consent is measurement/consent's reading of consent, purposes,
// tcf and Sec-GPC (every purpose when none is sent); the locale is the one content is
// read in (else the default); the instant is the request's; a web request
// without a device gets one from its User-Agent.
func (q *Request) Context(ctx context.Context, in Input) (personalization.Context, error) {
	if in.At != nil || in.Preview || in.Simulated != nil {
		if err := Preview(ctx); err != nil {
			return personalization.Context{}, err
		}
	}
	c := personalization.Context{VisitorID: in.VisitorID, Segments: in.Segments, Traits: in.Traits,
		Device: in.Device, Locale: in.Locale}
	var err error
	if c.Purposes, err = consent.Resolve(consent.Input{Consent: in.Consent, Purposes: in.Purposes, TCF: in.TCF, GPC: in.GPC}); err != nil {
		return c, err
	}
	c.Arms = q.s.Pins(c.VisitorID, c.Purposes)
	c.Profile = q.profile(c.VisitorID, c.Purposes)
	c.Caps = q.s.caps(c)
	if c.Channel, err = Channel(ctx, in.Channel, "context.channel"); err != nil {
		return c, err
	}
	if c.Locale == "" && q.s.Content != nil {
		c.Locale = q.s.Content.Locales().Default
	}
	if in.At != nil {
		c.At = in.At.UTC()
		q.mark(func() { q.travel = true })
	} else {
		c.At = q.now
	}
	if in.Simulated != nil {
		if c.Profile, err = in.Simulated.Profile(c.At, "context.profile"); err != nil {
			return c, err
		}
		if c.Caps, err = simulatedCaps(in.Simulated, c.At); err != nil {
			return c, err
		}
		q.mark(func() { q.travel, q.simulated = true, true }) // never shared, like time travel
	}
	if c.Device == "" && (c.Channel == "" || c.Channel == "web") && in.FromAgent && q.s.Experience != nil {
		// Only a device the registry knows: an operator may have trimmed it.
		if d := personalization.DeviceFromUserAgent(in.UserAgent); slices.Contains(q.s.Experience.Registry().Devices, d) {
			c.Device = d
		}
		q.mark(func() { q.agent = true })
	}
	return c, nil
}

// Visitor is the request's visitor for a client's context: segments are
// computed once per request and context, however many fields decide for
// it. Nil (and no error) when delivery is not personalized.
func (q *Request) Visitor(ctx context.Context, in Input) (*experience.Visitor, error) {
	if q.s.Experience == nil {
		return nil, nil
	}
	c, err := q.Context(ctx, in)
	if err != nil {
		return nil, err
	}
	key, err := json.Marshal(c)
	if err != nil { // traits came from JSON: cannot happen
		return nil, err
	}
	if c.Profile != nil { // not in the JSON: a simulated one is not the visitor's
		key = fmt.Appendf(key, "%p", c.Profile)
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if v, ok := q.visitors[string(key)]; ok {
		return v, nil
	}
	v, err := q.s.Experience.Visitor(ctx, c)
	if err != nil {
		return nil, err
	}
	q.visitors[string(key)] = v
	return v, nil
}

// Class is the equivalence class of a client's context: two contexts of
// one class are decided alike (experience.Visitor.Key), so their answers
// may be shared. False when the context cannot be shared (a preview or
// time travel) or is refused (the executor answers those).
func (q *Request) Class(ctx context.Context, in Input) ([]byte, bool) {
	v, class, ok := q.ClassVisitor(ctx, in)
	if ok && v != nil {
		class = v.ClassKey(nil)
		class = v.AppendArms(class, v.Context().VisitorID, v.Context().Arms)
	}
	return class, ok
}

// ClassVisitor is Class in two parts: the class without the experiments'
// arms and without the segments (experience.Visitor.ContextKey: the
// caller adds the membership in the segments an answer's variants target,
// Segments, and the arms of its experiments) and the visitor that appends them
// (nil when delivery is not personalized), so that a caller may key other
// visitor ids of the same context with it.
func (q *Request) ClassVisitor(ctx context.Context, in Input) (*experience.Visitor, []byte, bool) {
	if in.At != nil || in.Preview || in.Simulated != nil {
		return nil, nil, false
	}
	if q.s.Experience == nil {
		return nil, []byte("none"), true
	}
	c, err := q.Context(ctx, in)
	if err != nil {
		return nil, nil, false
	}
	v, err := q.s.Experience.Visitor(ctx, c)
	if err != nil {
		return nil, nil, false
	}
	return v, v.ContextKey(nil), true
}

// Drafts says whether a field reads the latest drafts: only when asked,
// and only for a preview-capable caller. A preview answer is never
// shared: it holds unpublished content.
func (q *Request) Drafts(ctx context.Context, want bool) (bool, error) {
	if !want {
		return false, nil
	}
	if err := Preview(ctx); err != nil {
		return false, err
	}
	q.mark(func() { q.preview = true })
	return true, nil
}

// Instant is the instant a field decided for v reads content at: v's (the
// request's, or an editor's context.at), recorded so the answer's validity
// counts the next publication after it.
func (q *Request) Instant(v *experience.Visitor) time.Time {
	at := q.now
	if v != nil {
		at = v.Context().At
	}
	q.ReadAt(at)
	return at
}

// ReadAt records that content is read at instant t for this answer.
func (q *Request) ReadAt(t time.Time) {
	if t.IsZero() {
		return
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if !slices.ContainsFunc(q.instants, t.Equal) {
		q.instants = append(q.instants, t)
	}
}

// Bound records that the answer changes at instant t (a bundle's next
// frame, a campaign's next transition).
func (q *Request) Bound(t time.Time) {
	if t.IsZero() {
		return
	}
	q.mu.Lock()
	if q.next.IsZero() || t.Before(q.next) {
		q.next = t
	}
	q.mu.Unlock()
}

// TimeTravel marks the answer as read at an instant the caller chose.
func (q *Request) TimeTravel() { q.mark(func() { q.travel = true }) }

// Shape says what kind of answer this was, for caching it: at another
// instant (travel), from drafts (preview), or with a device derived from
// the User-Agent (agent).
func (q *Request) Shape() (travel, preview, agent bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.travel, q.preview, q.agent
}

func (q *Request) mark(f func()) {
	q.mu.Lock()
	f()
	q.mu.Unlock()
}

// Entry reads the entry a delivery field names — its latest drafts for a
// preview, else as published at v's instant — and decides it for v; nil
// when there is none.
func (q *Request) Entry(ctx context.Context, typ, slug, locale string, v *experience.Visitor, preview bool) (*Entry, error) {
	at := q.Instant(v)
	var res *content.Resolved
	var err error
	lctx, load := span.Start(ctx, "load")
	if preview {
		res, err = q.s.Content.PreviewEntry(lctx, typ, slug, locale)
	} else {
		res, err = q.s.Content.EntryAt(lctx, typ, slug, locale, at)
	}
	load.End()
	if err != nil || res == nil {
		return nil, err
	}
	_, decide := span.Start(ctx, "decide")
	release := q.s.holdCaps(v)
	e := q.Decide(res, locale, v, at, preview)
	if err := q.recommend(ctx, e); err != nil {
		decide.End()
		return nil, err
	}
	q.record(e)
	release()
	decide.End()
	return e, nil
}

// Decide is Decide for an entry of this answer: the answer is tagged
// with the entry and the campaigns its variants name. It records nothing:
// Entry, List and EntriesByIDs record what they decide, and a linked
// entry is decided through Linked, which records it when it read caps.
func (q *Request) Decide(r *content.Resolved, locale string, v *experience.Visitor, at time.Time, preview bool) *Entry {
	campaigns, experiments, segments := experience.VariantRefs(r)
	keys := append([]string{surrogate.Entry(r.ID)}, campaigns...)
	for i := 1; i < len(keys); i++ {
		keys[i] = surrogate.Campaign(keys[i])
	}
	if v != nil {
		// A campaign's holdout splits a class as an experiment does: the
		// cache keys on it under the name it is bucketed by.
		for _, c := range campaigns {
			if v.HasHoldout(c) {
				experiments = append(experiments, personalization.HoldoutSubject(c))
			}
		}
	}
	if len(experiments) > 0 || len(segments) > 0 {
		q.mu.Lock()
		for _, x := range experiments {
			if !slices.Contains(q.experiments, x) {
				q.experiments = append(q.experiments, x)
			}
		}
		for _, s := range segments {
			if !slices.Contains(q.segments, s) {
				q.segments = append(q.segments, s)
			}
		}
		q.mu.Unlock()
	}
	for i := range r.Blocks {
		if g := r.Blocks[i].GlobalID; g != "" {
			keys = append(keys, surrogate.Entry(g))
		}
	}
	q.Tag(keys...)
	e := Decide(r, locale, v, at, preview)
	q.capsDecided(e)
	return e
}

// Tag records surrogate keys of what the answer shows (an asset it
// delivers, a type it lists).
func (q *Request) Tag(keys ...string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, k := range keys {
		if !slices.Contains(q.keys, k) {
			q.keys = append(q.keys, k)
		}
	}
}

// Experiments are the experiments named by the variants of the entries
// decided for the answer so far, and the holdouts of their campaigns
// (personalization.HoldoutSubject), sorted: of a visitor's arms and
// cohorts, only these can have made a difference to it
// (Visitor.AppendArmsOf).
func (q *Request) Experiments() []string {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := slices.Clone(q.experiments)
	slices.Sort(out)
	return out
}

// Segments are the segments targeted by the variants of the entries
// decided for the answer so far, sorted, and whether the answer read the
// visitor's first segment (a recommendation by segment): of a visitor's
// segments, only these can have made a difference to it. A segment no
// variant of the answer targets never splits its answers between visitors.
func (q *Request) Segments() (targeted []string, first bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := slices.Clone(q.segments)
	slices.Sort(out)
	return out, q.firstSegment
}

// Keys are the answer's surrogate keys so far, All first.
func (q *Request) Keys() []string {
	q.mu.Lock()
	defer q.mu.Unlock()
	return slices.Clone(q.keys)
}

// List reads a page of entries at v's instant (drafts for a preview) and
// decides each for v.
func (q *Request) List(ctx context.Context, req content.ListRequest, v *experience.Visitor) ([]*Entry, *content.ListPage, error) {
	req.At = q.Instant(v)
	lctx, load := span.Start(ctx, "load")
	page, err := q.s.Content.List(lctx, req)
	load.End()
	if err != nil {
		return nil, nil, err
	}
	q.Tag(surrogate.Type(req.Type))
	_, decide := span.Start(ctx, "decide")
	defer decide.End()
	out := make([]*Entry, len(page.Items))
	for i, it := range page.Items {
		release := q.s.holdCaps(v)
		out[i] = q.Decide(it, req.Locale, v, req.At, req.Preview)
		if err := q.recommend(ctx, out[i]); err != nil {
			return nil, nil, err
		}
		q.record(out[i])
		release()
	}
	return out, page, nil
}

// EntriesByIDs reads published entries by id at v's instant (search
// hits) and decides each for v; ids with no published entry are absent.
func (q *Request) EntriesByIDs(ctx context.Context, ids []string, locale string, v *experience.Visitor) (map[string]*Entry, error) {
	at := q.Instant(v)
	lctx, load := span.Start(ctx, "load")
	found, err := q.s.Content.EntriesByIDsAt(lctx, ids, locale, at)
	load.End()
	if err != nil {
		return nil, err
	}
	_, decide := span.Start(ctx, "decide")
	defer decide.End()
	out := make(map[string]*Entry, len(found))
	for id, res := range found {
		release := q.s.holdCaps(v)
		out[id] = q.Decide(res, locale, v, at, false)
		if err := q.recommend(ctx, out[id]); err != nil {
			return nil, err
		}
		q.record(out[id])
		release()
	}
	return out, nil
}

// Validity is how long an answer stays what it is.
type Validity struct {
	// Epoch names the state the answer was computed in: the content change
	// epoch (every publish and every campaign write moves it) and the last
	// campaign transition (which moves with time alone).
	Epoch string
	// Until is the answer's next transition (zero: none): the earliest of
	// the transitions its parts named, of the campaigns its decisions
	// named, and of the next scheduled publication after each instant its
	// content was read at.
	Until time.Time
}

// Validity computes the answer's epoch and next transition.
func (q *Request) Validity(ctx context.Context) (Validity, error) {
	q.mu.Lock()
	until, instants := q.next, slices.Clone(q.instants)
	visitors := make([]*experience.Visitor, 0, len(q.visitors))
	for _, v := range q.visitors {
		visitors = append(visitors, v)
	}
	q.mu.Unlock()
	earliest := func(t time.Time) {
		if !t.IsZero() && (until.IsZero() || t.Before(until)) {
			until = t
		}
	}
	for _, v := range visitors {
		if t, ok := v.NextTransition(); ok {
			earliest(t)
		}
	}
	var changes int64
	if q.s.Content != nil {
		for _, t := range instants {
			next, ok, err := q.s.Content.NextPublication(ctx, t)
			if err != nil {
				return Validity{}, err
			}
			if ok {
				earliest(next)
			}
		}
		var err error
		if changes, err = q.s.Content.CurrentEpoch(ctx); err != nil {
			return Validity{}, err
		}
	}
	var last time.Time
	if q.s.Experience != nil {
		last, _ = q.s.Experience.CampaignClock(q.now)
	}
	return Validity{Epoch: FormatEpoch(changes, last), Until: until}, nil
}

// FormatEpoch names a state: the content change epoch and the last
// campaign transition (zero: none).
func FormatEpoch(changes int64, lastTransition time.Time) string {
	var ms int64
	if !lastTransition.IsZero() {
		ms = lastTransition.UnixMilli()
	}
	return strconv.FormatInt(changes, 10) + "-" + strconv.FormatInt(ms, 10)
}

// MaxAge is how long an answer computed at now may be cached: to its next
// transition, less a second for caches that count age in whole seconds,
// capped at limit. Zero: not at all.
func MaxAge(now, until time.Time, limit time.Duration) time.Duration {
	if !until.IsZero() {
		limit = min(limit, until.Sub(now)-time.Second)
	}
	if limit < time.Second {
		return 0
	}
	return limit.Truncate(time.Second)
}

// Personal says whether the answer is one person's alone: it holds a
// recommendation made for them (recommend.go). No cache may keep it or
// share it with the visitor's class. (An answer that read a person's
// cap counts is theirs too, but a function of its cap states: CapsRead.)
func (q *Request) Personal() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.personal
}
