package measurement

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/errs"
)

var received = time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)

func batchOf(events ...string) []byte {
	return []byte(`{"events":[` + strings.Join(events, ",") + `]}`)
}

// TestParseEvent reads like doc.go's table: what each type needs, and
// each refusal's code.
func TestParseEvent(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, event string
		code        Code // "" accepted
		msg         string
	}{
		{"view of a decided block", `{"id":"e1","type":"view","visitorId":"v1","decisionId":"` + decided + `","blockId":"b1"}`, "", ""},
		{"view of an entry", `{"id":"e1","type":"view","visitorId":"v1","entry":"home"}`, "", ""},
		{"view of nothing", `{"id":"e1","type":"view","visitorId":"v1"}`, CodeMissingField, "decisionId and blockId"},
		{"view with decision but no block", `{"id":"e1","type":"view","visitorId":"v1","decisionId":"` + decided + `"}`, CodeMissingField, "go together"},
		{"view of an unknown decision", `{"id":"e1","type":"view","visitorId":"v1","decisionId":"d1","blockId":"b1"}`, CodeUnknownDecision, "a UUIDv7"},
		{"conversion with value", `{"id":"e1","type":"conversion","visitorId":"v1","goal":"purchase","value":19.99,"currency":"EUR"}`, "", ""},
		{"conversion without value", `{"id":"e1","type":"conversion","visitorId":"v1","goal":"signup"}`, "", ""},
		{"conversion without goal", `{"id":"e1","type":"conversion","visitorId":"v1"}`, CodeMissingField, "goal is required"},
		{"currency without value", `{"id":"e1","type":"conversion","visitorId":"v1","goal":"g","currency":"EUR"}`, CodeMissingField, "currency needs a value"},
		{"bad currency", `{"id":"e1","type":"conversion","visitorId":"v1","goal":"g","value":1,"currency":"euro"}`, CodeInvalidField, "ISO 4217"},
		{"value not a number", `{"id":"e1","type":"conversion","visitorId":"v1","goal":"g","value":"12"}`, CodeInvalidField, "value must be a number"},
		{"value overflows", `{"id":"e1","type":"conversion","visitorId":"v1","goal":"g","value":1e999}`, CodeInvalidField, "finite"},
		{"value beyond any order", `{"id":"e1","type":"conversion","visitorId":"v1","goal":"g","value":-2e12}`, CodeInvalidField, "between -1e12 and 1e12"},
		{"a refund", `{"id":"e1","type":"conversion","visitorId":"v1","goal":"refund","value":-1e12}`, "", ""},
		{"track", `{"id":"e1","type":"track","visitorId":"v1","name":"video_play","properties":{"seconds":12,"tags":["a"]}}`, "", ""},
		{"track without name", `{"id":"e1","type":"track","visitorId":"v1"}`, CodeMissingField, "name is required"},
		{"properties not an object", `{"id":"e1","type":"track","visitorId":"v1","name":"n","properties":[1]}`, CodeInvalidField, "JSON object"},
		{"properties with NUL", `{"id":"e1","type":"track","visitorId":"v1","name":"n","properties":{"a":"x\u0000y"}}`, CodeInvalidField, "NUL"},
		{"properties with a huge number", `{"id":"e1","type":"track","visitorId":"v1","name":"n","properties":{"a":1e999999}}`, CodeInvalidField, "out of range"},
		{"identify", `{"id":"e1","type":"identify","visitorId":"v1","userId":"u1","traits":{"plan":"pro"}}`, "", ""},
		{"identify without user", `{"id":"e1","type":"identify","visitorId":"v1"}`, CodeMissingField, "userId is required"},
		{"identify with a blocked user id", `{"id":"e1","type":"identify","visitorId":"v1","userId":"Anonymous"}`, CodeBlockedValue, `userId "Anonymous"`},
		{"identify with a blocked visitor id", `{"id":"e1","type":"identify","visitorId":"null","userId":"u1"}`, CodeBlockedValue, "placeholder"},
		{"identify with user id 0", `{"id":"e1","type":"identify","visitorId":"v1","userId":"0"}`, CodeBlockedValue, "placeholder"},
		{"a view from visitor 0 is no link: kept", `{"id":"e1","type":"view","visitorId":"0","entry":"home"}`, "", ""},
		{"consent", `{"id":"e1","type":"consent","visitorId":"v1","granted":["measurement"],"withdrawn":["personalization"]}`, "", ""},
		{"consent of nothing", `{"id":"e1","type":"consent","visitorId":"v1","granted":[]}`, CodeMissingField, "granted or withdrawn"},
		{"unknown purpose", `{"id":"e1","type":"consent","visitorId":"v1","granted":["ads"]}`, CodeInvalidField, "unknown purpose"},
		{"granted and withdrawn", `{"id":"e1","type":"consent","visitorId":"v1","granted":["storage"],"withdrawn":["storage"]}`, CodeInvalidField, "both"},
		{"unknown type", `{"id":"e1","type":"click","visitorId":"v1"}`, CodeUnknownType, "view, conversion, track, identify, consent"},
		{"no type", `{"id":"e1","visitorId":"v1"}`, CodeUnknownType, "type must be one of"},
		{"missing id", `{"type":"view","visitorId":"v1","entry":"home"}`, CodeMissingID, "id is required"},
		{"empty id", `{"id":"","type":"view","visitorId":"v1","entry":"home"}`, CodeMissingID, "id is required"},
		{"id with a space", `{"id":"a b","type":"view","visitorId":"v1","entry":"home"}`, CodeInvalidID, "letters, digits"},
		{"id not a string", `{"id":7,"type":"view","visitorId":"v1","entry":"home"}`, CodeInvalidID, "id must be a string"},
		{"id too long", `{"id":"` + strings.Repeat("a", 65) + `","type":"view","visitorId":"v1","entry":"home"}`, CodeInvalidID, "64"},
		{"missing visitor", `{"id":"e1","type":"view","entry":"home"}`, CodeMissingField, "visitorId is required"},
		{"visitor with a control character", `{"id":"e1","type":"view","visitorId":"v\n1","entry":"home"}`, CodeInvalidField, "control"},
		{"field of another type", `{"id":"e1","type":"view","visitorId":"v1","entry":"home","goal":"g"}`, CodeInvalidField, "goal is a field of conversion events"},
		{"unknown field", `{"id":"e1","type":"view","visitorId":"v1","entry":"home","vistorId":"x"}`, CodeInvalidField, `unknown field "vistorId"`},
		{"not an object", `"view"`, CodeInvalidEvent, "JSON object"},
		{"null", `null`, CodeInvalidEvent, "JSON object"},
		{"bad timestamp", `{"id":"e1","type":"view","visitorId":"v1","entry":"home","timestamp":"yesterday"}`, CodeInvalidField, "RFC 3339"},
		{"a year ahead", `{"id":"e1","type":"view","visitorId":"v1","entry":"home","timestamp":"2027-12-06T10:00:00Z"}`, CodeInFuture, "10m0s after"},
		{"eight days old", `{"id":"e1","type":"view","visitorId":"v1","entry":"home","timestamp":"2026-11-28T10:00:00Z"}`, CodeTooOld, "168h0m0s before"},
		{"six days old", `{"id":"e1","type":"view","visitorId":"v1","entry":"home","timestamp":"2026-11-30T10:00:00Z"}`, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			parsesAs(t, c.event, c.code, c.msg)
		})
	}
}

