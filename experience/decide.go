package experience

import (
	"context"
	"slices"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/personalization"
)

// Visitor is one request's visitor: the context validated, consent
// applied, the instant fixed and segments computed once. Build it once per
// request (per distinct context) and decide every entry of the request
// with it. It is safe for concurrent use; besides deciding, it only
// records when its decisions may next change (NextTransition).
type Visitor struct {
	v   *personalization.Visitor
	e   *personalization.Engine
	gen uint64 // the engine's build
	// next is the earliest transition, after the visitor's instant, of a
	// campaign named by a variant decided so far (UnixNano; 0: none).
	next atomic.Int64
}

// Visitor validates c against the registry (an unknown device or channel
// is BAD_USER_INPUT), fixes c.At to now when it is zero, and evaluates the
// segments with the current engine.
func (s *Service) Visitor(ctx context.Context, c personalization.Context) (*Visitor, error) {
	if err := s.cfg.Registry.Validate(c); err != nil {
		return nil, err
	}
	snap := s.snap.Load()
	if snap == nil { // only a Service not built by New
		return nil, errs.E(errs.Internal, "the decision engine is not loaded")
	}
	if c.At.IsZero() {
		c.At = s.cfg.Now()
	}
	return &Visitor{v: snap.engine.Visitor(ctx, c), e: snap.engine, gen: snap.gen}, nil
}

// Key appends the visitor's equivalence class (personalization.Visitor.Key)
// and the engine build it was decided with: equal keys, equal decisions.
func (v *Visitor) Key(buf []byte) []byte {
	buf = append(buf, "engine="...)
	buf = strconv.AppendUint(buf, v.gen, 10)
	buf = append(buf, ';')
	return v.v.Key(buf)
}

// ClassKey is Key without the experiments' arms (personalization
// Visitor.ClassKey): Key is ClassKey then AppendArms of the visitor id.
func (v *Visitor) ClassKey(buf []byte) []byte {
	buf = append(buf, "engine="...)
	buf = strconv.AppendUint(buf, v.gen, 10)
	buf = append(buf, ';')
	return v.v.ClassKey(buf)
}

// ContextKey is ClassKey without the segments
// (personalization.Visitor.ContextKey): a caller adds the membership in
// the segments the decided variants target (Segments).
func (v *Visitor) ContextKey(buf []byte) []byte {
	buf = append(buf, "engine="...)
	buf = strconv.AppendUint(buf, v.gen, 10)
	buf = append(buf, ';')
	return v.v.ContextKey(buf)
}

// AppendArms appends the experiments' arms for a visitor of v's class
// with id visitorID whose person's arms are pins.
func (v *Visitor) AppendArms(buf []byte, visitorID string, pins map[string]string) []byte {
	return v.v.AppendArms(buf, visitorID, pins)
}

// AppendArmsOf appends the arms of the named experiments (sorted) only.
func (v *Visitor) AppendArmsOf(buf []byte, visitorID string, pins map[string]string, experiments []string) []byte {
	return v.v.AppendArmsOf(buf, visitorID, pins, experiments)
}

// HasHoldout says whether campaign has a holdout: an answer naming it
// splits visitors of one class by who is held out of it.
func (v *Visitor) HasHoldout(campaign string) bool { return v.e.HasHoldout(campaign) }

// ReadsVisitorID says whether a segment rule may read the visitor id.
func (v *Visitor) ReadsVisitorID() bool { return v.v.ReadsVisitorID() }

// Build is the engine build v was decided with.
func (v *Visitor) Build() uint64 { return v.gen }

// Context is the effective context (consent applied, At set).
func (v *Visitor) Context() personalization.Context { return v.v.Context() }

// Segments are the visitor's segments: explicit ones, then matching rules.
func (v *Visitor) Segments() []string { return v.v.Segments() }

// EntryDecision is a delivered entry as this visitor sees it.
type EntryDecision struct {
	// Decision is for the entry's own variants (a global block's live
	// there); BlockID is the entry's id.
	Decision personalization.Decision
	// Fields are the entry's fields with the chosen variant's overrides.
	Fields map[string]any
	// Blocks has one decision per content.Resolved block, in order.
	Blocks []BlockDecision
}

// BlockDecision is one block as this visitor sees it.
type BlockDecision struct {
	Decision personalization.Decision
	// Fields are the block's default fields merged with the chosen
	// variant's overrides. Shared with the content cache when the default
	// was chosen: do not modify.
	Fields map[string]any
}

