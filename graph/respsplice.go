package graph

import (
	"bytes"
	"net/http"
	"time"

	"github.com/mosaichq/mosaic/delivery"
)

// Answers that show decision ids (Entry.decisionId) as their visitors'
// own, kept in the response cache: with RecordEveryServe
// (MOSAIC_DECISION_RECORDS=delivery; by default such an answer is shared
// like any other, its copies counted by the views naming its id,
// measurement/views.go) and for a capped answer (respcaps.go). Such an
// answer names the decision records written for its visitor, so no cache
// outside this process may share it (Cache-Control:
// private, no-store, and no ETag: no two visitors get the same bytes, and
// a 304 would leave a client showing an earlier delivery's ids). Yet
// everything but the ids is what every visitor of its class gets: the
// response cache keeps the bytes once, with where each id stands and what
// each record is built from (delivery.Entry.Keep: the record as built for
// the class, less id, time and visitor), and each visitor it
// serves gets records of its own — written through delivery's Recorder,
// built where every record is built (delivery.Service.Rerecord) — their
// ids spliced into a copy of the bytes. Records of entries the document
// did not show an id for are written too, as a computation would.
//
// A visitor without a visitor id gets no record (null ids): the key says
// whether there is one. The answer is otherwise kept and invalidated as
// any other (respcache.go), so a campaign transition is no more stale
// here than elsewhere.

// spliceRecords are a kept answer's records and where their ids are.
type spliceRecords struct {
	entries []*delivery.Kept
	// at holds, per entry, the offsets in the body of its id (between the
	// quotes; every id is a UUID, 36 bytes).
	at [][]int
}

// uuidLen is the length of a decision id as written (UUIDv7, text form).
const uuidLen = 36

// splicePoints finds the ids of recorded (each with its DecisionID) in
// body. A UUID in quotes cannot occur in an answer but where its id was
// written (a field value holding that same fresh id is not possible).
func splicePoints(body []byte, recorded []*delivery.Entry) *spliceRecords {
	sr := &spliceRecords{entries: make([]*delivery.Kept, 0, len(recorded)), at: make([][]int, 0, len(recorded))}
	for _, e := range recorded {
		var offs []int
		if len(e.DecisionID) == uuidLen {
			needle := []byte(`"` + e.DecisionID + `"`)
			for i := 0; ; {
				j := bytes.Index(body[i:], needle)
				if j < 0 {
					break
				}
				offs = append(offs, i+j+1)
				i += j + len(needle)
			}
		}
		sr.entries = append(sr.entries, e.Keep())
		sr.at = append(sr.at, offs)
	}
	return sr
}

// recordsSize estimates what the kept records weigh.
func recordsSize(sr *spliceRecords) int64 {
	var n int64
	for i, e := range sr.entries {
		n += 256 + int64(e.Blocks())*96 + int64(len(sr.at[i]))*8
	}
	return n
}

// servePrivate answers from a kept answer that shows decision ids: fresh
// records for this request's visitor (with its own segments: the answer's
// key holds only the ones its variants target), their ids in a copy of
// the body.
func (c *responseCache) servePrivate(w http.ResponseWriter, e *cachedResponse, now time.Time, visitorID string, segments []string) {
	bp := bodyBufs.Get().(*[]byte)
	body := append((*bp)[:0], e.body...)
	svc := c.r.delivery()
	for i, rec := range e.records.entries {
		id := svc.Rerecord(rec, visitorID, segments, now)
		for _, off := range e.records.at[i] {
			if len(id) == uuidLen {
				copy(body[off:off+uuidLen], id)
			}
		}
	}
	h := w.Header()
	h["Cache-Control"] = privateNoStoreH
	h["Content-Length"] = e.length
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
	*bp = body
	putBodyBuf(bp)
}

var privateNoStoreH = []string{privateNoStore}
