package personalization

import (
	"context"
	"slices"
	"time"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/measurement/consent"
)

// Options are an Engine's inputs. The engine copies them: build a new
// Engine when segments, campaigns or experiments change, and swap it in
// (for example with an atomic.Pointer).
type Options struct {
	// Segments are the compiled rule segments; nil means explicit only.
	Segments *SegmentSet
	// Campaigns and Experiments are looked up by the keys variants name.
	// A variant naming an unknown key is never eligible.
	Campaigns   []Campaign
	Experiments []Experiment
	// Now supplies the instant for a Context with a zero At.
	// Default: time.Now.
	Now func() time.Time
}

// Engine picks one variant per block for a visitor. It does no I/O, holds
// no mutable state and is safe for concurrent use.
type Engine struct {
	segments    *SegmentSet
	campaigns   map[string]*Campaign
	campaignAll []Campaign
	experiments map[string]*Experiment
	// experimentKeys are the experiments' keys, sorted (Visitor.Key).
	experimentKeys []string
	now            func() time.Time
}

// NewEngine builds an engine. It fails only on ambiguous input: an empty
// or duplicate campaign or experiment key. Other problems (a bad weight,
// an empty window) are caught by Campaign.Validate and
// Experiment.Validate when saved, and only make the affected variants
// ineligible here, so one bad record cannot take delivery down.
func NewEngine(opts Options) (*Engine, error) {
	e := &Engine{
		segments:    opts.Segments,
		campaigns:   make(map[string]*Campaign, len(opts.Campaigns)),
		campaignAll: slices.Clone(opts.Campaigns),
		experiments: make(map[string]*Experiment, len(opts.Experiments)),
		now:         opts.Now,
	}
	if e.now == nil {
		e.now = time.Now
	}
	for i := range e.campaignAll {
		c := &e.campaignAll[i]
		// Deep copy: the engine must not change under a caller mutating
		// its inputs.
		c.Channels = slices.Clone(c.Channels)
		if c.Cap != nil {
			cp := *c.Cap
			c.Cap = &cp
		}
		if c.StoppedAt != nil {
			stopped := *c.StoppedAt
			c.StoppedAt = &stopped
		}
		if c.Key == "" || e.campaigns[c.Key] != nil {
			return nil, errs.E(errs.BadUserInput, "campaign key %q is empty or duplicated", c.Key)
		}
		e.campaigns[c.Key] = c
	}
	for _, x := range opts.Experiments {
		if x.Key == "" || e.experiments[x.Key] != nil {
			return nil, errs.E(errs.BadUserInput, "experiment key %q is empty or duplicated", x.Key)
		}
		x.Arms = slices.Clone(x.Arms)
		if x.Cap != nil {
			cp := *x.Cap
			x.Cap = &cp
		}
		e.experiments[x.Key] = &x
		e.experimentKeys = append(e.experimentKeys, x.Key)
	}
	slices.Sort(e.experimentKeys)
	return e, nil
}

// ReadsVisitorID says whether a segment rule may read context.visitorId.
func (e *Engine) ReadsVisitorID() bool { return e.segments.ReadsVisitorID() }

// ReadsBehaviour says whether a segment rule reads events or profile:
// only then is a visitor's profile worth loading.
func (e *Engine) ReadsBehaviour() bool { return e.segments.ReadsBehaviour() }

// NextTransition is NextTransition over the engine's campaigns.
func (e *Engine) NextTransition(after time.Time) (time.Time, bool) {
	return NextTransition(e.campaignAll, after)
}