// parsesAs checks that event, alone in a batch, is accepted (code "") or
// refused with code and a message containing msg.
func parsesAs(t *testing.T, event string, code Code, msg string) {
	t.Helper()
	b, err := ParseBatch(batchOf(event), received, Limits{})
	require.NoError(t, err)
	if code == "" {
		require.Empty(t, b.Rejected)
		require.Len(t, b.Events, 1)
		return
	}
	require.Empty(t, b.Events)
	require.Len(t, b.Rejected, 1)
	require.Equal(t, code, b.Rejected[0].Code, b.Rejected[0].Message)
	require.Contains(t, b.Rejected[0].Message, msg)
}

// One bad event never sinks the batch: the others are kept, in order,
// and each refusal names its index.
func TestParseBatchKeepsTheRest(t *testing.T) {
	t.Parallel()
	b, err := ParseBatch(batchOf(
		`{"id":"a","type":"view","visitorId":"v","entry":"home"}`,
		`{"id":"b","type":"nope","visitorId":"v"}`,
		`{"id":"c","type":"track","visitorId":"v","name":"n"}`,
		`{"id":"a","type":"track","visitorId":"v","name":"again"}`,
	), received, Limits{})
	require.NoError(t, err)
	require.Equal(t, []string{"a", "c"}, []string{b.Events[0].ID, b.Events[1].ID})
	require.Equal(t, []Rejection{
		{Index: 1, Code: CodeUnknownType, Message: b.Rejected[0].Message},
		{Index: 3, Code: CodeDuplicateID, Message: `id "a" appears earlier in this batch`},
	}, b.Rejected)
}

