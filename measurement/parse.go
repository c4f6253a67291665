package measurement

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/mosaichq/mosaic/measurement/identity"
)

// MaxValue bounds a conversion's value (either sign).
const MaxValue = 1e12

// Field limits.
const (
	maxIDLen      = 64
	maxVisitorLen = 128
	maxNameLen    = 100
	// maxObjectBytes bounds properties and traits, re-encoded.
	maxObjectBytes = 16 << 10
	// maxDepth bounds nesting in properties and traits.
	maxDepth = 16
)

var (
	idPattern       = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,64}$`)
	currencyPattern = regexp.MustCompile(`^[A-Z]{3}$`)
)

// commonFields every event may carry; typeFields per type.
var (
	commonFields = []string{"id", "type", "visitorId", "userId", "timestamp"}
	typeFields   = map[Type][]string{
		TypeView:       {"decisionId", "blockId", "entry"},
		TypeConversion: {"goal", "value", "currency"},
		TypeTrack:      {"name", "properties"},
		TypeIdentify:   {"traits"},
		TypeConsent:    {"granted", "withdrawn"},
	}
)

// fields is one event's JSON object.
type fields map[string]json.RawMessage

func reject(code Code, format string, args ...any) *Rejection {
	return &Rejection{Code: code, Message: fmt.Sprintf(format, args...)}
}

// parseEvent checks one event and corrects its time by skew.
func parseEvent(raw json.RawMessage, receivedAt time.Time, skew time.Duration, lim Limits) (Event, *Rejection) {
	var f fields
	if t := bytes.TrimLeft(raw, " \t\r\n"); len(t) == 0 || t[0] != '{' || json.Unmarshal(raw, &f) != nil {
		return Event{}, reject(CodeInvalidEvent, "an event must be a JSON object")
	}
	e := Event{ReceivedAt: receivedAt}
	id, ok, rej := f.text("id", maxIDLen)
	switch {
	case rej != nil:
		return Event{}, &Rejection{Code: CodeInvalidID, Message: rej.Message}
	case !ok:
		return Event{}, reject(CodeMissingID, "id is required: a client-generated unique id, like a UUID")
	case !idPattern.MatchString(id):
		return Event{}, reject(CodeInvalidID, "id must be 1 to %d letters, digits or . _ : -, got %s", maxIDLen, quote(id))
	}
	e.ID = id
	typ, ok, rej := f.text("type", 32)
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
	if e.VisitorID, rej = f.required("visitorId", maxVisitorLen); rej != nil {
		return Event{}, rej
	}
	if e.UserID, _, rej = f.text("userId", maxVisitorLen); rej != nil {
		return Event{}, rej
	}
	if rej := e.parseTime(f, receivedAt, skew, lim); rej != nil {
		return Event{}, rej
	}
	if rej := e.parseTyped(f); rej != nil {
		return Event{}, rej
	}
	return e, nil
}

func (e *Event) parseTime(f fields, receivedAt time.Time, skew time.Duration, lim Limits) *Rejection {
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

func (e *Event) parseTyped(f fields) *Rejection {
	var rej *Rejection
	switch e.Type {
	case TypeView:
		return e.parseView(f)
	case TypeConversion:
		return e.parseConversion(f)
	case TypeTrack:
		if e.Name, rej = f.required("name", maxNameLen); rej != nil {
			return rej
		}
		e.Properties, rej = f.object("properties")
	case TypeIdentify:
		if e.UserID == "" {
			return reject(CodeMissingField, "userId is required on identify events")
		}
		if identity.Blocked(e.UserID) || identity.Blocked(e.VisitorID) {
			return reject(CodeBlockedValue, "an identify links ids: userId %s and visitorId %s may not be a placeholder (\"\", 0, -1, null, anonymous, undefined)",
				quote(e.UserID), quote(e.VisitorID))
		}
		e.Traits, rej = f.object("traits")
	case TypeConsent:
		return e.parseConsent(f)
	}
	return rej
}

func (e *Event) parseView(f fields) *Rejection {
	var rej *Rejection
	if e.DecisionID, _, rej = f.text("decisionId", maxIDLen); rej != nil {
		return rej
	}
	if e.BlockID, _, rej = f.text("blockId", maxIDLen); rej != nil {
		return rej
	}
	if e.Entry, _, rej = f.text("entry", maxIDLen); rej != nil {
		return rej
	}
	switch {
	case (e.DecisionID == "") != (e.BlockID == ""):
		return reject(CodeMissingField, "decisionId and blockId go together: a view names the decided block it showed")
	case e.DecisionID == "" && e.Entry == "":
		return reject(CodeMissingField, "a view needs decisionId and blockId (a decided block), or entry (the entry shown)")
	}
	return nil
}

func (e *Event) parseConversion(f fields) *Rejection {
	var rej *Rejection
	if e.Goal, rej = f.required("goal", maxNameLen); rej != nil {
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
	if e.Currency, _, rej = f.text("currency", 3); rej != nil || (e.Currency != "" && !currencyPattern.MatchString(e.Currency)) {
		return reject(CodeInvalidField, "currency must be an ISO 4217 code, like EUR")
	}
	if e.Currency != "" && e.Value == nil {
		return reject(CodeMissingField, "currency needs a value")
	}
	return nil
}

func (e *Event) parseConsent(f fields) *Rejection {
	var rej *Rejection
	if e.Granted, rej = f.purposes("granted"); rej != nil {
		return rej
	}
	if e.Withdrawn, rej = f.purposes("withdrawn"); rej != nil {
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
func (f fields) text(name string, max int) (string, bool, *Rejection) {
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
func (f fields) required(name string, max int) (string, *Rejection) {
	s, ok, rej := f.text(name, max)
	if rej == nil && !ok {
		rej = reject(CodeMissingField, "%s is required", name)
	}
	return s, rej
}

// object reads properties or traits: a JSON object, re-encoded so that
// what is stored is valid UTF-8 JSON PostgreSQL's jsonb accepts (no NUL,
// finite numbers), bounded in size and depth.
func (f fields) object(name string) (json.RawMessage, *Rejection) {
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
	if why := storable(v, 0); why != "" {
		return nil, reject(CodeInvalidField, "%s: %s", name, why)
	}
	out, err := json.Marshal(v)
	if err != nil || len(out) > maxObjectBytes {
		return nil, reject(CodeInvalidField, "%s must be at most %d bytes of JSON", name, maxObjectBytes)
	}
	return out, nil
}

// storable says why v cannot be stored as jsonb, or "".
func storable(v any, depth int) string {
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
			if why := storable(x, depth+1); why != "" {
				return why
			}
		}
	case map[string]any:
		for k, x := range t {
			if why := storable(k, depth+1); why != "" {
				return why
			}
			if why := storable(x, depth+1); why != "" {
				return why
			}
		}
	}
	return ""
}

// purposes reads a list of consent purposes.
func (f fields) purposes(name string) ([]Purpose, *Rejection) {
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

// ownerOf names the event type a field belongs to, or "".
func ownerOf(field string) Type {
	for _, t := range Types() {
		if slices.Contains(typeFields[t], field) {
			return t
		}
	}
	return ""
}

func typeList() string {
	var s []string
	for _, t := range Types() {
		s = append(s, string(t))
	}
	return strings.Join(s, ", ")
}

func purposeList() string {
	var s []string
	for _, p := range Purposes() {
		s = append(s, string(p))
	}
	return strings.Join(s, ", ")
}

// clip shortens what a message quotes back.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	return string([]rune(s)[:40]) + "…"
}

func quote(s string) string { return strconv.Quote(clip(s)) }
