package personalization

import (
	"slices"
	"strconv"
)

// Key is the visitor's equivalence class: every input the engine decides
// on, once segments are computed and experiments bucketed — the sorted
// segments, device, channel, locale, purposes, and the outcome of every
// experiment for this visitor — and nothing else (not the visitor id, not
// the traits, which only matter through the segments they put the visitor
// in). Two visitors with the same Key get the same decision for every
// block at the same instant, so a response computed for one can be served
// to the other (the response cache keys on it). The instant is not part
// of the key: callers bound what they keep by the next transition.
//
// It appends to buf and returns the extended slice.
func (v *Visitor) Key(buf []byte) []byte {
	segs := slices.Clone(v.segments)
	slices.Sort(segs)
	segs = slices.Compact(segs)
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
	buf = append(buf, v.ctx.Purposes.String()...)
	keys := make([]string, 0, len(v.e.experiments))
	for k := range v.e.experiments {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		arm, st, _ := v.armOf(v.e.experiments[k])
		buf = append(buf, ";x="...)
		buf = appendQuoted(buf, k)
		buf = append(buf, ':')
		buf = strconv.AppendInt(buf, int64(st), 10)
		buf = append(buf, ':')
		buf = appendQuoted(buf, arm)
	}
	return buf
}

// appendQuoted keeps the key unambiguous whatever the tokens hold.
func appendQuoted(buf []byte, s string) []byte { return strconv.AppendQuote(buf, s) }
