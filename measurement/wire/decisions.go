package wire

import (
	"encoding/binary"

	"github.com/mosaichq/mosaic/measurement"
)

// AppendDecisions appends the message of ds to dst.
func AppendDecisions(dst []byte, ds []measurement.Decision) []byte {
	dst = append(dst, Version, kindDecisions)
	dst = binary.AppendUvarint(dst, uint64(len(ds)))
	for i := range ds {
		d := &ds[i]
		dst = appendString(dst, d.ID)
		dst = appendTime(dst, d.Time)
		dst = appendString(dst, d.VisitorID)
		dst = appendString(dst, d.UserID)
		dst = appendString(dst, d.Channel)
		dst = appendString(dst, d.Device)
		dst = appendString(dst, d.Locale)
		dst = appendStrings(dst, d.Segments)
		dst = appendBool(dst, d.Consent)
		dst = appendStrings(dst, d.Purposes)
		dst = appendString(dst, d.EntryID)
		dst = appendString(dst, d.EntrySlug)
		dst = binary.AppendVarint(dst, int64(d.EntryVersion))
		dst = appendLen(dst, len(d.Blocks), d.Blocks == nil)
		for j := range d.Blocks {
			b := &d.Blocks[j]
			dst = appendString(dst, b.BlockID)
			dst = appendString(dst, b.Variant)
			dst = appendString(dst, b.Experiment)
			dst = appendString(dst, b.Arm)
			dst = appendString(dst, b.Campaign)
			dst = appendString(dst, b.GlobalID)
			dst = appendString(dst, b.Cohort)
			dst = appendString(dst, b.Reason)
			dst = appendLen(dst, len(b.Suppressed), b.Suppressed == nil)
			for _, s := range b.Suppressed {
				dst = appendString(dst, s.Variant)
				dst = appendString(dst, s.Campaign)
				dst = appendString(dst, s.Experiment)
				dst = appendString(dst, s.Scope)
				dst = appendBool(dst, s.Pending)
			}
		}
	}
	return dst
}

// Decisions reads a message of decision records: this package's
// encoding, or the JSON of earlier versions. It never returns an empty
// list without an error.
func Decisions(data []byte) ([]measurement.Decision, error) {
	if bin, err := isBinary(data); err != nil || !bin {
		if err != nil {
			return nil, err
		}
		return decodeJSON[measurement.Decision](data)
	}
	r, n, err := header(data, kindDecisions)
	if err != nil {
		return nil, err
	}
	out := make([]measurement.Decision, n)
	// Records of one message mostly share their context, entry and
	// blocks: one string per distinct value.
	r.seen = make(map[string]string, 64)
	for i := range out {
		d := &out[i]
		d.ID = r.string()
		d.Time = r.time()
		d.VisitorID = r.string()
		d.UserID = r.string()
		d.Channel = r.interned()
		d.Device = r.interned()
		d.Locale = r.interned()
		d.Segments = readInterned[string](r)
		d.Consent = r.bool()
		d.Purposes = readInterned[measurement.Purpose](r)
		d.EntryID = r.interned()
		d.EntrySlug = r.interned()
		d.EntryVersion = int(r.varint())
		nb, isNil := r.sliceLen()
		if !isNil {
			d.Blocks = make([]measurement.BlockDecision, nb)
		}
		for j := range d.Blocks {
			b := &d.Blocks[j]
			b.BlockID = r.interned()
			b.Variant = r.interned()
			b.Experiment = r.interned()
			b.Arm = r.interned()
			b.Campaign = r.interned()
			b.GlobalID = r.interned()
			b.Cohort = r.interned()
			b.Reason = r.interned()
			ns, isNil := r.sliceLen()
			if !isNil {
				b.Suppressed = make([]measurement.Suppressed, ns)
			}
			for k := range b.Suppressed {
				s := &b.Suppressed[k]
				s.Variant = r.interned()
				s.Campaign = r.interned()
				s.Experiment = r.interned()
				s.Scope = r.interned()
				s.Pending = r.bool()
			}
		}
		if r.err != nil {
			return nil, r.err
		}
	}
	return out, r.done()
}
