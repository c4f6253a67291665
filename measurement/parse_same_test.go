package measurement

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/errs"
)

// sameAsBefore fails t when the single-pass parser reads body otherwise
// than the parser it replaced (parse_legacy_test.go): the same refusal of
// the body, word for word, or the same events, skew and rejections.
func sameAsBefore(t *testing.T, body []byte) {
	t.Helper()
	got, err := ParseBatch(body, received, Limits{})
	want, wantErr := legacyParseBatch(body, received, Limits{})
	if wantErr != nil || err != nil {
		require.Error(t, err, "the old parser refused %q: %v", body, wantErr)
		require.Error(t, wantErr, "the old parser took %q", body)
		require.Equal(t, errs.BadUserInput, errs.CodeOf(err))
		g, _ := errs.As(err)
		w, _ := errs.As(wantErr)
		require.Equal(t, w.Message, g.Message, "%q", body)
		return
	}
	require.Equal(t, want.Skew, got.Skew)
	require.Equal(t, want.Events, got.Events, "%q", body)
	require.Len(t, got.Rejected, len(want.Rejected), "%q: %+v", body, got.Rejected)
	for i, r := range got.Rejected {
		w := want.Rejected[i]
		require.Equal(t, w.Index, r.Index)
		require.Equal(t, w.Code, r.Code, "%q: %s / %s", body, w.Message, r.Message)
		if r.Message != w.Message {
			// An event with several faults: the old parser named one of
			// them at random (it went through a map), this one the first.
			require.True(t, oldMayName(body, i, r.Message), "%q: old %q, new %q", body, w.Message, r.Message)
		}
	}
}

// oldMayName: some run of the old parser gives rejection i this message.
func oldMayName(body []byte, i int, msg string) bool {
	for range 200 {
		b, _ := legacyParseBatch(body, received, Limits{})
		if b.Rejected[i].Message == msg {
			return true
		}
	}
	return false
}

