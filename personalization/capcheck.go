package personalization

import "time"

// hasCap reports whether showing vr is limited by a cap: its own, its
// campaign's or its experiment's.
func (d *decider) hasCap(vr *Variant) bool {
	if vr.Cap != nil {
		return true
	}
	if vr.Campaign != "" {
		if c := d.v.e.campaigns[vr.Campaign]; c != nil && c.Cap != nil {
			return true
		}
	}
	if vr.Experiment != "" {
		if x := d.v.e.experiments[vr.Experiment]; x != nil && x.Cap != nil {
			return true
		}
	}
	return false
}

// capped checks vr's caps in order — the variant's, its campaign's, its
// experiment's — and returns the first that stops it.
func (d *decider) capped(vr *Variant) (Suppression, bool) {
	var camp *Campaign
	if vr.Campaign != "" {
		camp = d.v.e.campaigns[vr.Campaign]
	}
	var start time.Time
	if camp != nil {
		start = camp.StartsAt
	}
	s := Suppression{Variant: vr.Key, Campaign: vr.Campaign, Experiment: vr.Experiment}
	if vr.Cap != nil {
		if note, n, capped := d.check(CapTarget{Scope: ScopeVariant, Block: d.block, Key: vr.Key}, vr.Cap, start, vr.Campaign); capped {
			s.Scope, s.Note, s.Pending = ScopeVariant, note, waiting(n, vr.Cap)
			return s, true
		}
	}
	if camp != nil && camp.Cap != nil {
		if note, n, capped := d.check(CapTarget{Scope: ScopeCampaign, Key: camp.Key}, camp.Cap, start, camp.Key); capped {
			s.Scope, s.Note, s.Pending = ScopeCampaign, note, waiting(n, camp.Cap)
			return s, true
		}
	}
	if vr.Experiment != "" {
		if x := d.v.e.experiments[vr.Experiment]; x != nil && x.Cap != nil {
			if note, n, capped := d.check(CapTarget{Scope: ScopeExperiment, Key: x.Key}, x.Cap, time.Time{}, ""); capped {
				s.Scope, s.Note, s.Pending = ScopeExperiment, note, waiting(n, x.Cap)
				return s, true
			}
		}
	}
	return s, false
}

// experimentCapped reports whether the person may no longer be exposed
// to experiment exp (a control arm served the default records none then).
func (d *decider) experimentCapped(exp string) (string, bool) {
	x := d.v.e.experiments[exp]
	if x == nil || x.Cap == nil {
		return "", false
	}
	note, _, capped := d.check(CapTarget{Scope: ScopeExperiment, Key: x.Key}, x.Cap, time.Time{}, "")
	return note, capped
}

// check asks the visitor's counter about one capped target. A target is
// capped when the person cannot be counted, has seen it Max times in the
// window, or this replica's last exposure is not yet counted across
// replicas (Pending). The note is built only for a capped target.
func (d *decider) check(t CapTarget, c *Cap, campaignStart time.Time, campaign string) (string, CapCount, bool) {
	d.capsRead = true
	ctx := &d.v.ctx
	since, ok := c.Window(ctx.At, campaignStart)
	if !ok {
		return "capped: the cap's period cannot be computed (" + c.Per + ")", CapCount{}, true
	}
	var n CapCount
	if ctx.Caps == nil {
		n.Uncounted = true
	} else {
		ch := ""
		if c.PerChannel {
			ch = ctx.Channel
		}
		n = ctx.Caps.CapCount(t, since, ch)
	}
	if !n.Uncounted && !n.Pending && !n.Unloaded && n.Seen < c.Max {
		return "", n, false
	}
	return capNote(t, *c, n, campaign), n, true
}

// waiting says a target was held back only until counts are confirmed or
// loaded, not because its cap was reached.
func waiting(n CapCount, c *Cap) bool {
	return !n.Uncounted && n.Seen < c.Max && (n.Pending || n.Unloaded)
}
