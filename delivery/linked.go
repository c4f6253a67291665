package delivery

import (
	"sync"
	"time"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/experience"
)

// Linked entries and frequency caps: what was delivered to the person
// counts.
//
// A linked entry — a product in a productList block, an entry a reference
// field names — is decided inside its parent's answer, for the parent's
// visitor at its instant. Its variants, its campaign's and its
// experiment's caps are checked like any entry's; so its exposures must
// be counted like any entry's, or a capped variant on a product would be
// shown to a person without end. The rule:
//
//   - an exposure is counted when the entry is delivered: GraphQL decides
//     a linked entry only when a client selects the reference field
//     (Entry.linked, Block.linked), so a page whose product list is not
//     asked for exposes none of its products;
//   - a linked entry whose decision read the person's cap counts (a capped
//     target was otherwise eligible: shown and counted, or skipped and
//     reported), or exposed the person to an experiment arm or a campaign
//     holdout's cohort (their first exposure pins the person's arm, and
//     experiment results count it), gets a decision record of its own, written as an entry
//     asked for is (record: an identified visitor at the request's
//     instant, never a preview, time travel or a simulated profile), under
//     the visitor's cap hold; its DecisionID is Entry.decisionId on the
//     linked entry, for the client's view events;
//   - one answer showing the same entry twice (two lists naming one
//     product) decides and records it once: one delivery, one exposure;
//   - a linked entry that read no caps and exposed no arm writes no
//     record: its parent's record is the delivery's (records are kept for
//     what caps and reports need, not one per reference).
//
// Such an answer read a person's counts (capsDecided: CapsRead, with the
// caps it read and their states, CapChecks): no shared cache may keep it,
// and a cache in the process keeps it keyed on those states, writing each
// served person's records (Service.Rerecord), so each delivery counts.

// linkKey names one linked entry decided for one visitor in an answer.
type linkKey struct {
	id, locale string
	visitor    *experience.Visitor
	at         int64
	preview    bool
}

type linkedEntry struct {
	once sync.Once
	e    *Entry
}

// Linked decides r, reached through a reference of parent (a block's or
// the entry's own reference field), for parent's visitor at parent's
// instant, and records its exposure when deciding it read caps or
// exposed an arm (see above). The same entry linked again in the answer is the same *Entry.
func (q *Request) Linked(r *content.Resolved, parent *Entry) *Entry {
	k := linkKey{id: r.ID, locale: parent.Locale, visitor: parent.Visitor, at: atKey(parent.At), preview: parent.Preview}
	q.mu.Lock()
	if q.linked == nil {
		q.linked = map[linkKey]*linkedEntry{}
	}
	l := q.linked[k]
	if l == nil {
		l = &linkedEntry{}
		q.linked[k] = l
	}
	q.mu.Unlock()
	l.once.Do(func() {
		release := q.s.holdCaps(parent.Visitor)
		defer release()
		e := q.Decide(r, parent.Locale, parent.Visitor, parent.At, parent.Preview)
		if readCaps(e) || exposesArm(e) {
			q.record(e)
		}
		l.e = e
	})
	return l.e
}

func atKey(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

// readCaps says whether deciding e read its visitor's cap counts.
func readCaps(e *Entry) bool {
	if e.Decision.CapsRead {
		return true
	}
	for i := range e.Blocks {
		if e.Blocks[i].Decision.CapsRead {
			return true
		}
	}
	return false
}

// exposesArm says whether deciding e exposed its visitor to an experiment
// arm (a variant's, or the default served to an arm) or a campaign
// holdout's cohort: what a decision record must carry for exposures and
// results.
func exposesArm(e *Entry) bool {
	for i := -1; i < len(e.Blocks); i++ {
		d := &e.Decision
		if i >= 0 {
			d = &e.Blocks[i].Decision
		}
		if d.Arm != "" || d.HoldoutCampaign != "" {
			return true
		}
	}
	return false
}
