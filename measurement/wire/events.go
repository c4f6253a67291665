package wire

import (
	"encoding/binary"
	"math"

	"github.com/mosaichq/mosaic/measurement"
)

// AppendEvents appends the message of evs to dst.
func AppendEvents(dst []byte, evs []measurement.Event) []byte {
	dst = append(dst, Version, kindEvents)
	dst = binary.AppendUvarint(dst, uint64(len(evs)))
	for i := range evs {
		e := &evs[i]
		dst = appendString(dst, e.ID)
		dst = appendString(dst, string(e.Type))
		dst = appendString(dst, e.VisitorID)
		dst = appendString(dst, e.UserID)
		dst = appendTime(dst, e.Time)
		dst = appendTime(dst, e.ReceivedAt)
		dst = appendString(dst, e.DecisionID)
		dst = appendString(dst, e.BlockID)
		dst = appendString(dst, e.Entry)
		dst = appendString(dst, e.Goal)
		if e.Value == nil {
			dst = append(dst, 0)
		} else {
			dst = append(dst, 1)
			dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(*e.Value))
		}
		dst = appendString(dst, e.Currency)
		dst = appendString(dst, e.Name)
		dst = appendBytes(dst, e.Properties)
		dst = appendBytes(dst, e.Traits)
		dst = appendStrings(dst, e.Granted)
		dst = appendStrings(dst, e.Withdrawn)
	}
	return dst
}

var eventTypes = func() []string {
	var ts []string
	for _, t := range measurement.Types() {
		ts = append(ts, string(t))
	}
	return ts
}()

// Events reads a message of events: this package's encoding, or the JSON
// of earlier versions. It never returns an empty list without an error.
func Events(data []byte) ([]measurement.Event, error) {
	if bin, err := isBinary(data); err != nil || !bin {
		if err != nil {
			return nil, err
		}
		return decodeJSON[measurement.Event](data)
	}
	r, n, err := header(data, kindEvents)
	if err != nil {
		return nil, err
	}
	out := make([]measurement.Event, n)
	for i := range out {
		e := &out[i]
		e.ID = r.string()
		e.Type = measurement.Type(r.known(eventTypes...))
		e.VisitorID = r.string()
		e.UserID = r.string()
		e.Time = r.time()
		e.ReceivedAt = r.time()
		e.DecisionID = r.string()
		e.BlockID = r.string()
		e.Entry = r.string()
		e.Goal = r.string()
		if r.bool() {
			v := r.float()
			e.Value = &v
		}
		e.Currency = r.string()
		e.Name = r.string()
		e.Properties = r.bytes()
		e.Traits = r.bytes()
		e.Granted = readStrings[measurement.Purpose](r)
		e.Withdrawn = readStrings[measurement.Purpose](r)
		if r.err != nil {
			return nil, r.err
		}
	}
	return out, r.done()
}
