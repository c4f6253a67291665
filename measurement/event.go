package measurement

import (
	"encoding/json"
	"time"

	"github.com/mosaichq/mosaic/measurement/consent"
)

// Type is what an event reports.
type Type string

// The event types.
const (
	// TypeView: what was actually shown (a decided block, or an entry).
	TypeView Type = "view"
	// TypeConversion: a named goal reached, with an optional value.
	TypeConversion Type = "conversion"
	// TypeTrack: any named event with properties.
	TypeTrack Type = "track"
	// TypeIdentify: the visitor is this user.
	TypeIdentify Type = "identify"
	// TypeConsent: purposes granted or withdrawn.
	TypeConsent Type = "consent"
)

// Types lists every event type.
func Types() []Type { return []Type{TypeView, TypeConversion, TypeTrack, TypeIdentify, TypeConsent} }

// Purpose is what a visitor consents to (measurement/consent says what
// each allows).
type Purpose = consent.Purpose

// The consent purposes.
const (
	PurposePersonalization = consent.Personalization
	PurposeMeasurement     = consent.Measurement
	PurposeStorage         = consent.Storage
)

// Purposes lists every consent purpose.
func Purposes() []Purpose { return consent.Purposes() }

// Event is one accepted client event, its time corrected for the client's
// clock. It is what the log carries (as JSON) and the store keeps.
type Event struct {
	ID        string `json:"id"`
	Type      Type   `json:"type"`
	VisitorID string `json:"visitorId"`
	UserID    string `json:"userId,omitempty"`
	// Time is when it happened, on the server's clock (corrected).
	Time time.Time `json:"time"`
	// ReceivedAt is when the server received its batch.
	ReceivedAt time.Time `json:"receivedAt"`
	// view
	DecisionID string `json:"decisionId,omitempty"`
	BlockID    string `json:"blockId,omitempty"`
	Entry      string `json:"entry,omitempty"`
	// conversion
	Goal     string   `json:"goal,omitempty"`
	Value    *float64 `json:"value,omitempty"`
	Currency string   `json:"currency,omitempty"`
	// track
	Name       string          `json:"name,omitempty"`
	Properties json.RawMessage `json:"properties,omitempty"`
	// identify
	Traits json.RawMessage `json:"traits,omitempty"`
	// consent
	Granted   []Purpose `json:"granted,omitempty"`
	Withdrawn []Purpose `json:"withdrawn,omitempty"`
}

// Day is the UTC day of the event's time: its partition in the store.
func (e Event) Day() time.Time {
	return time.Date(e.Time.Year(), e.Time.Month(), e.Time.Day(), 0, 0, 0, 0, time.UTC)
}

// Code says why an event was refused.
type Code string

// Why an event is refused.
const (
	// CodeInvalidEvent: not a JSON object, or a field of the wrong JSON type.
	CodeInvalidEvent Code = "INVALID_EVENT"
	// CodeUnknownType: type missing or not one of [Types].
	CodeUnknownType Code = "UNKNOWN_TYPE"
	// CodeMissingID: no id.
	CodeMissingID Code = "MISSING_ID"
	// CodeInvalidID: an id that is too long or has other characters.
	CodeInvalidID Code = "INVALID_ID"
	// CodeDuplicateID: the id appears earlier in the same batch.
	CodeDuplicateID Code = "DUPLICATE_ID"
	// CodeMissingField: a field the type needs is absent.
	CodeMissingField Code = "MISSING_FIELD"
	// CodeInvalidField: a field has a bad value, is unknown, or belongs to
	// another type.
	CodeInvalidField Code = "INVALID_FIELD"
	// CodeTooOld: the corrected time is before the acceptance window.
	CodeTooOld Code = "TOO_OLD"
	// CodeInFuture: the corrected time is after the acceptance window.
	CodeInFuture Code = "IN_FUTURE"
	// CodeBlockedValue: an identify names a placeholder id ("null",
	// "anonymous", …) that would link strangers (measurement/identity).
	CodeBlockedValue Code = "BLOCKED_VALUE"
	// CodeUnknownDecision: a view's decisionId cannot be one Mosaic
	// returned: not a UUIDv7, or made after the view or more than
	// [Limits].MaxAge before it. The record itself is not looked up: it
	// lands asynchronously, maybe from another replica.
	CodeUnknownDecision Code = "UNKNOWN_DECISION"
)

// Codes lists every rejection code (for metrics and docs).
func Codes() []Code {
	return []Code{CodeInvalidEvent, CodeUnknownType, CodeMissingID, CodeInvalidID, CodeDuplicateID,
		CodeMissingField, CodeInvalidField, CodeTooOld, CodeInFuture, CodeBlockedValue, CodeUnknownDecision}
}

// Rejection is one refused event of a batch.
type Rejection struct {
	// Index is the event's position in the batch's events.
	Index   int    `json:"index"`
	Code    Code   `json:"code"`
	Message string `json:"message"`
}
