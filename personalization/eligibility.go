package personalization

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mosaichq/mosaic/measurement/consent"
)

// notes collects the reasons eligible finds. In list mode (Explain) each
// reason is its own string; in joined mode (a Decision's Reason) they are
// written into one builder separated by ", ", so a decision's reason
// usually costs a single allocation.
type notes struct {
	list   []string
	buf    strings.Builder
	joined bool
	n      int
}

func (w *notes) add(parts ...string) {
	w.n++
	if w.joined {
		if w.n > 1 {
			w.buf.WriteString(", ")
		}
		for _, p := range parts {
			w.buf.WriteString(p)
		}
		return
	}
	w.list = append(w.list, strings.Join(parts, ""))
}

// eligible decides whether vr may be shown. With w == nil it stops at the
// first failing condition and builds no strings (the hot path); otherwise
// it checks every condition and notes a reason for each, pass or fail.
func (d *decider) eligible(vr *Variant, index int, w *notes) (rank, bool) {
	c := &d.v.ctx
	t := &vr.Targeting
	explain := w != nil
	ok := true
	r := rank{priority: vr.Priority, index: index}

	if vr.Campaign != "" {
		camp, known := d.v.e.campaigns[vr.Campaign]
		switch {
		case known && camp.LiveAt(c.At, c.Channel):
			r.live, r.campaign = true, camp.Priority
			if explain {
				w.add("live campaign ", camp.Key, " (priority ", strconv.Itoa(camp.Priority), ")")
			}
		case !explain:
			return r, false
		case !known:
			ok = false
			w.add("campaign ", vr.Campaign, " is unknown")
		default:
			ok = false
			w.add(campaignNotLive(camp, c.At, c.Channel))
		}
	}
	if vr.Experiment != "" {
		r.specificity++
		switch inArm := d.inArm(vr); {
		case inArm && explain:
			w.add("experiment ", vr.Experiment, " arm ", vr.Arm, d.armNote(d.bucket(vr.Experiment)))
		case inArm:
		case !explain:
			return r, false
		default:
			ok = false
			w.add(d.armMismatch(vr))
		}
	}
	if len(t.Segments) > 0 {
		r.specificity++
		switch s := firstShared(t.Segments, d.v.segments); {
		case s != "" && explain:
			w.add("segment ", s, " matched")
		case s != "":
		case !explain:
			return r, false
		case !c.Purposes.Has(consent.Personalization):
			ok = false
			w.add("needs segment ", orList(t.Segments), "; segments are off: ", c.Purposes.Reason(consent.Personalization))
		default:
			ok = false
			w.add("visitor is in none of segments ", orList(t.Segments))
		}
	}
	dims := [...]struct {
		name, have string
		want       []string
		byPrefix   bool // locales: "en" covers "en-US"
	}{
		{"device", c.Device, t.Devices, false},
		{"channel", c.Channel, t.Channels, false},
		{"locale", c.Locale, t.Locales, true},
	}
	for i := range dims {
		dim := &dims[i]
		if len(dim.want) == 0 {
			continue
		}
		r.specificity++
		matched := false
		for _, want := range dim.want {
			if want == dim.have || (dim.byPrefix && matchLocale(want, dim.have)) {
				matched = true
				break
			}
		}
		switch {
		case matched && explain:
			w.add(dim.name, " ", dim.have, " matched")
		case matched:
		case !explain:
			return r, false
		default:
			ok = false
			w.add(fmt.Sprintf("%s %q is not %s", dim.name, dim.have, orList(dim.want)))
		}
	}
	if explain && w.n == 0 {
		w.add("no targeting: matches everyone")
	}
	if ok && d.hasCap(vr) {
		if s, capped := d.capped(vr); capped {
			if !explain {
				d.suppressed = append(d.suppressed, s)
				d.suppressedRanks = append(d.suppressedRanks, r)
				return r, false
			}
			ok = false
			w.add(s.Note)
		}
	}
	return r, ok
}

// inArm reports whether the visitor is bucketed into vr's arm.
func (d *decider) inArm(vr *Variant) bool {
	b := d.bucket(vr.Experiment)
	return b.known && b.status == bucketed && b.arm == vr.Arm
}

// armMismatch says why the visitor is not in vr's arm.
func (d *decider) armMismatch(vr *Variant) string {
	b := d.bucket(vr.Experiment)
	switch {
	case !b.known:
		return "experiment " + vr.Experiment + " is unknown"
	case b.status == bucketNotRunning:
		return "experiment " + vr.Experiment + " is not running: everyone sees the default"
	case b.status == bucketNoVisitor:
		return "experiment " + vr.Experiment + ": no visitor id, not bucketed"
	case b.status == bucketHeldOut:
		return "visitor is held out of experiment " + vr.Experiment
	case b.status == bucketNoArm:
		return "experiment " + vr.Experiment + " has no open arm"
	}
	return "visitor is in experiment " + vr.Experiment + " arm " + b.arm + ", not " + vr.Arm
}

// armNote says where an arm came from when it was not the visitor's own
// bucket: the person's first arm (pinned), or bucketed for the day without
// measurement consent (naming the purpose that limited it).
func (d *decider) armNote(r bucketResult) string {
	switch {
	case r.pinned:
		return " (the person's first arm)"
	case d.v.Measured():
		return ""
	}
	return " (bucketed for the day: " + d.v.ctx.Purposes.Reason(consent.Measurement) + ")"
}

// reason describes the winning variant: every condition it passed, in
// check order (campaign, experiment, segment, device, channel, locale).
func (d *decider) reason(vr *Variant) string {
	w := notes{joined: true}
	w.buf.Grow(64)
	d.eligible(vr, 0, &w)
	return w.buf.String()
}

// explain lists a reason for every condition of vr, passed or failed.
func (d *decider) explain(vr *Variant, index int) (rank, bool, []string) {
	var w notes
	r, ok := d.eligible(vr, index, &w)
	return r, ok, w.list
}

func firstShared(want, have []string) string {
	for _, w := range want {
		if slices.Contains(have, w) {
			return w
		}
	}
	return ""
}

func orList(vals []string) string {
	if len(vals) == 1 {
		return vals[0]
	}
	return strings.Join(vals[:len(vals)-1], ", ") + " or " + vals[len(vals)-1]
}

func campaignNotLive(c *Campaign, t time.Time, channel string) string {
	const layout = time.RFC3339Nano
	switch {
	case c.StartsAt.IsZero() && c.EndsAt.IsZero():
		return "campaign " + c.Key + " is not scheduled"
	case c.StoppedAt != nil && !t.Before(*c.StoppedAt):
		return "campaign " + c.Key + " was stopped at " + c.StoppedAt.UTC().Format(layout)
	case t.Before(c.StartsAt):
		return "campaign " + c.Key + " starts at " + c.StartsAt.UTC().Format(layout)
	case !t.Before(c.EndsAt):
		return "campaign " + c.Key + " ended at " + c.EndsAt.UTC().Format(layout)
	}
	return fmt.Sprintf("campaign %s does not run on channel %q", c.Key, channel)
}
