package personalization

import "context"

// Explanation tells an editor what the engine thinks of one variant.
type Explanation struct {
	// Variant is the variant key; the last explanation is always
	// "default".
	Variant string
	// Matched says whether the variant is eligible for this visitor.
	Matched bool
	// Chosen marks the one variant Decide returns.
	Chosen bool
	// Reasons lists every condition, passed or failed, in the order the
	// engine checks them (campaign, experiment, segments, device, channel,
	// locale), then why an eligible variant lost if it did.
	Reasons []string
}

// Explain is Visitor(background, c).Explain(b).
func (e *Engine) Explain(c Context, b Block) []Explanation {
	return e.Visitor(context.Background(), c).Explain(b)
}

// Explain evaluates every variant of b, not stopping at the first failed
// condition, and returns one Explanation per variant in block order plus
// one for "default". Exactly one is Chosen, and it agrees with Decide.
func (v *Visitor) Explain(b Block) []Explanation {
	d := decider{v: v}
	winner := d.choose(&b)
	var held *Campaign
	var pinned bool
	if winner >= 0 {
		if c, out, p := d.holdout(&b.Variants[winner]); out {
			held, pinned = c, p
		}
	}
	out := make([]Explanation, 0, len(b.Variants)+1)
	ranks := make([]rank, len(b.Variants))
	for i := range b.Variants {
		vr := &b.Variants[i]
		r, ok, why := d.explain(vr, i)
		ranks[i] = r
		out = append(out, Explanation{
			Variant: vr.Key,
			Matched: ok,
			Chosen:  i == winner && held == nil,
			Reasons: why,
		})
	}
	for i := range out {
		if !out[i].Matched || i == winner {
			continue
		}
		_, criterion := ranks[winner].beats(ranks[i])
		out[i].Reasons = append(out[i].Reasons,
			"eligible, but variant "+b.Variants[winner].Key+" wins: "+criterion)
	}
	def := Explanation{Variant: DefaultVariant, Matched: true, Chosen: winner < 0 || held != nil}
	if held != nil {
		out[winner].Reasons = append(out[winner].Reasons, "eligible, but the visitor is "+heldOutReason(held, pinned))
		def.Reasons = []string{heldOutReason(held, pinned) + ": default"}
	} else if winner < 0 {
		def.Reasons = []string{d.defaultDecision(&b).Reason}
	} else {
		def.Reasons = []string{"used only when no variant is eligible"}
	}
	return append(out, def)
}