// DecideEntry decides the entry's own variants and every block's in one
// pass (segments were computed when the Visitor was built; each experiment
// is bucketed once for the whole page).
func (v *Visitor) DecideEntry(r *content.Resolved) EntryDecision {
	blocks := make([]personalization.Block, len(r.Blocks)+1)
	parsed := make([]*stored, len(r.Blocks)+1)
	parsed[0] = storedVariants(r.Variants, r.VariantsMemo)
	blocks[0] = personalization.Block{ID: r.ID, Variants: parsed[0].variants()}
	for i := range r.Blocks {
		b := &r.Blocks[i]
		parsed[i+1] = storedVariants(b.Variants, b.VariantsMemo)
		blocks[i+1] = personalization.Block{ID: b.ID, CapID: b.GlobalID, Variants: parsed[i+1].variants()}
	}
	decisions := v.v.DecidePage(blocks)
	for i := range decisions {
		parsed[i].overrides(&decisions[i])
	}
	v.bound(blocks)
	out := EntryDecision{
		Decision: decisions[0],
		Fields:   merged(r.Fields, decisions[0].Overrides),
		Blocks:   make([]BlockDecision, len(r.Blocks)),
	}
	changed := decisions[0].Overrides != nil
	for i := range r.Blocks {
		d := decisions[i+1]
		out.Blocks[i] = BlockDecision{Decision: d, Fields: merged(r.Blocks[i].Fields, d.Overrides)}
		changed = changed || d.Overrides != nil
	}
	// The entry's blocks field shows what its blocks do: the chosen
	// variants' fields (the default ones are already there).
	if changed {
		out.Fields = r.WithBlocks(out.Fields, func(i int) map[string]any { return out.Blocks[i].Fields })
	}
	return out
}

// bound notes the next transition of the campaigns the blocks' variants
// name: until then, every decision made for them stays what it is.
func (v *Visitor) bound(blocks []personalization.Block) {
	var keys []string
	for i := range blocks {
		for j := range blocks[i].Variants {
			if k := blocks[i].Variants[j].Campaign; k != "" && !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	if len(keys) == 0 {
		return
	}
	next, ok := v.e.NextTransitionOf(keys, v.v.Context().At)
	if !ok {
		return
	}
	n := next.UnixNano()
	for {
		cur := v.next.Load()
		if (cur != 0 && cur <= n) || v.next.CompareAndSwap(cur, n) {
			return
		}
	}
}

// NextTransition is the earliest instant after the visitor's at which a
// campaign named by a variant decided for this visitor starts, ends or
// stops — when those decisions may change — and false if there is none.
func (v *Visitor) NextTransition() (time.Time, bool) {
	n := v.next.Load()
	if n == 0 {
		return time.Time{}, false
	}
	return time.Unix(0, n).UTC(), true
}

// merged avoids a copy when the default was chosen: the default fields are
// read-only and can be shared.
func merged(def, overrides map[string]any) map[string]any {
	if overrides == nil {
		if def == nil {
			return map[string]any{}
		}
		return def
	}
	return personalization.Merge(def, overrides)
}

// Explanation is what an editor sees for one block (or an entry's own
// variants): the visitor's segments, the decision and every variant with
// why it matched or not.
type Explanation struct {
	// BlockID is "" for the entry's own variants.
	BlockID  string
	Segments []string
	Decision personalization.Decision
	Variants []personalization.Explanation
}

// Explain explains block blockID of r, or r's own variants when blockID is
// "". An unknown block is NOT_FOUND.
func (v *Visitor) Explain(r *content.Resolved, blockID string) (Explanation, error) {
	parsed := storedVariants(r.Variants, r.VariantsMemo)
	b := personalization.Block{ID: r.ID, Variants: parsed.variants()}
	if blockID != "" {
		found := false
		for i := range r.Blocks {
			if r.Blocks[i].ID == blockID {
				parsed = storedVariants(r.Blocks[i].Variants, r.Blocks[i].VariantsMemo)
				b = personalization.Block{ID: blockID, CapID: r.Blocks[i].GlobalID, Variants: parsed.variants()}
				found = true
				break
			}
		}
		if !found {
			return Explanation{}, errs.E(errs.NotFound, "entry %s has no block %q", r.Slug, blockID)
		}
	}
	d := v.v.Decide(b)
	parsed.overrides(&d)
	return Explanation{
		BlockID:  blockID,
		Segments: v.v.Segments(),
		Decision: d,
		Variants: v.v.Explain(b),
	}, nil
}

// CampaignKeys are the campaigns named by r's deliverable variants (its
// own and its blocks'), chosen or not, once each: their transitions are
// what change r's decisions.
func CampaignKeys(r *content.Resolved) []string {
	campaigns, _ := VariantKeys(r)
	return campaigns
}

// VariantKeys are the campaigns and the experiments r's deliverable
// variants (its own and its blocks') name: what deciding r for a visitor
// may depend on besides the visitor's class.
func VariantKeys(r *content.Resolved) (campaigns, experiments []string) {
	campaigns, experiments, _ = VariantRefs(r)
	return campaigns, experiments
}

// VariantRefs is VariantKeys and the segments r's deliverable variants
// target: of a visitor's segments, only these can change r's decisions.
func VariantRefs(r *content.Resolved) (campaigns, experiments, segments []string) {
	add := func(raw content.Variants, memo *content.Memo) {
		for _, v := range storedVariants(raw, memo).variants() {
			if v.Campaign != "" && !slices.Contains(campaigns, v.Campaign) {
				campaigns = append(campaigns, v.Campaign)
			}
			if v.Experiment != "" && !slices.Contains(experiments, v.Experiment) {
				experiments = append(experiments, v.Experiment)
			}
			for _, s := range v.Targeting.Segments {
				if !slices.Contains(segments, s) {
					segments = append(segments, s)
				}
			}
		}
	}
	add(r.Variants, r.VariantsMemo)
	for i := range r.Blocks {
		add(r.Blocks[i].Variants, r.Blocks[i].VariantsMemo)
	}
	return campaigns, experiments, segments
}
