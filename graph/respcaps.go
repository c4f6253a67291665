package graph

import (
	"encoding/json"
	"sync"
	"time"

	"github.com/mosaichq/mosaic/personalization"
)

// Capped answers in the response cache. An answer that read a person's
// frequency-cap counts is a function of the caps it read and what each
// counter answered (personalization.CapCheck: open, or capped with the
// count its reason and record say), with the class, segments and arms as
// for any answer: another person of the class whose counters answer the
// same on the same caps is decided alike, byte for byte. So such an answer
// is kept like any other, its key holding those states — the caps it read
// are vary entries (capToken), as the segments its variants target are —
// and each request's states come from the person's counter in memory
// (measurement/capcount: no database round trip), read under the person's
// cap hold (lookup) and so never stale: a person who reached a cap, or
// whose last exposure is not yet confirmed, has another state and another
// key, and gets the answer decided for that state, never the capped
// variant. The answer is kept private (respsplice.go: each serve writes
// the person's own decision records, which note its exposures, so every
// delivery counts once whether computed or served from memory), without a
// validator (no 304 of an earlier delivery) and Cache-Control private,
// no-store: no cache outside this process keeps it.
//
// An answer is kept only when every cap it read was read with one state
// (an answer deciding one capped target twice, its exposure noted in
// between, is computed each time) and for one visitor id.

// capTokens maps cap tokens to the checks they name (decoded once); it is
// cleared with the vary lists it serves (maxVary), and a token not in it
// is decoded again.
type capTokens struct {
	mu     sync.RWMutex
	m      map[string]personalization.CapCheck
	tokens map[personalization.CapCheck]string // the other way (states zero)
}

// capTokenKey is what a cap token names: the check without its state.
type capTokenKey struct {
	Scope         personalization.CapScope `json:"s"`
	Block         string                   `json:"b,omitempty"`
	Key           string                   `json:"k"`
	Cap           personalization.Cap      `json:"c"`
	CampaignStart time.Time                `json:"t,omitzero"`
}

// capTokenOf is k's vary entry.
func (c *responseCache) capTokenOf(k personalization.CapCheck) string {
	k.State = personalization.CapState{}
	c.capTok.mu.RLock()
	tok, ok := c.capTok.tokens[k]
	c.capTok.mu.RUnlock()
	if ok {
		return tok
	}
	b, _ := json.Marshal(capTokenKey{Scope: k.Target.Scope, Block: k.Target.Block, Key: k.Target.Key,
		Cap: k.Cap, CampaignStart: k.CampaignStart}) // plain values: cannot fail
	tok = capToken + string(b)
	c.capTok.mu.Lock()
	if len(c.capTok.m) >= maxVary {
		clear(c.capTok.m)
		clear(c.capTok.tokens)
	}
	c.capTok.m[tok] = k
	c.capTok.tokens[k] = tok
	c.capTok.mu.Unlock()
	return tok
}

// capChecksOf are the checks cap tokens name, in order.
func (c *responseCache) capChecksOf(tokens []string) []personalization.CapCheck {
	out := make([]personalization.CapCheck, len(tokens))
	missing := false
	c.capTok.mu.RLock()
	for i, tok := range tokens {
		k, ok := c.capTok.m[tok]
		out[i], missing = k, missing || !ok
	}
	c.capTok.mu.RUnlock()
	if !missing {
		return out
	}
	for i, tok := range tokens {
		var t capTokenKey
		if out[i].Cap.Max == 0 && json.Unmarshal([]byte(tok[len(capToken):]), &t) == nil {
			out[i] = personalization.CapCheck{Target: personalization.CapTarget{Scope: t.Scope, Block: t.Block, Key: t.Key},
				Cap: t.Cap, CampaignStart: t.CampaignStart}
		}
	}
	return out
}

// appendCapStates appends fv's state of each check: the one read (an
// answer's own decisions) when the check is among read, else what fv's
// counter answers at now. Whether fv has a visitor id comes first: an
// answer kept for a visitor with one writes records when served, one
// for a visitor without does not.
//
// An answer that shows no decision reason (no field named reason: the
// note's counts are not in its bytes) keys on the coarse states alone
// (open, waiting, capped: personalization.CapState.AppendCoarse), so
// people past a cap share one answer whatever their counts.
func (c *responseCache) appendCapStates(buf []byte, fv *fieldVisitor, checks, read []personalization.CapCheck, now time.Time, reasons bool) []byte {
	if fv.id == "" {
		buf = append(buf, '-')
	} else {
		buf = append(buf, 'v')
	}
	var counter personalization.CapCounter
	counted := false
	channel := fv.v.Context().Channel
	for _, k := range checks {
		st, ok := stateRead(read, k)
		if !ok {
			if !counted {
				counter, counted = c.r.delivery().CapCounterOf(fv.v, fv.id), true
			}
			st = k.StateAt(counter, now, channel)
		}
		if reasons {
			buf = st.AppendState(buf)
		} else {
			buf = st.AppendCoarse(buf, k.Cap)
		}
		buf = append(buf, ';')
	}
	return buf
}

// stateRead is the state read holds for k's cap, if it holds it.
func stateRead(read []personalization.CapCheck, k personalization.CapCheck) (personalization.CapState, bool) {
	for _, x := range read {
		if x.Target == k.Target && x.Cap == k.Cap && x.CampaignStart.Equal(k.CampaignStart) {
			return x.State, true
		}
	}
	return personalization.CapState{}, false
}