// Every way the old parser's tests and the bad input ask, plus
// what JSON lets a client write differently for the same thing (escapes,
// repeated keys, case, whitespace, invalid UTF-8).
var sameCases = []string{
	`{"events":[{"id":"a","type":"view","visitorId":"v","entry":"e"}]}`,
	` { "events" : [ { "id" : "a" , "type" : "view" , "visitorId" : "v" , "entry" : "e" } ] , "sentAt" : "2026-12-06T08:00:00Z" } `,
	`{"EVENTS":[{"id":"a","type":"view","visitorId":"v","entry":"e"}],"SENTAT":"2026-12-06T08:00:00Z"}`,
	`{"events":[{"id":"a","type":"view","visitorId":"v","entry":"e"}],"events":null}`,
	`{"events":null,"events":[{"id":"a","type":"view","visitorId":"v","entry":"e"}]}`,
	`{"events":[{"id":"a","type":"view","visitorId":"v","entry":"e"}],"sentAt":null}`,
	`{"events":[{"i\u0064":"a","type":"vi\u0065w","visitorId":"v\u00e9\ud83d\ude00","entry":"e\ud800x"}]}`,
	`{"events":[{"id":"a","type":"view","visitorId":"v\ud800\u0041","entry":"\udc00"}]}`,
	"{\"events\":[{\"id\":\"a\",\"type\":\"view\",\"visitorId\":\"v\xff\xfe\",\"entry\":\"e\"}]}",
	"{\"events\":[{\"id\":\"a\",\"type\":\"track\",\"visitorId\":\"v\",\"name\":\"n\",\"properties\":{\"\xff\":1,\"\xfe\":2,\"b\":\"<&>\u2028\\u2029\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0001\"}}]}",
	`{"events":[{"id":"a","id":"b","type":"view","visitorId":"v","entry":"e"}]}`,
	`{"events":[{"id":"a","type":"track","visitorId":"v","name":"n","properties":{"z":1,"a":[1,2,{"k":null}],"a":true,"m":{"y":-0.5e-3,"x":12345678901234567890}}}]}`,
	`{"events":[{"id":"a","type":"track","visitorId":"v","name":"n","properties":{"a":"\u0000","a":1}}]}`,
	`{"events":[{"id":"a","type":"track","visitorId":"v","name":"n","properties":{"a\u0000":1}}]}`,
	`{"events":[{"id":"a","type":"track","visitorId":"v","name":"n","properties":{"a":1e400}}]}`,
	`{"events":[{"id":"a","type":"track","visitorId":"v","name":"n","properties":{}}]}`,
	`{"events":[{"id":"a","type":"track","visitorId":"v","name":"n","properties":null}]}`,
	`{"events":[{"id":"a","type":"track","visitorId":"v","name":"n","properties":"x"}]}`,
	`{"events":[{"id":"a","type":"identify","visitorId":"v","userId":"u","traits":{"plan":"pro","n":[[[]]]}}]}`,
	`{"events":[{"id":"a","type":"conversion","visitorId":"v","goal":"g","value":-0,"currency":"EUR"}]}`,
	`{"events":[{"id":"a","type":"conversion","visitorId":"v","goal":"g","value":true}]}`,
	`{"events":[{"id":"a","type":"conversion","visitorId":"v","goal":"g","value":{}}]}`,
	`{"events":[{"id":"a","type":"conversion","visitorId":"v","goal":"g","value":1,"currency":"E\u0055R"}]}`,
	`{"events":[{"id":"a","type":"consent","visitorId":"v","granted":["storage",null],"withdrawn":null}]}`,
	`{"events":[{"id":"a","type":"consent","visitorId":"v","granted":["storage","storage"],"withdrawn":["measurement"]}]}`,
	`{"events":[{"id":"a","type":"consent","visitorId":"v","granted":"storage"}]}`,
	`{"events":[{"id":"a","type":"consent","visitorId":"v","granted":[1]}]}`,
	`{"events":[{"id":"a","type":"view","visitorId":"v","entry":"e","goal":"g","name":"n","bogus":1}]}`,
	`{"events":[{"id":"a","type":"view","visitorId":"v","entry":"e","bogus":1,"goal":"g"}]}`,
	`{"events":[{"id":"a","type":"view","visitorId":"v","entry":"e","Entry":"x"}]}`,
	`{"events":[{"id":"a","type":"view","visitorId":"v","decisionId":"01a24aca-e2a0-7abc-8def-0123456789ab","blockId":"b"},` +
		`{"id":"b","type":"view","visitorId":"v","decisionId":"01A24ACA-E2A0-7ABC-8DEF-0123456789AB","blockId":"b","timestamp":"2026-12-06T09:00:00Z"},` +
		`{"id":"c","type":"view","visitorId":"v","decisionId":"d1","blockId":"b"}]}`,
	`{"events":[{"id":"a","type":"view","visitorId":"v","entry":"e","timestamp":null}]}`,
	`{"events":[{"id":"a","type":"view","visitorId":"v","entry":"e","timestamp":5}]}`,
	`{"events":[{"id":"a","type":"view","visitorId":"v","entry":"e","timestamp":"2026-12-06T09:59:59.123456789+01:00"}]}`,
	`{"events":[{"id":null,"type":"view","visitorId":"v","entry":"e"}]}`,
	`{"events":[{"id":"a","type":7,"visitorId":"v","entry":"e"}]}`,
	`{"events":[{"id":"a","type":"` + strings.Repeat("x", 40) + `","visitorId":"v","entry":"e"}]}`,
	`{"events":[{"id":"a","type":"view","visitorId":"` + strings.Repeat("é", 129) + `","entry":"e"}]}`,
	`{"events":[{"id":"a","type":"view","visitorId":"v","entry":"e","userId":"\u200b"}]}`,
	`{"events":[[],1,"x",true,null,{}]}`,
	`{"events":[` + strings.Repeat(`[`, 200) + strings.Repeat(`]`, 200) + `]}`,
	`{"events":[{"id":"a","type":"track","visitorId":"v","name":"n","properties":` + strings.Repeat(`{"a":`, 17) + `1` + strings.Repeat(`}`, 17) + `}]}`,
	`{"events":[{"id":"a","type":"track","visitorId":"v","name":"n","properties":` + strings.Repeat(`{"a":`, 16) + `{}` + strings.Repeat(`}`, 16) + `}]}`,
	`{"events":[{"id":"a","type":"track","visitorId":"v","name":"n","properties":{"a":"` + strings.Repeat("x", 17000) + `"}}]}`,
	`{"events":[{}],"extra":"x"}`, `{"extra":"x","events":5}`, `{"events":5,"extra":"x"}`, `{"events":[{}]} {}`,
	`{"events":[{}]} x`, `{"events":[{}],"sentAt":5}`, `{"events":[{}],"sentAt":"now"}`, `{"events":{}}`, `{"events":[]}`,
	`{}`, `{"events":[`, `{"events":[{"id":"a\x01"}]}`, `{"events":[01]}`, `{"events":[NaN]}`, "{\"events\":[{}]}\n",
	`{"events":["` + "\t" + `"]}`,
}

func TestParseBatchSameAsBefore(t *testing.T) {
	t.Parallel()
	for _, c := range sameCases {
		sameAsBefore(t, []byte(c))
	}
	ev := `{"id":"%d","type":"view","visitorId":"v","entry":"e"}`
	for _, n := range []int{MaxEvents, MaxEvents + 1, 2 * MaxEvents} {
		many := make([]string, n)
		for i := range many {
			many[i] = fmt.Sprintf(ev, i%(MaxEvents-3))
		}
		sameAsBefore(t, batchOf(many...))
	}
}

// FuzzParseBatchSameAsBefore: whatever the body, the single-pass parser
// reads it as the old one did.
//
//	go test ./measurement -run '^$' -fuzz FuzzParseBatchSameAsBefore -fuzztime 2m
func FuzzParseBatchSameAsBefore(f *testing.F) {
	for _, c := range sameCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		sameAsBefore(t, body)
	})
}