// Decision is the outcome for one block.
type Decision struct {
	BlockID string
	// Variant is "default" or the chosen variant's key.
	Variant string
	// Reason says why in words, e.g. "segment vip matched, device mobile
	// matched", "live campaign winter-sale (priority 10)",
	// "no variant matched: default".
	Reason string
	// Campaign is the chosen variant's campaign key, if any.
	Campaign string
	// Experiment and Arm are set when the visitor was exposed to an
	// experiment arm in this block: the chosen variant's arm, or an arm
	// that has no variant here and is therefore served the default.
	// Record exposures from these.
	Experiment string
	Arm        string
	// Overrides are the chosen variant's fields (nil for default), to be
	// applied with Merge. Shared with the input: do not modify.
	Overrides map[string]any
	// Suppressed are the variants that were eligible but skipped for a
	// frequency cap, in block order: the reach lost to caps.
	Suppressed []Suppression
	// CapsRead says the decision read the person's cap counts: it is this
	// person's own, and no cache may share it with the visitor's class.
	CapsRead bool
	// CapChecks are the caps it read, in order, with what each counter
	// answered: with the visitor's class, segments and arms, they decide
	// the decision (CapCheck).
	CapChecks []CapCheck
	// HoldoutCampaign is set when the winning variant's campaign has a
	// holdout: the campaign, and HeldOut whether this person is in its
	// holdout. A held-out person is shown the default (Variant
	// "default", Campaign empty: nothing of the campaign is delivered);
	// the decision record names the campaign with arm HoldoutArm, so the
	// control group is counted.
	HoldoutCampaign string
	HeldOut         bool
	// CapBlock is the id the block's variant caps count on when it is not
	// BlockID (Block.CapID: a global block's entry); "" otherwise.
	CapBlock string
}

// Exposed are the cap targets the decision exposes the person to
// (Exposed, with the block its variant caps count on).
func (d *Decision) Exposed() []CapTarget {
	block := d.BlockID
	if d.CapBlock != "" {
		block = d.CapBlock
	}
	return Exposed(block, d.Variant, d.Campaign, d.Experiment)
}

// Suppression is one variant skipped for a cap.
type Suppression struct {
	Variant    string
	Campaign   string
	Experiment string
	// Scope is what the cap that stopped it was on.
	Scope CapScope
	// Pending: the cap waited on this replica's last exposure to be
	// counted across replicas, rather than being reached.
	Pending bool
	// Note is the reason in words ("capped: seen 3 of 3 times this week").
	Note string
	// Cap is the cap that stopped it; Key its target's key (the variant,
	// campaign or experiment key).
	Cap Cap
	Key string
}

// Visitor is one request's view of a visitor: consent applied, the instant
// fixed and segments computed once. Build it once per request with
// Engine.Visitor and use it for every block and entry; it is immutable and
// safe for concurrent use (gqlgen resolves fields concurrently).
type Visitor struct {
	e        *Engine
	ctx      Context
	segments []string
	// bucketKey is what experiments bucket on: the visitor id with
	// measurement consent, else a key that lasts a UTC day (sessionKey).
	bucketKey string
}

// Visitor prepares c for deciding: without personalization consent,
// Segments and Traits are dropped before anything looks at them; without
// measurement, experiments bucket on a key that lasts the day; a zero At
// becomes Options.Now(); rule segments are evaluated (cancelling ctx
// interrupts long-running rules).
func (e *Engine) Visitor(ctx context.Context, c Context) *Visitor {
	if !c.Purposes.Has(consent.Personalization) {
		c.Segments, c.Traits, c.Profile = nil, nil, nil
	}
	if c.At.IsZero() {
		if e.now == nil { // a zero Engine, not built by NewEngine
			c.At = time.Now()
		} else {
			c.At = e.now()
		}
	}
	if ctx == nil {
		ctx = context.Background()
	}
	return &Visitor{e: e, ctx: c, segments: e.segments.EvaluateContext(ctx, c), bucketKey: bucketKey(c)}
}

// bucketKey is the visitor id with measurement consent. Without it, the
// visitor id and the UTC day of At: a refresh keeps the arm, tomorrow may
// not, and the key is stored nowhere (decision records carry no visitor
// id then). Empty without a visitor id: never bucketed.
func bucketKey(c Context) string {
	if c.VisitorID == "" || c.Purposes.Has(consent.Measurement) {
		return c.VisitorID
	}
	return "day:" + c.At.UTC().Format(time.DateOnly) + ":" + c.VisitorID
}

// Measured reports whether experiments bucket on the visitor id (the
// visitor granted measurement): what a decision record may link to it.
func (v *Visitor) Measured() bool { return v.ctx.Purposes.Has(consent.Measurement) }

