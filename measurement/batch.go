package measurement

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"time"

	"github.com/mosaichq/mosaic/errs"
)

// Batch limits: a browser's sendBeacon queue holds 64 KiB, so a page sends
// far fewer; 500 events of ~2 KiB each fit in the body limit, and both keep
// one request's work (one log append) bounded.
const (
	// MaxEvents is the most events one batch may carry.
	MaxEvents = 500
	// MaxBodyBytes is the largest batch body: 1 MiB.
	MaxBodyBytes = 1 << 20
)

// Acceptance window defaults.
const (
	// DefaultMaxAge: a kiosk offline over a long weekend still reports;
	// the store's dedupe key holds as long as its partitions.
	DefaultMaxAge = 7 * 24 * time.Hour
	// DefaultMaxFuture: after skew correction a time ahead of the server
	// only comes from a client whose event clock differs from its sentAt
	// clock; a few minutes absorb that.
	DefaultMaxFuture = 10 * time.Minute
)

// Limits bound the acceptance window; zero fields take the defaults.
type Limits struct {
	// MaxAge: corrected times older than receivedAt − MaxAge are TOO_OLD.
	MaxAge time.Duration
	// MaxFuture: corrected times after receivedAt + MaxFuture are IN_FUTURE.
	MaxFuture time.Duration
}

// WithDefaults fills zero fields.
func (l Limits) WithDefaults() Limits {
	if l.MaxAge <= 0 {
		l.MaxAge = DefaultMaxAge
	}
	if l.MaxFuture <= 0 {
		l.MaxFuture = DefaultMaxFuture
	}
	return l
}

// Batch is a parsed batch: the accepted events, in order, and why the
// others were refused.
type Batch struct {
	Events   []Event
	Rejected []Rejection
	// Skew is receivedAt − sentAt, added to every timestamp (0 without sentAt).
	Skew time.Duration
}

// ParseBatch reads a batch body received at receivedAt. The error, always
// BAD_USER_INPUT, refuses the whole body; otherwise each event is accepted
// or rejected on its own.
//
// The body is read once: json.Valid checks it whole, then its bytes are
// walked (jsonread.go) and each event's fields read in place, where
// encoding/json used to decode it three times (the body into raw events,
// each event into raw fields, each field into its value). A body that is
// refused is read again by encoding/json (refuseBody), so the refusal
// says what it always said.
func ParseBatch(body []byte, receivedAt time.Time, lim Limits) (Batch, error) {
	lim = lim.WithDefaults()
	if len(body) > MaxBodyBytes {
		return Batch{}, errs.E(errs.BadUserInput, "the batch exceeds %d bytes: send fewer events per request", MaxBodyBytes)
	}
	start := skipWS(body, 0)
	if start == len(body) || body[start] != '{' {
		return Batch{}, errs.E(errs.BadUserInput, `the batch must be a JSON object: {"events":[…],"sentAt":"…"}`)
	}
	if !json.Valid(body) {
		return Batch{}, refuseBody(body)
	}
	var events, sentAt []byte
	ok := true
	members(body[start:], func(key, val []byte) bool {
		// encoding/json matched the batch's fields case-insensitively.
		switch name := unquote(key); {
		case strings.EqualFold(name, "events"):
			events, ok = val, val[0] == '[' || isNull(val)
		case strings.EqualFold(name, "sentAt"):
			sentAt, ok = val, val[0] == '"' || isNull(val)
		default:
			ok = false
		}
		return ok
	})
	if !ok {
		return Batch{}, refuseBody(body)
	}
	var raws [][]byte
	if events != nil && !isNull(events) {
		raws = make([][]byte, 0, 64)
		elements(events, func(v []byte) bool {
			raws = append(raws, v)
			return len(raws) <= MaxEvents
		})
	}
	switch {
	case raws == nil:
		return Batch{}, errs.E(errs.BadUserInput, "events is required: a list of 1 to %d events", MaxEvents)
	case len(raws) == 0:
		return Batch{}, errs.E(errs.BadUserInput, "events is empty: send 1 to %d events", MaxEvents)
	case len(raws) > MaxEvents:
		return Batch{}, refuseBody(body) // it counts them all
	}
	out := Batch{}
	if sentAt != nil && !isNull(sentAt) {
		s := unquote(sentAt)
		sent, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return Batch{}, errs.E(errs.BadUserInput, "sentAt must be an RFC 3339 time, like 2026-12-06T10:00:00.000Z, got %q", clip(s))
		}
		out.Skew = receivedAt.Sub(sent)
	}
	seen := make(map[string]bool, len(raws))
	out.Events = make([]Event, 0, len(raws))
	for i, raw := range raws {
		e, rej := parseEvent(raw, receivedAt, out.Skew, lim)
		if rej == nil && seen[e.ID] {
			rej = &Rejection{Code: CodeDuplicateID, Message: "id " + quote(e.ID) + " appears earlier in this batch"}
		}
		if rej != nil {
			rej.Index = i
			out.Rejected = append(out.Rejected, *rej)
			continue
		}
		seen[e.ID] = true
		out.Events = append(out.Events, e)
	}
	if len(out.Events) == 0 {
		out.Events = nil
	}
	return out, nil
}

// batchBody is the wire form of a batch, as encoding/json reads it.
type batchBody struct {
	Events *[]json.RawMessage `json:"events"`
	SentAt *string            `json:"sentAt"`
}

// refuseBody says why body is not a batch, in encoding/json's words (the
// rare path: ParseBatch found it is not).
func refuseBody(body []byte) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var b batchBody
	if err := dec.Decode(&b); err != nil {
		return errs.Wrap(errs.BadUserInput, err, `the batch is not {"events":[…],"sentAt":"…"}: %s`, jsonReason(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return errs.E(errs.BadUserInput, "the batch must be one JSON object, with nothing after it")
	}
	if b.Events != nil && len(*b.Events) > MaxEvents {
		return errs.E(errs.BadUserInput, "the batch has %d events: at most %d per request", len(*b.Events), MaxEvents)
	}
	return errs.E(errs.BadUserInput, `the batch is not {"events":[…],"sentAt":"…"}`)
}

// jsonReason words a decoding error in the body's terms.
func jsonReason(err error) string {
	if te, ok := errors.AsType[*json.UnmarshalTypeError](err); ok && te.Field != "" {
		if te.Field == "events" {
			return "events must be a list"
		}
		return te.Field + " must be a string"
	}
	msg := err.Error()
	if len(msg) > 5 && msg[:5] == "json:" {
		msg = msg[6:]
	}
	return msg
}
