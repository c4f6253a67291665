package personalization

import (
	"math"
	"strconv"

	"github.com/mosaichq/mosaic/errs"
)

// A campaign's holdout is its control group: a share of the people a
// campaign variant would have won for keep seeing the block's default
// while the campaign is live, so its report can compare them with the
// people who saw it (lift). Who is held out is decided like an
// experiment's arm, and kept per person the same way (first touch per
// identity cluster, pinned through Context.Arms).
const (
	// HoldoutArm is the arm a held-out person counts in, in decision
	// records, pins and the campaign's rollups.
	HoldoutArm = "holdout"
	// ExposedArm is the pin of a person who was shown the campaign while
	// it had a holdout: the person stays out of the holdout on every
	// device.
	ExposedArm = "exposed"
	// MaxHoldout bounds Campaign.Holdout: a campaign that hides itself
	// from more than half its audience is an experiment, not a campaign.
	MaxHoldout = 0.5
)

// HoldoutSubject is the key a campaign's holdout is bucketed, pinned and
// recorded under: "campaign:" and the campaign key. Experiment keys cannot
// hold a colon, so it never names an experiment; measurement's
// CampaignSubject is the same name.
func HoldoutSubject(campaign string) string { return "campaign:" + campaign }

// ValidateHoldout checks a campaign's holdout share as it is saved:
// between 0 and MaxHoldout, with its path.
func ValidateHoldout(h float64) []errs.FieldError {
	if h >= 0 && h <= MaxHoldout { // also rejects NaN
		return nil
	}
	return []errs.FieldError{{Path: "holdout", Message: "holdout must be a share between 0 and 0.5 (e.g. 0.1 for 10 %)"}}
}

// holdoutOf is whether the person behind v (or, for the response cache,
// another visitor of v's class: visitorID and pins) is held out of c:
// their pinned cohort (Context.Arms under HoldoutSubject, with measurement
// consent), else Bucket's holdout step on the experiment bucketing key
// (the visitor id, or a key for the day without measurement consent) with
// HoldoutSubject as the experiment key. Nobody is held out of a campaign
// without a holdout, nor without a visitor id (nothing to bucket on: the
// campaign is shown, and the record counts no one).
func (v *Visitor) holdoutOf(c *Campaign, key string, pins map[string]string) (held, pinned bool) {
	if !(c.Holdout > 0) || key == "" {
		return false, false
	}
	subject := HoldoutSubject(c.Key)
	if pin, ok := pins[subject]; ok && v.Measured() && (pin == HoldoutArm || pin == ExposedArm) {
		return pin == HoldoutArm, true
	}
	return unitHash(subject, key, "holdout") < c.Holdout, false
}

// holdout is the campaign with a holdout that the winning variant belongs
// to, if any, and whether this visitor is held out of it (memoized per
// call, as experiment buckets are).
func (d *decider) holdout(vr *Variant) (c *Campaign, held, pinned bool) {
	if vr.Campaign == "" {
		return nil, false, false
	}
	c = d.v.e.campaigns[vr.Campaign]
	if c == nil || !(c.Holdout > 0) || d.v.bucketKey == "" {
		return nil, false, false
	}
	for _, h := range d.holdouts {
		if h.c == c {
			return c, h.held, h.pinned
		}
	}
	held, pinned = d.v.holdoutOf(c, d.v.bucketKey, d.v.ctx.Arms)
	d.holdouts = append(d.holdouts, holdoutResult{c: c, held: held, pinned: pinned})
	return c, held, pinned
}

// holdoutResult is one campaign's holdout outcome for the call's visitor.
type holdoutResult struct {
	c            *Campaign
	held, pinned bool
	reason       string // a held-out decision's, once built
}

// heldOutDecision is what a held-out person sees where the campaign's
// variant won: the block's default, naming the campaign only in
// HeldOutOf (not Campaign: nothing of the campaign is shown, its caps
// count nothing).
func (d *decider) heldOutDecision(b *Block, c *Campaign, pinned bool) Decision {
	reason := ""
	for i := range d.holdouts { // one string per campaign per page, not per block
		if h := &d.holdouts[i]; h.c == c {
			if h.reason == "" {
				h.reason = heldOutReason(c, pinned) + ": default"
			}
			reason = h.reason
		}
	}
	if reason == "" {
		reason = heldOutReason(c, pinned) + ": default"
	}
	return Decision{BlockID: b.ID, Variant: DefaultVariant, Reason: reason, HoldoutCampaign: c.Key, HeldOut: true}
}

// heldOutReason says who was held out of what, in words:
// "held out of campaign winter-sale (10 % holdout)".
func heldOutReason(c *Campaign, pinned bool) string {
	s := "held out of campaign " + c.Key + " (" + percent(c.Holdout) + " holdout)"
	if pinned {
		s += " (the person's first cohort)"
	}
	return s
}

func percent(share float64) string {
	return strconv.FormatFloat(math.Round(share*1000)/10, 'f', -1, 64) + " %"
}

// appendHoldout appends the holdout outcome of campaign key for a visitor
// of v's class (Visitor.AppendArmsOf, for keys HoldoutSubject names): a
// cache key must split held-out people from exposed ones.
func (v *Visitor) appendHoldout(buf []byte, key, visitorID string, pins map[string]string) []byte {
	c, ok := v.e.campaigns[key]
	if !ok || !(c.Holdout > 0) {
		return append(buf, ":none"...)
	}
	ctx := v.ctx
	ctx.VisitorID = visitorID
	if v.e.now != nil {
		ctx.At = v.e.now()
	}
	// Pinned or not is keyed too: the reason in the answer says which.
	held, pinned := v.holdoutOf(c, bucketKey(ctx), pins)
	if pinned {
		buf = append(buf, ":pinned"...)
	}
	if held {
		return append(buf, ":held"...)
	}
	return append(buf, ":shown"...)
}

// HasHoldout says whether the campaign key has a holdout: only then can
// an answer naming it differ between two visitors of one class.
func (e *Engine) HasHoldout(key string) bool {
	c, ok := e.campaigns[key]
	return ok && c.Holdout > 0
}
