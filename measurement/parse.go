package measurement

import (
	"fmt"
	"math"
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

// field is a known event field.
type field uint8

const (
	fID field = iota
	fType
	fVisitorID
	fUserID
	fTimestamp
	fDecisionID
	fBlockID
	fEntry
	fGoal
	fValue
	fCurrency
	fName
	fProperties
	fTraits
	fGranted
	fWithdrawn
	numFields
	fUnknown = numFields
)

var fieldNames = [numFields]string{"id", "type", "visitorId", "userId", "timestamp", "decisionId", "blockId", "entry",
	"goal", "value", "currency", "name", "properties", "traits", "granted", "withdrawn"}

// fieldOf names a key's field (fUnknown for any other key).
func fieldOf(name string) field {
	for fd, n := range fieldNames {
		if n == name {
			return field(fd)
		}
	}
	return fUnknown
}

// typeMask is the fields an event of a type may carry.
var typeMask = func() map[Type]uint32 {
	m := map[Type]uint32{}
	for t, names := range typeFields {
		for _, n := range append(slices.Clone(commonFields), names...) {
			m[t] |= 1 << fieldOf(n)
		}
	}
	return m
}()

// fields is one event's JSON object, read once: each known field's raw
// value (nil when absent; a repeated key's last value, as encoding/json
// kept it) and where each key first appeared, for the refusal of a field
// the event's type does not take.
type fields struct {
	val [numFields][]byte
	// first is a known field's first position among the keys, plus one.
	first [numFields]int
	// unknown is the first unknown key; unknownPos its position plus one.
	unknown    string
	unknownPos int
}

// readFields reads an event object's members.
func (f *fields) read(obj []byte) {
	pos := 0
	members(obj, func(key, val []byte) bool {
		pos++
		var fd field
		if name := key[1 : len(key)-1]; plainKey(name) {
			fd = fieldOf(string(name))
		} else {
			fd = fieldOf(unquote(key))
		}
		if fd == fUnknown {
			if f.unknownPos == 0 {
				f.unknown, f.unknownPos = unquote(key), pos
			}
			return true
		}
		f.val[fd] = val
		if f.first[fd] == 0 {
			f.first[fd] = pos
		}
		return true
	})
}

// plainKey: nothing in it to unescape or replace.
func plainKey(k []byte) bool {
	for _, c := range k {
		if c == '\\' || c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func reject(code Code, format string, args ...any) *Rejection {
	return &Rejection{Code: code, Message: fmt.Sprintf(format, args...)}
}

// parseEvent checks one event (a value of a body json.Valid accepted) and
// corrects its time by skew.
func parseEvent(raw []byte, receivedAt time.Time, skew time.Duration, lim Limits) (Event, *Rejection) {
	if raw[0] != '{' {
		return Event{}, reject(CodeInvalidEvent, "an event must be a JSON object")
	}
	var f fields
	f.read(raw)
	e := Event{ReceivedAt: receivedAt}
	id, ok, rej := f.text(fID, maxIDLen)
	switch {
	case rej != nil:
		return Event{}, &Rejection{Code: CodeInvalidID, Message: rej.Message}
	case !ok:
		return Event{}, reject(CodeMissingID, "id is required: a client-generated unique id, like a UUID")
	case !validID(id):
		return Event{}, reject(CodeInvalidID, "id must be 1 to %d letters, digits or . _ : -, got %s", maxIDLen, quote(id))
	}
	e.ID = id
	typ, ok, rej := f.text(fType, 32)
	if rej != nil || !ok || typeFields[Type(typ)] == nil {
		return Event{}, reject(CodeUnknownType, "type must be one of %s, got %s", typeList(), quote(typ))
	}
	e.Type = Type(typ)
	if rej := f.foreign(e.Type); rej != nil {
		return Event{}, rej
	}
	if e.VisitorID, rej = f.required(fVisitorID, maxVisitorLen); rej != nil {
		return Event{}, rej
	}
	if e.UserID, _, rej = f.text(fUserID, maxVisitorLen); rej != nil {
		return Event{}, rej
	}
	if rej := e.parseTime(&f, receivedAt, skew, lim); rej != nil {
		return Event{}, rej
	}
	// After parseTime: a view's decisionId is checked against e.Time.
	if rej := e.parseTyped(&f, lim); rej != nil {
		return Event{}, rej
	}
	return e, nil
}

// foreign refuses the first key (in the object's order) that is not a
// field of typ's events.
func (f *fields) foreign(typ Type) *Rejection {
	allowed := typeMask[typ]
	at, bad := 0, fUnknown
	for fd := range numFields {
		if f.first[fd] != 0 && allowed&(1<<fd) == 0 && (at == 0 || f.first[fd] < at) {
			at, bad = f.first[fd], fd
		}
	}
	if f.unknownPos != 0 && (at == 0 || f.unknownPos < at) {
		return reject(CodeInvalidField, "unknown field %s", quote(f.unknown))
	}
	if at == 0 {
		return nil
	}
	name := fieldNames[bad]
	return reject(CodeInvalidField, "%s is a field of %s events, not of %s events", name, ownerOf(name), typ)
}

// validID: 1 to maxIDLen letters, digits or . _ : -.
func validID(id string) bool {
	if id == "" || len(id) > maxIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == ':' || c == '-') {
			return false
		}
	}
	return true
}

// validCurrency: three capital letters.
func validCurrency(s string) bool {
	return len(s) == 3 && 'A' <= s[0] && s[0] <= 'Z' && 'A' <= s[1] && s[1] <= 'Z' && 'A' <= s[2] && s[2] <= 'Z'
}

func (e *Event) parseTime(f *fields, receivedAt time.Time, skew time.Duration, lim Limits) *Rejection {
	e.Time = receivedAt
	if raw := f.val[fTimestamp]; raw != nil && !isNull(raw) {
		if raw[0] != '"' {
			return reject(CodeInvalidField, "timestamp must be an RFC 3339 time string")
		}
		s := unquote(raw)
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

func (e *Event) parseTyped(f *fields, lim Limits) *Rejection {
	var rej *Rejection
	switch e.Type {
	case TypeView:
		return e.parseView(f, lim)
	case TypeConversion:
		return e.parseConversion(f)
	case TypeTrack:
		if e.Name, rej = f.required(fName, maxNameLen); rej != nil {
			return rej
		}
		e.Properties, rej = f.object(fProperties)
	case TypeIdentify:
		if e.UserID == "" {
			return reject(CodeMissingField, "userId is required on identify events")
		}
		if identity.Blocked(e.UserID) || identity.Blocked(e.VisitorID) {
			return reject(CodeBlockedValue, "an identify links ids: userId %s and visitorId %s may not be a placeholder (\"\", 0, -1, null, anonymous, undefined)",
				quote(e.UserID), quote(e.VisitorID))
		}
		e.Traits, rej = f.object(fTraits)
	case TypeConsent:
		return e.parseConsent(f)
	}
	return rej
}

func (e *Event) parseView(f *fields, lim Limits) *Rejection {
	var rej *Rejection
	if e.DecisionID, _, rej = f.text(fDecisionID, maxIDLen); rej != nil {
		return rej
	}
	if e.BlockID, _, rej = f.text(fBlockID, maxIDLen); rej != nil {
		return rej
	}
	if e.Entry, _, rej = f.text(fEntry, maxIDLen); rej != nil {
		return rej
	}
	switch {
	case (e.DecisionID == "") != (e.BlockID == ""):
		return reject(CodeMissingField, "decisionId and blockId go together: a view names the decided block it showed")
	case e.DecisionID == "" && e.Entry == "":
		return reject(CodeMissingField, "a view needs decisionId and blockId (a decided block), or entry (the entry shown)")
	case e.DecisionID != "":
		e.DecisionID, rej = checkDecision(e.DecisionID, e.Time, lim.MaxAge)
	}
	return rej
}

func (e *Event) parseConversion(f *fields) *Rejection {
	var rej *Rejection
	if e.Goal, rej = f.required(fGoal, maxNameLen); rej != nil {
		return rej
	}
	if raw := f.val[fValue]; raw != nil && !isNull(raw) {
		// A quoted number is not a value.
		if raw[0] != '-' && (raw[0] < '0' || raw[0] > '9') {
			return reject(CodeInvalidField, "value must be a number")
		}
		v, err := strconv.ParseFloat(string(raw), 64)
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
	if e.Currency, _, rej = f.text(fCurrency, 3); rej != nil || (e.Currency != "" && !validCurrency(e.Currency)) {
		return reject(CodeInvalidField, "currency must be an ISO 4217 code, like EUR")
	}
	if e.Currency != "" && e.Value == nil {
		return reject(CodeMissingField, "currency needs a value")
	}
	return nil
}

func (e *Event) parseConsent(f *fields) *Rejection {
	var rej *Rejection
	if e.Granted, rej = f.purposes(fGranted); rej != nil {
		return rej
	}
	if e.Withdrawn, rej = f.purposes(fWithdrawn); rej != nil {
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
func (f *fields) text(fd field, max int) (string, bool, *Rejection) {
	raw := f.val[fd]
	if raw == nil || isNull(raw) {
		return "", false, nil
	}
	if raw[0] != '"' {
		return "", false, reject(CodeInvalidField, "%s must be a string", fieldNames[fd])
	}
	s := unquote(raw)
	if s == "" {
		return "", false, nil
	}
	if utf8.RuneCountInString(s) > max || !utf8.ValidString(s) || strings.ContainsFunc(s, unicode.IsControl) {
		return "", false, reject(CodeInvalidField, "%s must be at most %d characters, without control characters", fieldNames[fd], max)
	}
	return s, true, nil
}

// required is text that must be present.
func (f *fields) required(fd field, max int) (string, *Rejection) {
	s, ok, rej := f.text(fd, max)
	if rej == nil && !ok {
		rej = reject(CodeMissingField, "%s is required", fieldNames[fd])
	}
	return s, rej
}

// purposes reads a list of consent purposes.
func (f *fields) purposes(fd field) ([]Purpose, *Rejection) {
	raw := f.val[fd]
	if raw == nil || isNull(raw) {
		return nil, nil
	}
	name := fieldNames[fd]
	bad := raw[0] != '['
	var list []string
	if !bad {
		elements(raw, func(x []byte) bool {
			switch {
			case x[0] == '"':
				list = append(list, unquote(x))
			case isNull(x):
				list = append(list, "") // encoding/json leaves a null element empty
			default:
				bad = true
			}
			return !bad
		})
	}
	if bad {
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
