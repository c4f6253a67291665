package personalization

import (
	"slices"
	"strconv"
	"strings"
)

// Key is the visitor's equivalence class: every input the engine decides
// on, once segments are computed and experiments bucketed — the sorted
// segments, device, channel, locale, purposes, and the outcome of every
// experiment and campaign holdout for this visitor — and nothing else
// (not the visitor id, not the traits, which only matter through the
// segments they put the visitor in). Two visitors with the same Key get the same decision for every
// block at the same instant, so a response computed for one can be served
// to the other (the response cache keys on it). The instant is not part
// of the key: callers bound what they keep by the next transition.
//
// It appends to buf and returns the extended slice.
func (v *Visitor) Key(buf []byte) []byte {
	return v.AppendArms(v.ClassKey(buf), v.ctx.VisitorID, v.ctx.Arms)
}

// ClassKey is Key without the experiments: everything the engine decides
// on but the visitor's arms. Key = ClassKey then AppendArms(its visitor
// id), so a caller that has a Visitor for one context can key another
// context whose segment inputs are the same (only the visitor id differs,
// and no rule reads it: SegmentSet.ReadsVisitorID) without evaluating
// the rules again.
func (v *Visitor) ClassKey(buf []byte) []byte {
	segs := v.segments
	if !strictlySorted(segs) {
		segs = slices.Clone(segs)
		slices.Sort(segs)
		segs = slices.Compact(segs)
	}
	buf = append(buf, "s="...)
	for i, s := range segs {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = appendQuoted(buf, s)
	}
	buf = append(buf, ";d="...)
	buf = appendQuoted(buf, v.ctx.Device)
	buf = append(buf, ";c="...)
	buf = appendQuoted(buf, v.ctx.Channel)
	buf = append(buf, ";l="...)
	buf = appendQuoted(buf, v.ctx.Locale)
	buf = append(buf, ";consent="...)
	return append(buf, v.ctx.Purposes.String()...)
}

// ContextKey is ClassKey without the segments: device, channel, locale
// and purposes. A caller keying on it must add the visitor's membership in
// every segment the variants it decided over target (the response cache
// does: delivery.Request.Segments), since those are what segments change.
func (v *Visitor) ContextKey(buf []byte) []byte {
	buf = append(buf, "d="...)
	buf = appendQuoted(buf, v.ctx.Device)
	buf = append(buf, ";c="...)
	buf = appendQuoted(buf, v.ctx.Channel)
	buf = append(buf, ";l="...)
	buf = appendQuoted(buf, v.ctx.Locale)
	buf = append(buf, ";consent="...)
	return append(buf, v.ctx.Purposes.String()...)
}

// AppendArms appends the outcome of every experiment of v's engine for a
// visitor of v's class with id visitorID whose person's arms are pins
// (Context.Arms), in key order.
func (v *Visitor) AppendArms(buf []byte, visitorID string, pins map[string]string) []byte {
	for _, k := range v.e.experimentKeys {
		arm, st := v.armFor(v.e.experiments[k], visitorID, pins)
		buf = append(buf, ";x="...)
		buf = appendQuoted(buf, k)
		buf = append(buf, ':')
		buf = strconv.AppendInt(buf, int64(st), 10)
		buf = append(buf, ':')
		buf = appendQuoted(buf, arm)
	}
	for i := range v.e.campaignAll {
		if c := &v.e.campaignAll[i]; c.Holdout > 0 {
			buf = append(buf, ";h="...)
			buf = appendQuoted(buf, c.Key)
			buf = v.appendHoldout(buf, c.Key, visitorID, pins)
		}
	}
	return buf
}

func strictlySorted(s []string) bool {
	for i := 1; i < len(s); i++ {
		if s[i-1] >= s[i] {
			return false
		}
	}
	return true
}

// AppendArmsOf is AppendArms for the named experiments only (sorted;
// keys the engine does not know are named with no outcome). A key
// HoldoutSubject names is a campaign's holdout: whether the visitor is
// held out of it.
func (v *Visitor) AppendArmsOf(buf []byte, visitorID string, pins map[string]string, experiments []string) []byte {
	for _, k := range experiments {
		buf = append(buf, ";x="...)
		buf = appendQuoted(buf, k)
		if c, ok := strings.CutPrefix(k, HoldoutSubject("")); ok {
			buf = v.appendHoldout(buf, c, visitorID, pins)
			continue
		}
		x, ok := v.e.experiments[k]
		if !ok {
			buf = append(buf, ":none"...)
			continue
		}
		arm, st := v.armFor(x, visitorID, pins)
		buf = append(buf, ':')
		buf = strconv.AppendInt(buf, int64(st), 10)
		buf = append(buf, ':')
		buf = appendQuoted(buf, arm)
	}
	return buf
}

// ReadsVisitorID says whether the visitor's segments may depend on its
// id (a rule reads context.visitorId): when not, ClassKey is the same for
// every visitor id.
func (v *Visitor) ReadsVisitorID() bool { return v.e.segments.ReadsVisitorID() }

// appendQuoted keeps the key unambiguous whatever the tokens hold.
func appendQuoted(buf []byte, s string) []byte { return strconv.AppendQuote(buf, s) }