// Skew: a kiosk whose clock is 2 hours behind sends its batch at 08:00 by
// its clock, received at 10:00: an event it dated 07:30 happened at 09:30.
func TestParseBatchCorrectsSkew(t *testing.T) {
	t.Parallel()
	body := `{"sentAt":"2026-12-06T08:00:00Z","events":[
		{"id":"a","type":"view","visitorId":"v","entry":"home","timestamp":"2026-12-06T07:30:00Z"},
		{"id":"b","type":"view","visitorId":"v","entry":"home"},
		{"id":"c","type":"view","visitorId":"v","entry":"home","timestamp":"2026-12-06T10:00:00Z"}]}`
	b, err := ParseBatch([]byte(body), received, Limits{})
	require.NoError(t, err)
	require.Equal(t, 2*time.Hour, b.Skew)
	require.Equal(t, received.Add(-30*time.Minute), b.Events[0].Time)
	require.Equal(t, received, b.Events[1].Time, "no timestamp: when received")
	require.Len(t, b.Events, 2)
	require.Equal(t, CodeInFuture, b.Rejected[0].Code, "10:00 on a clock 2 h behind is noon: in the future")

	// Without sentAt, the same timestamp is taken as it is.
	b, err = ParseBatch(batchOf(`{"id":"c","type":"view","visitorId":"v","entry":"home","timestamp":"2026-12-06T10:00:00Z"}`), received, Limits{})
	require.NoError(t, err)
	require.Equal(t, received, b.Events[0].Time)
	require.Equal(t, received, b.Events[0].ReceivedAt)
}

func TestParseBatchWindow(t *testing.T) {
	t.Parallel()
	lim := Limits{MaxAge: time.Hour, MaxFuture: time.Minute}
	at := func(d time.Duration) []byte {
		return batchOf(fmt.Sprintf(`{"id":"a","type":"view","visitorId":"v","entry":"e","timestamp":%q}`, received.Add(d).Format(time.RFC3339Nano)))
	}
	for d, code := range map[time.Duration]Code{-time.Hour: "", -time.Hour - time.Nanosecond: CodeTooOld,
		time.Minute: "", time.Minute + time.Nanosecond: CodeInFuture} {
		b, err := ParseBatch(at(d), received, lim)
		require.NoError(t, err)
		if code == "" {
			require.Len(t, b.Events, 1, d)
			continue
		}
		require.Equal(t, code, b.Rejected[0].Code, d)
	}
}

// The whole body is refused, with one BAD_USER_INPUT, only when it is not
// a batch at all or breaks a batch limit.
func TestParseBatchRefusesBody(t *testing.T) {
	t.Parallel()
	ev := `{"id":"%d","type":"view","visitorId":"v","entry":"e"}`
	many := make([]string, MaxEvents+1)
	for i := range many {
		many[i] = fmt.Sprintf(ev, i)
	}
	for name, c := range map[string]struct {
		body string
		msg  string
	}{
		"invalid JSON":        {`{"events":[`, "is not"},
		"not an object":       {`[1,2]`, "must be a JSON object"},
		"empty":               {``, "must be a JSON object"},
		"no events":           {`{"sentAt":"2026-12-06T10:00:00Z"}`, "events is required"},
		"empty events":        {`{"events":[]}`, "events is empty"},
		"events not a list":   {`{"events":{}}`, "events must be a list"},
		"501 events":          {string(batchOf(many...)), "501 events: at most 500"},
		"unknown field":       {`{"events":[{}],"extra":"x"}`, `unknown field "extra"`},
		"bad sentAt":          {`{"events":[{}],"sentAt":"now"}`, "sentAt must be an RFC 3339 time"},
		"trailing data":       {`{"events":[{}]} {}`, "nothing after it"},
		"too large":           {`{"events":["` + strings.Repeat("x", MaxBodyBytes) + `"]}`, "exceeds 1048576 bytes"},
		"sentAt not a string": {`{"events":[{}],"sentAt":5}`, "sentAt must be a string"},
	} {
		_, err := ParseBatch([]byte(c.body), received, Limits{})
		require.Error(t, err, name)
		e, ok := errs.As(err)
		require.True(t, ok, name)
		require.Equal(t, errs.BadUserInput, e.Code, name)
		require.Contains(t, e.Message, c.msg, name)
	}
	b, err := ParseBatch(batchOf(many[:MaxEvents]...), received, Limits{})
	require.NoError(t, err)
	require.Len(t, b.Events, MaxEvents)
}

// What the log carries round-trips: the consumer reads what the collector
// accepted.
func TestEventJSONRoundTrip(t *testing.T) {
	t.Parallel()
	b, err := ParseBatch(batchOf(
		`{"id":"a","type":"conversion","visitorId":"v","userId":"u","goal":"g","value":0,"currency":"EUR"}`,
		`{"id":"b","type":"track","visitorId":"v","name":"n","properties":{"big":12345678901234567890}}`,
		`{"id":"c","type":"consent","visitorId":"v","granted":["storage","storage"]}`,
	), received, Limits{})
	require.NoError(t, err)
	require.Empty(t, b.Rejected)
	for _, e := range b.Events {
		raw, err := json.Marshal(e)
		require.NoError(t, err)
		var back Event
		require.NoError(t, json.Unmarshal(raw, &back))
		require.Equal(t, e, back)
	}
	require.Equal(t, 0.0, *b.Events[0].Value, "a zero value is a value")
	require.JSONEq(t, `{"big":12345678901234567890}`, string(b.Events[1].Properties), "numbers keep their digits")
	require.Equal(t, []Purpose{PurposeStorage}, b.Events[2].Granted)
}
