package measurement

import (
	"encoding/binary"
	"time"

	"github.com/google/uuid"
)

// decisionLead is how far a decision's id may be dated after the view
// that names it. The id is dated by the replica that decided, the view by
// the one that received it (corrected for the client's clock): the two
// clocks differ by a little, and uuid.NewV7 moves an id's millisecond
// forward when a process makes more than 4096 ids in one. A minute
// absorbs both and still refuses an id that is not this view's.
const decisionLead = time.Minute

// decisionExample is a UUIDv7 in the form Mosaic returns, for messages.
const decisionExample = "019ae9a2-6c00-7a3e-9b1f-4c2d8e7f6a5b"

// checkDecision is the part of "a view names a decision Mosaic made" that
// /collect can check without a lookup: the record lands asynchronously
// (perhaps written by another replica), but its id is a UUIDv7 whose
// first 48 bits are when it was made, and a view shown at seen cannot
// precede its decision nor follow it by more than maxAge (the window a
// late event is accepted in). It returns the id in its canonical
// lowercase form, the one the decision record is stored under, so a
// client that upper-cased it still names the same decision.
func checkDecision(id string, seen time.Time, maxAge time.Duration) (string, *Rejection) {
	// uuid.Parse also takes 32 bare hex digits, urn:uuid: and braces
	// (without checking the braces); Mosaic returns only the 36-character
	// form, so anything else was not returned by Mosaic.
	u, err := uuid.Parse(id)
	if len(id) != 36 || err != nil {
		return "", reject(CodeUnknownDecision, "decisionId must be the id Mosaic returned (Entry.decisionId, or a bundle frame's), a UUIDv7 like %s, got %s",
			decisionExample, quote(id))
	}
	if u.Version() != 7 || u.Variant() != uuid.RFC4122 {
		return "", reject(CodeUnknownDecision, "decisionId %s is not a UUIDv7, so not an id Mosaic returned: send Entry.decisionId (or a bundle frame's) as it came",
			quote(id))
	}
	made := madeAt(u)
	if made.After(seen.Add(decisionLead)) {
		return "", reject(CodeUnknownDecision, "decisionId %s was made at %s, after this view (%s, corrected for the client's clock): a view cannot precede its decision; check the timestamp, or send sentAt with the batch",
			quote(id), made.Format(time.RFC3339), seen.Format(time.RFC3339))
	}
	if made.Before(seen.Add(-maxAge)) {
		return "", reject(CodeUnknownDecision, "decisionId %s was made at %s, more than the events' max age (%s) before this view (%s): too old to count",
			quote(id), made.Format(time.RFC3339), maxAge, seen.Format(time.RFC3339))
	}
	return u.String(), nil
}

// madeAt is when a UUIDv7 was made. RFC 9562 §5.7: unix_ts_ms,
// big-endian, in the first 48 bits.
func madeAt(u uuid.UUID) time.Time {
	return time.UnixMilli(int64(binary.BigEndian.Uint64(u[:8]) >> 16)).UTC()
}