// Context returns the effective context (consent applied, At set).
func (v *Visitor) Context() Context { return v.ctx }

// Segments returns the visitor's segments: explicit, then matching rules.
func (v *Visitor) Segments() []string { return slices.Clone(v.segments) }

// Decide is Visitor(background, c).Decide(b): fine for one block; for a
// page use DecidePage, or Engine.Visitor once per request.
func (e *Engine) Decide(c Context, b Block) Decision {
	return e.Visitor(context.Background(), c).Decide(b)
}

// DecidePage decides every block, computing segments once.
func (e *Engine) DecidePage(c Context, blocks []Block) []Decision {
	return e.Visitor(context.Background(), c).DecidePage(blocks)
}

// Decide picks exactly one variant of b.
func (v *Visitor) Decide(b Block) Decision {
	d := decider{v: v}
	return d.decide(&b)
}

// DecidePage returns one Decision per block, in order.
func (v *Visitor) DecidePage(blocks []Block) []Decision {
	out := make([]Decision, len(blocks))
	d := decider{v: v}
	for i := range blocks {
		out[i] = d.decide(&blocks[i])
	}
	return out
}

// decider holds per-call scratch: bucketing results are cached so each
// experiment is hashed once per call, however many blocks use it.
type decider struct {
	v       *Visitor
	buckets []bucketResult
	// holdouts are the campaign holdouts decided so far (holdout.go).
	holdouts []holdoutResult
	// suppressed and capsRead are the current block's (choose resets
	// them).
	suppressed      []Suppression
	suppressedRanks []rank
	capsRead        bool
	checks          []CapCheck
	block           string // the block being decided (cap targets name it)
	// windows memoizes cap windows for the call: one campaign cap is
	// checked in many blocks at one instant.
	windows []capWindow
}

type bucketResult struct {
	exp    string
	arm    string
	status bucketStatus
	known  bool
	pinned bool
}

// armOf is the visitor's arm of x: the pinned one (Context.Arms, with
// measurement consent) while it is open, else bucketed on bucketKey.
func (v *Visitor) armOf(x *Experiment) (string, bucketStatus, bool) {
	if arm, ok := v.pinned(x, v.ctx.Arms); ok {
		return arm, bucketed, true
	}
	arm, st := bucket(*x, v.bucketKey)
	return arm, st, false
}

// pinned is the person's arm of x among pins, when it is still an arm
// that takes traffic and the visitor granted measurement.
func (v *Visitor) pinned(x *Experiment, pins map[string]string) (string, bool) {
	if pin, ok := pins[x.Key]; ok && !x.Stopped && v.Measured() {
		for _, a := range x.Arms {
			if a.Key == pin && a.Weight > 0 {
				return pin, true
			}
		}
	}
	return "", false
}

// armFor is armOf for another visitor of v's class: id visitorID, its
// person's arms pins. The response cache keys every visitor of a class
// with one Visitor, so the day a key without measurement consent buckets
// on is today's (the engine's clock), not the day v was built.
func (v *Visitor) armFor(x *Experiment, visitorID string, pins map[string]string) (string, bucketStatus) {
	if arm, ok := v.pinned(x, pins); ok {
		return arm, bucketed
	}
	c := v.ctx
	c.VisitorID = visitorID
	if v.e.now != nil {
		c.At = v.e.now()
	}
	return bucket(*x, bucketKey(c))
}

func (d *decider) bucket(exp string) bucketResult {
	for _, r := range d.buckets {
		if r.exp == exp {
			return r
		}
	}
	r := bucketResult{exp: exp}
	if x, ok := d.v.e.experiments[exp]; ok {
		r.known = true
		r.arm, r.status, r.pinned = d.v.armOf(x)
	}
	d.buckets = append(d.buckets, r)
	return r
}

// rank orders eligible variants; see the package doc for precedence.
type rank struct {
	live        bool // owned by a live campaign
	campaign    int  // that campaign's priority
	specificity int
	priority    int
	index       int
}

