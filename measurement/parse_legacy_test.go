package measurement

// The parser as it was before the single pass (commit 262c480), kept as
// the oracle the single-pass parser is checked against
// (parse_same_test.go): the same events, the same rejections.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/measurement/identity"
)

var (
	idPattern       = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,64}$`)
	currencyPattern = regexp.MustCompile(`^[A-Z]{3}$`)
)

// fields is one event's JSON object.
type legacyFields map[string]json.RawMessage

// parseEvent checks one event and corrects its time by skew.
func legacyParseEvent(raw json.RawMessage, receivedAt time.Time, skew time.Duration, lim Limits) (Event, *Rejection) {
	var f legacyFields
	if t := bytes.TrimLeft(raw, " \t\r\n"); len(t) == 0 || t[0] != '{' || json.Unmarshal(raw, &f) != nil {
		return Event{}, reject(CodeInvalidEvent, "an event must be a JSON object")
	}
	e := Event{ReceivedAt: receivedAt}
	id, ok, rej := f.legacyText("id", maxIDLen)
	switch {
	case rej != nil:
		return Event{}, &Rejection{Code: CodeInvalidID, Message: rej.Message}
	case !ok:
		return Event{}, reject(CodeMissingID, "id is required: a client-generated unique id, like a UUID")
	case !idPattern.MatchString(id):
		return Event{}, reject(CodeInvalidID, "id must be 1 to %d letters, digits or . _ : -, got %s", maxIDLen, quote(id))
	}
	e.ID = id
	typ, ok, rej := f.legacyText("type", 32)
	if rej != nil || !ok || typeFields[Type(typ)] == nil {
		return Event{}, reject(CodeUnknownType, "type must be one of %s, got %s", typeList(), quote(typ))
	}
	e.Type = Type(typ)
	for name := range f {
		if !slices.Contains(commonFields, name) && !slices.Contains(typeFields[e.Type], name) {
			if owner := ownerOf(name); owner != "" {
				return Event{}, reject(CodeInvalidField, "%s is a field of %s events, not of %s events", name, owner, e.Type)
			}
			return Event{}, reject(CodeInvalidField, "unknown field %s", quote(name))
		}
	}
	if e.VisitorID, rej = f.legacyRequired("visitorId", maxVisitorLen); rej != nil {
		return Event{}, rej
	}
	if e.UserID, _, rej = f.legacyText("userId", maxVisitorLen); rej != nil {
		return Event{}, rej
	}
	if rej := e.legacyParseTime(f, receivedAt, skew, lim); rej != nil {
		return Event{}, rej
	}
	if rej := e.legacyParseTyped(f, lim); rej != nil {
		return Event{}, rej
	}
	return e, nil
}

func (e *Event) legacyParseTime(f legacyFields, receivedAt time.Time, skew time.Duration, lim Limits) *Rejection {
	e.Time = receivedAt
	if raw, ok := f["timestamp"]; ok && string(raw) != "null" {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return reject(CodeInvalidField, "timestamp must be an RFC 3339 time string")
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return reject(CodeInvalidField, "timestamp must be an RFC 3339 time, like 2026-12-06T10:00:00.000Z, got %s", quote(s))
		}
		e.Time = t.Add(skew).UTC()
	}
	if earliest := receivedAt.Add(-lim.MaxAge); e.Time.Before(earliest) {
		return reject(CodeTooOld, "the event happened at %s (corrected for the client's clock), more than %s before it was received: too old to accept",
			e.Time.Format(time.RFC3339), lim.MaxAge)
	}
	if latest := receivedAt.Add(lim.MaxFuture); e.Time.After(latest) {
		return reject(CodeInFuture, "the event is dated %s (corrected for the client's clock), more than %s after it was received: send sentAt with the batch, or fix the timestamp",
			e.Time.Format(time.RFC3339), lim.MaxFuture)
	}
	return nil
}

func (e *Event) legacyParseTyped(f legacyFields, lim Limits) *Rejection {
	var rej *Rejection
	switch e.Type {
	case TypeView:
		return e.legacyParseView(f, lim)
	case TypeConversion:
		return e.legacyParseConversion(f)
	case TypeTrack:
		if e.Name, rej = f.legacyRequired("name", maxNameLen); rej != nil {
			return rej
		}
		e.Properties, rej = f.legacyObject("properties")
	case TypeIdentify:
		if e.UserID == "" {
			return reject(CodeMissingField, "userId is required on identify events")
		}
		if identity.Blocked(e.UserID) || identity.Blocked(e.VisitorID) {
			return reject(CodeBlockedValue, "an identify links ids: userId %s and visitorId %s may not be a placeholder (\"\", 0, -1, null, anonymous, undefined)",
				quote(e.UserID), quote(e.VisitorID))
		}
		e.Traits, rej = f.legacyObject("traits")
	case TypeConsent:
		return e.legacyParseConsent(f)
	}
	return rej
}

func (e *Event) legacyParseView(f legacyFields, lim Limits) *Rejection {
	var rej *Rejection
	if e.DecisionID, _, rej = f.legacyText("decisionId", maxIDLen); rej != nil {
		return rej
	}
	if e.BlockID, _, rej = f.legacyText("blockId", maxIDLen); rej != nil {
		return rej
	}
	if e.Entry, _, rej = f.legacyText("entry", maxIDLen); rej != nil {
		return rej
	}
	switch {
	case (e.DecisionID == "") != (e.BlockID == ""):
		return reject(CodeMissingField, "decisionId and blockId go together: a view names the decided block it showed")
	case e.DecisionID == "" && e.Entry == "":
		return reject(CodeMissingField, "a view needs decisionId and blockId (a decided block), or entry (the entry shown)")
	case e.DecisionID != "":
		// A rule added after the single pass (UNKNOWN_DECISION): the
		// oracle applies it too, so both parsers still read alike.
		e.DecisionID, rej = checkDecision(e.DecisionID, e.Time, lim.MaxAge)
	}
	return rej
}

func (e *Event) legacyParseConversion(f legacyFields) *Rejection {
	var rej *Rejection
	if e.Goal, rej = f.legacyRequired("goal", maxNameLen); rej != nil {
		return rej
	}
	if raw, ok := f["value"]; ok && string(raw) != "null" {
		var n json.Number
		// json.Number also takes a quoted number: a string is not a value.
		if raw[0] == '"' || json.Unmarshal(raw, &n) != nil {
			return reject(CodeInvalidField, "value must be a number")
		}
		v, err := strconv.ParseFloat(string(n), 64)
		if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
			return reject(CodeInvalidField, "value must be a finite number")
		}
		// Rollups keep sums of squares of per-visitor totals: a value
		// beyond any real order would overflow them for good.
		if math.Abs(v) > MaxValue {
			return reject(CodeInvalidField, "value must be between -1e12 and 1e12")
		}
		e.Value = &v
	}
	if e.Currency, _, rej = f.legacyText("currency", 3); rej != nil || (e.Currency != "" && !currencyPattern.MatchString(e.Currency)) {
		return reject(CodeInvalidField, "currency must be an ISO 4217 code, like EUR")
	}
	if e.Currency != "" && e.Value == nil {
		return reject(CodeMissingField, "currency needs a value")
	}
	return nil
}

func (e *Event) legacyParseConsent(f legacyFields) *Rejection {
	var rej *Rejection
	if e.Granted, rej = f.legacyPurposes("granted"); rej != nil {
		return rej
	}
	if e.Withdrawn, rej = f.legacyPurposes("withdrawn"); rej != nil {
		return rej
	}
	if len(e.Granted) == 0 && len(e.Withdrawn) == 0 {
		return reject(CodeMissingField, "a consent event needs granted or withdrawn purposes (%s)", purposeList())
	}
	for _, p := range e.Granted {
		if slices.Contains(e.Withdrawn, p) {
			return reject(CodeInvalidField, "purpose %s is both granted and withdrawn", p)
		}
	}
	return nil
}

// text reads an optional string field: present and non-empty, at most max
// characters, no control characters.
func (f legacyFields) legacyText(name string, max int) (string, bool, *Rejection) {
	raw, ok := f[name]
	if !ok || string(raw) == "null" {
		return "", false, nil
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return "", false, reject(CodeInvalidField, "%s must be a string", name)
	}
	if s == "" {
		return "", false, nil
	}
	if utf8.RuneCountInString(s) > max || !utf8.ValidString(s) || strings.ContainsFunc(s, unicode.IsControl) {
		return "", false, reject(CodeInvalidField, "%s must be at most %d characters, without control characters", name, max)
	}
	return s, true, nil
}

// required is text that must be present.
func (f legacyFields) legacyRequired(name string, max int) (string, *Rejection) {
	s, ok, rej := f.legacyText(name, max)
	if rej == nil && !ok {
		rej = reject(CodeMissingField, "%s is required", name)
	}
	return s, rej
}

// object reads properties or traits: a JSON object, re-encoded so that
// what is stored is valid UTF-8 JSON PostgreSQL's jsonb accepts (no NUL,
// finite numbers), bounded in size and depth.
func (f legacyFields) legacyObject(name string) (json.RawMessage, *Rejection) {
	raw, ok := f[name]
	if !ok || string(raw) == "null" {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return nil, reject(CodeInvalidField, "%s must be a JSON object", name)
	}
	if _, isObj := v.(map[string]any); !isObj {
		return nil, reject(CodeInvalidField, "%s must be a JSON object", name)
	}
	if why := legacyStorable(v, 0); why != "" {
		return nil, reject(CodeInvalidField, "%s: %s", name, why)
	}
	out, err := json.Marshal(v)
	if err != nil || len(out) > maxObjectBytes {
		return nil, reject(CodeInvalidField, "%s must be at most %d bytes of JSON", name, maxObjectBytes)
	}
	return out, nil
}

// storable says why v cannot be stored as jsonb, or "".
func legacyStorable(v any, depth int) string {
	if depth > maxDepth {
		return fmt.Sprintf("nested deeper than %d levels", maxDepth)
	}
	switch t := v.(type) {
	case string:
		if strings.ContainsRune(t, 0) {
			return "strings may not contain NUL characters"
		}
	case json.Number:
		if f, err := strconv.ParseFloat(string(t), 64); err != nil || math.IsInf(f, 0) {
			return fmt.Sprintf("number %s is out of range", clip(string(t)))
		}
	case []any:
		for _, x := range t {
			if why := legacyStorable(x, depth+1); why != "" {
				return why
			}
		}
	case map[string]any:
		for k, x := range t {
			if why := legacyStorable(k, depth+1); why != "" {
				return why
			}
			if why := legacyStorable(x, depth+1); why != "" {
				return why
			}
		}
	}
	return ""
}

// purposes reads a list of consent purposes.
func (f legacyFields) legacyPurposes(name string) ([]Purpose, *Rejection) {
	raw, ok := f[name]
	if !ok || string(raw) == "null" {
		return nil, nil
	}
	var list []string
	if json.Unmarshal(raw, &list) != nil {
		return nil, reject(CodeInvalidField, "%s must be a list of purposes (%s)", name, purposeList())
	}
	var out []Purpose
	for _, s := range list {
		p := Purpose(s)
		if !slices.Contains(Purposes(), p) {
			return nil, reject(CodeInvalidField, "%s: unknown purpose %s (known: %s)", name, quote(s), purposeList())
		}
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out, nil
}

// legacyBatchBody is the wire form of a batch.
type legacyBatchBody struct {
	Events *[]json.RawMessage `json:"events"`
	SentAt *string            `json:"sentAt"`
}

// ParseBatch reads a batch body received at receivedAt. The error, always
// BAD_USER_INPUT, refuses the whole body; otherwise each event is accepted
// or rejected on its own.
func legacyParseBatch(body []byte, receivedAt time.Time, lim Limits) (Batch, error) {
	lim = lim.WithDefaults()
	if len(body) > MaxBodyBytes {
		return Batch{}, errs.E(errs.BadUserInput, "the batch exceeds %d bytes: send fewer events per request", MaxBodyBytes)
	}
	if t := bytes.TrimLeft(body, " \t\r\n"); len(t) == 0 || t[0] != '{' {
		return Batch{}, errs.E(errs.BadUserInput, `the batch must be a JSON object: {"events":[…],"sentAt":"…"}`)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var b legacyBatchBody
	if err := dec.Decode(&b); err != nil {
		return Batch{}, errs.Wrap(errs.BadUserInput, err, `the batch is not {"events":[…],"sentAt":"…"}: %s`, jsonReason(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return Batch{}, errs.E(errs.BadUserInput, "the batch must be one JSON object, with nothing after it")
	}
	switch {
	case b.Events == nil:
		return Batch{}, errs.E(errs.BadUserInput, "events is required: a list of 1 to %d events", MaxEvents)
	case len(*b.Events) == 0:
		return Batch{}, errs.E(errs.BadUserInput, "events is empty: send 1 to %d events", MaxEvents)
	case len(*b.Events) > MaxEvents:
		return Batch{}, errs.E(errs.BadUserInput, "the batch has %d events: at most %d per request", len(*b.Events), MaxEvents)
	}
	out := Batch{}
	if b.SentAt != nil {
		sent, err := time.Parse(time.RFC3339Nano, *b.SentAt)
		if err != nil {
			return Batch{}, errs.E(errs.BadUserInput, "sentAt must be an RFC 3339 time, like 2026-12-06T10:00:00.000Z, got %q", clip(*b.SentAt))
		}
		out.Skew = receivedAt.Sub(sent)
	}
	seen := make(map[string]bool, len(*b.Events))
	for i, raw := range *b.Events {
		e, rej := legacyParseEvent(raw, receivedAt, out.Skew, lim)
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
	return out, nil
}
