package measurement

import (
	"encoding/json"
	"testing"

	"github.com/mosaichq/mosaic/errs"
)

// FuzzParseBatch: any body either is refused whole with BAD_USER_INPUT, or
// every event is accounted for — accepted (and encodable for the log) or
// rejected with a code and a message. It never panics.
func FuzzParseBatch(f *testing.F) {
	for _, s := range []string{
		`{"events":[{"id":"a","type":"view","visitorId":"v","entry":"e"}]}`,
		`{"events":[{"id":"a","type":"view","visitorId":"v","decisionId":"01a24aca-e2a0-7abc-8def-0123456789ab","blockId":"b"}]}`,
		`{"sentAt":"2026-12-06T08:00:00Z","events":[{"id":"a","type":"track","visitorId":"v","name":"n","properties":{"x":[1,{"y":null}]},"timestamp":"2026-12-06T07:59:00Z"}]}`,
		`{"events":[{"id":"a","type":"conversion","visitorId":"v","goal":"g","value":1.5,"currency":"USD"},null,3,"x"]}`,
		`{"events":[{"id":"a","type":"consent","visitorId":"v","granted":["storage"],"withdrawn":["measurement"]}]}`,
		`{"events":[{"id":"a","type":"identify","visitorId":"v","userId":"u","traits":{"\u0000":1}}]}`,
		`{"events":[`, `[]`, `{"events":[{}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		b, err := ParseBatch(body, received, Limits{})
		if err != nil {
			if errs.CodeOf(err) != errs.BadUserInput {
				t.Fatalf("refusal with code %s: %v", errs.CodeOf(err), err)
			}
			return
		}
		var wire struct{ Events []json.RawMessage }
		if json.Unmarshal(body, &wire) != nil || len(b.Events)+len(b.Rejected) != len(wire.Events) {
			t.Fatalf("%d accepted + %d rejected of %d events", len(b.Events), len(b.Rejected), len(wire.Events))
		}
		for _, r := range b.Rejected {
			if r.Code == "" || r.Message == "" || r.Index < 0 || r.Index >= len(wire.Events) {
				t.Fatalf("rejection without a code, message or index: %+v", r)
			}
		}
		for _, e := range b.Events {
			if e.ID == "" || e.VisitorID == "" || e.Time.IsZero() {
				t.Fatalf("accepted an incomplete event: %+v", e)
			}
			if _, err := json.Marshal(e); err != nil {
				t.Fatalf("accepted event does not encode: %v", err)
			}
		}
	})
}