// beats reports whether r wins over o, and the criterion that decided.
func (r rank) beats(o rank) (bool, string) {
	switch {
	case r.live != o.live:
		return r.live, "live campaign first"
	case r.campaign != o.campaign:
		return r.campaign > o.campaign, "higher campaign priority"
	case r.specificity != o.specificity:
		return r.specificity > o.specificity, "more specific targeting"
	case r.priority != o.priority:
		return r.priority > o.priority, "higher priority"
	}
	return r.index < o.index, "earlier in the list"
}

// choose returns the index of the winning variant, or -1 for default.
func (d *decider) choose(b *Block) int {
	d.suppressed, d.suppressedRanks, d.capsRead, d.checks, d.block = nil, d.suppressedRanks[:0], false, nil, b.capID()
	best, bestRank := -1, rank{}
	for i := range b.Variants {
		r, ok := d.eligible(&b.Variants[i], i, nil)
		if !ok {
			continue
		}
		if win, _ := r.beats(bestRank); best < 0 || win {
			best, bestRank = i, r
		}
	}
	if len(d.suppressed) > 0 && best >= 0 {
		// Only a capped variant that would have won lost reach to its cap.
		kept := d.suppressed[:0]
		for i, s := range d.suppressed {
			if win, _ := d.suppressedRanks[i].beats(bestRank); win {
				kept = append(kept, s)
			}
		}
		d.suppressed = kept
		if len(kept) == 0 {
			d.suppressed = nil
		}
	}
	return best
}

func (d *decider) decide(b *Block) Decision {
	best := d.choose(b)
	var dec Decision
	var held *Campaign
	var pinned bool
	if best >= 0 {
		var c *Campaign
		var out bool
		if c, out, pinned = d.holdout(&b.Variants[best]); out {
			held = c
		} else if c != nil {
			dec.HoldoutCampaign = c.Key
		}
	}
	switch {
	case held != nil:
		dec = d.heldOutDecision(b, held, pinned)
	case best < 0:
		dec = d.defaultDecision(b)
	default:
		vr := &b.Variants[best]
		dec = Decision{
			BlockID:         b.ID,
			Variant:         vr.Key,
			Reason:          d.reason(vr),
			Campaign:        vr.Campaign,
			Experiment:      vr.Experiment,
			Arm:             vr.Arm,
			Overrides:       vr.Fields,
			HoldoutCampaign: dec.HoldoutCampaign,
		}
	}
	dec.CapsRead, dec.CapChecks = d.capsRead, d.checks
	if b.CapID != "" && b.CapID != b.ID {
		dec.CapBlock = b.CapID
	}
	if len(d.suppressed) > 0 {
		dec.Suppressed = d.suppressed
		for _, s := range d.suppressed {
			dec.Reason += "; skipped " + s.Variant + ": " + s.Note
		}
	}
	return dec
}

// defaultDecision records exposure to an experiment arm that is served the
// default in this block (no variant for that arm), so the control group is
// counted.
func (d *decider) defaultDecision(b *Block) Decision {
	dec := Decision{BlockID: b.ID, Variant: DefaultVariant, Reason: "no variant matched: default"}
	if p := &d.v.ctx.Purposes; !p.Has(consent.Personalization) &&
		slices.ContainsFunc(b.Variants, func(v Variant) bool { return len(v.Targeting.Segments) > 0 }) {
		dec.Reason += " (segments off: " + p.Reason(consent.Personalization) + ")"
	}
	for i := range b.Variants {
		exp := b.Variants[i].Experiment
		if exp == "" {
			continue
		}
		r := d.bucket(exp)
		if r.known && r.status == bucketNotRunning && dec.Experiment == "" {
			dec.Reason = "experiment " + exp + " is not running: default"
		}
		if r.status != bucketed || !r.known {
			continue
		}
		if _, capped := d.experimentCapped(exp); capped {
			continue // a capped person is not exposed: no arm recorded
		}
		if slices.ContainsFunc(b.Variants, func(v Variant) bool { return v.Experiment == exp && v.Arm == r.arm }) {
			continue
		}
		dec.Experiment, dec.Arm = exp, r.arm
		dec.Reason = "experiment " + exp + " arm " + r.arm + d.armNote(r) + ": default"
		break // one exposure per block: the first experiment in list order
	}
	return dec
}
