package personalization

import (
	"strconv"
	"time"
)

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
			s.Scope, s.Note, s.Pending, s.Cap, s.Key = ScopeVariant, note, waiting(n, vr.Cap), *vr.Cap, vr.Key
			return s, true
		}
	}
	if camp != nil && camp.Cap != nil {
		if note, n, capped := d.check(CapTarget{Scope: ScopeCampaign, Key: camp.Key}, camp.Cap, start, camp.Key); capped {
			s.Scope, s.Note, s.Pending, s.Cap, s.Key = ScopeCampaign, note, waiting(n, camp.Cap), *camp.Cap, camp.Key
			return s, true
		}
	}
	if vr.Experiment != "" {
		if x := d.v.e.experiments[vr.Experiment]; x != nil && x.Cap != nil {
			if note, n, capped := d.check(CapTarget{Scope: ScopeExperiment, Key: x.Key}, x.Cap, time.Time{}, ""); capped {
				s.Scope, s.Note, s.Pending, s.Cap, s.Key = ScopeExperiment, note, waiting(n, x.Cap), *x.Cap, x.Key
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
// replicas (Pending). The note is built only for a capped target. Every
// check is kept on the decision (Decision.CapChecks) with what it found.
func (d *decider) check(t CapTarget, c *Cap, campaignStart time.Time, campaign string) (string, CapCount, bool) {
	d.capsRead = true
	since, ok := d.window(c, campaignStart)
	st := capStateOf(d.v.ctx.Caps, t, c, since, ok, d.v.ctx.Channel)
	d.checks = append(d.checks, CapCheck{Target: t, Cap: *c, CampaignStart: campaignStart, State: st})
	switch {
	case st.Open:
		return "", st.Count, false
	case !ok:
		return "capped: the cap's period cannot be computed (" + c.Per + ")", CapCount{}, true
	}
	return capNote(t, *c, st.Count, campaign), st.Count, true
}

// CapCheck is one capped target a decision asked the person's counter
// about, and what it learned (State). A decision is a function of the
// visitor's class, segments, arms and the states of the caps it checked:
// another person of the class with the same states on the same checks is
// decided alike, word for word (the response cache keys capped answers on
// them, graph/respkey.go).
type CapCheck struct {
	Target CapTarget
	Cap    Cap
	// CampaignStart is the start of a CAMPAIGN period (zero otherwise).
	CampaignStart time.Time
	State         CapState
}

// CapState is what of a counter's answer a decision reads: open (shown,
// and nothing of the count reaches the decision), or capped with the
// count its note and record say (seen, pending, unloaded, uncounted). A
// cap whose period cannot be computed is capped with a zero Count.
type CapState struct {
	Open  bool
	Count CapCount // zero when Open
}

// StateAt is the state counter gives the check's target for a decision
// at instant at on channel: what check would find (the same rule).
func (k CapCheck) StateAt(counter CapCounter, at time.Time, channel string) CapState {
	since, ok := k.Cap.Window(at, k.CampaignStart)
	return capStateOf(counter, k.Target, &k.Cap, since, ok, channel)
}

// AppendState appends a compact, unambiguous form of s to buf (a cache key
// part).
func (s CapState) AppendState(buf []byte) []byte {
	if s.Open {
		return append(buf, 'o')
	}
	flags := byte('c')
	if s.Count.Pending {
		flags |= 1 << 0
	}
	if s.Count.Unloaded {
		flags |= 1 << 1
	}
	if s.Count.Uncounted {
		flags |= 1 << 2
	}
	buf = append(buf, flags)
	return strconv.AppendInt(buf, int64(s.Count.Seen), 10)
}

// AppendCoarse appends the part of s a decision's outcome and record
// depend on, without the words of its reason: open, or capped and whether
// it only waits (Suppression.Pending). Two states with the same coarse
// form decide alike; only the reason's note ("seen 3 of 3 ...") differs.
func (s CapState) AppendCoarse(buf []byte, c Cap) []byte {
	switch {
	case s.Open:
		return append(buf, 'o')
	case waiting(s.Count, &c):
		return append(buf, 'w')
	}
	return append(buf, 'c')
}

// capStateOf asks counter (nil: the person cannot be counted) about t in
// the window since (ok false: the period cannot be computed).
func capStateOf(counter CapCounter, t CapTarget, c *Cap, since time.Time, ok bool, channel string) CapState {
	if !ok {
		return CapState{}
	}
	var n CapCount
	if counter == nil {
		n.Uncounted = true
	} else {
		ch := ""
		if c.PerChannel {
			ch = channel
		}
		n = counter.CapCount(t, since, ch)
	}
	if !n.Uncounted && !n.Pending && !n.Unloaded && n.Seen < c.Max {
		return CapState{Open: true}
	}
	return CapState{Count: n}
}

// waiting says a target was held back only until counts are confirmed or
// loaded, not because its cap was reached.
func waiting(n CapCount, c *Cap) bool {
	return !n.Uncounted && n.Seen < c.Max && (n.Pending || n.Unloaded)
}

type capWindow struct {
	cap          *Cap
	start, since time.Time
	ok           bool
}

// window is c.Window at the visitor's instant, computed once per call.
func (d *decider) window(c *Cap, campaignStart time.Time) (time.Time, bool) {
	for i := range d.windows {
		if w := &d.windows[i]; *w.cap == *c && w.start.Equal(campaignStart) {
			return w.since, w.ok
		}
	}
	since, ok := c.Window(d.v.ctx.At, campaignStart)
	d.windows = append(d.windows, capWindow{cap: c, start: campaignStart, since: since, ok: ok})
	return since, ok
}
