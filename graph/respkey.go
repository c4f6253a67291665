package graph

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"hash/maphash"
	"io"
	"maps"
	"math/bits"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/mosaichq/mosaic/experience"
	"github.com/mosaichq/mosaic/personalization"
)

// How a request becomes its response-cache key (respcache.go): the
// document and operation, the variables that are not contexts, the
// content generation, the media type asked for, and for each root field
// the visitor's class (classmemo.go). GET and POST of one document and
// variables share an answer: the same bytes either way (only GET carries
// the ETag, serve).

// params is one request's document, operation and variables, as the
// executor will read them (variables undecoded).
type params struct {
	Query         string
	OperationName string
	Variables     map[string]json.RawMessage
	// APQHash is the automatic persisted query's hash, if any.
	APQHash string
}

func readParams(req *http.Request) (params, bool) {
	var p params
	var vars, ext string
	switch {
	case req.Method == http.MethodGet:
		q := req.URL.Query()
		p.Query, p.OperationName, vars, ext = q.Get("query"), q.Get("operationName"), q.Get("variables"), q.Get("extensions")
	case req.Method == http.MethodPost && isJSON(req) && !(multipartUpload{}).Supports(req):
		body, err := io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(body))
		if err != nil {
			return p, false
		}
		top, exact := members(req.Context(), body)
		if top == nil || !exact {
			return p, false
		}
		if unmarshalOpt(top["query"], &p.Query) != nil || unmarshalOpt(top["operationName"], &p.OperationName) != nil {
			return p, false
		}
		vars, ext = string(top["variables"]), string(top["extensions"])
	default:
		return p, false
	}
	if vars != "" && vars != "null" && json.Unmarshal([]byte(vars), &p.Variables) != nil {
		return p, false
	}
	if ext != "" && ext != "null" {
		var e struct {
			PersistedQuery *struct {
				Sha256Hash string `json:"sha256Hash"`
			} `json:"persistedQuery"`
		}
		if json.Unmarshal([]byte(ext), &e) != nil {
			return p, false
		}
		if e.PersistedQuery != nil {
			p.APQHash = e.PersistedQuery.Sha256Hash
		}
	}
	return p, true
}

// unmarshalOpt decodes raw into v unless it is absent or null.
func unmarshalOpt(raw json.RawMessage, v any) error {
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil
	}
	return json.Unmarshal(raw, v)
}

// key is the request's cache key, or false when it must run.
func (c *responseCache) key(req *http.Request) (cacheKey, bool) {
	ctx := req.Context()
	// Editors' tokens run (their answers are private); so does every
	// caller delivery refuses, for the executor to say why.
	if req.Header.Get("Authorization") != "" || c.r.delivery().Policy.Authorize(ctx) != nil {
		return cacheKey{}, false
	}
	p, ok := readParams(req)
	if !ok {
		return cacheKey{}, false
	}
	if p.Query == "" && p.APQHash != "" && c.r.Documents != nil {
		// A persisted query sent by hash: the cache keys on its text, as
		// the executor will run it.
		p.Query, _ = c.r.Documents.APQ().Get(ctx, p.APQHash)
	}
	return c.keyFor(req, p.Query, p.OperationName, varsOf(p.Variables))
}

// cacheKey is a request's key in two steps. base hashes everything but
// the visitors' segments and experiment arms; the answers kept under one
// base name some segments and experiments (vary: those the variants of the
// entries they decided target and name, delivery.Request.Segments and
// Experiments), and key adds each field visitor's membership in those
// segments and arms in those experiments alone. Two visitors of one class
// in different segments, or arms of an experiment, that the page's
// variants do not target share the answer — the decision vector:
// only what can change a decision splits the key. A behavioural segment no
// variant targets costs the cache nothing.
//
// Why that is exact: an answer kept under key(vary) names only segments
// and experiments in vary; a visitor with the same base, the same
// membership in those segments and the same arms in those experiments is
// decided alike for every entry the answer decided (the same variants,
// with the same inputs: a variant reads no other segment), so it reads the
// same linked entries, and so on: it gets the same bytes. A variant that
// starts targeting another segment is a content change: a new generation,
// so a new base, whose vary starts empty and grows from its own answers. vary only grows per base, so a key
// computed with an older, smaller vary is a different key (a miss), never
// a wrong hit.
type cacheKey struct {
	base, key [32]byte
	// family names the answers that differ only in their visitors (base
	// and key less the visitor keys): kept as pieces of one reference
	// (respbody.go).
	family uint64
	vary   []string
	fields []fieldVisitor
	// decisions: the answer shows decision ids (docPlan.decisions), the
	// records of visitorID (every root field's visitor id, oneVisitor:
	// the fields name one).
	decisions  bool
	visitorID  string
	oneVisitor bool
	// caps: the key holds the cap states of visitorID, who may be
	// counted (lookup holds it).
	caps bool
	// reasons: the document shows decision reasons (docPlan.reasons).
	reasons bool
}

// capsVisitor is the visitor of the key's fields (one visitor id).
func (k *cacheKey) capsVisitor() *experience.Visitor {
	for _, fv := range k.fields {
		if fv.v != nil {
			return fv.v
		}
	}
	return nil
}

// keyFor is the key of a request for query (its text) with operation and
// variables as sent; false when it must run.
func (c *responseCache) keyFor(req *http.Request, query, operation string, vars rawVars) (cacheKey, bool) {
	if query == "" {
		return cacheKey{}, false
	}
	plan := c.plan(query, operation)
	if !plan.ok || plan.write && req.Method == http.MethodGet {
		return cacheKey{}, false
	}
	kb := keyBufs.Get().(*[]byte)
	defer keyBufs.Put(kb)
	buf := (*kb)[:0]
	buf = append(buf, req.Header.Get("Accept")...)
	buf = append(buf, 0)
	buf = strconv.AppendUint(buf, c.r.Content.Generation(), 10)
	buf = append(buf, 0)
	visitors := len(buf)
	k := cacheKey{reasons: plan.reasons}
	for _, f := range plan.fields {
		var ok bool
		var fv fieldVisitor
		if buf, fv, ok = c.visitorKey(req, f, vars, buf); !ok {
			return cacheKey{}, false
		}
		k.fields = append(k.fields, fv)
		buf = append(buf, 0)
	}
	// Records are written for the one visitor id of every root field (a
	// document showing decision ids and naming two visitors runs; a
	// capped answer for two is not kept), and only when there is one: an
	// answer without shows null where one with shows an id.
	k.oneVisitor = true
	seen := false
	for _, fv := range k.fields {
		if fv.v == nil { // no engine, or __typename: no record
			continue
		}
		if seen && fv.id != k.visitorID {
			k.oneVisitor = false
			k.visitorID = ""
			break
		}
		k.visitorID, seen = fv.id, true
	}
	rest := len(buf)
	if plan.decisions {
		if !k.oneVisitor {
			return cacheKey{}, false
		}
		k.decisions = true
		buf = append(buf, 'd')
		if k.visitorID != "" {
			buf = append(buf, 'v')
		}
	}
	buf = append(buf, plan.id[:]...)
	// The variables as sent, less the contexts: they reach the answer only
	// through the visitor keys above.
	var names [8]rawVar
	list := names[:0]
	for _, v := range vars {
		if !plan.contextVars[v.name] {
			list = append(list, v)
		}
	}
	slices.SortFunc(list, func(a, b rawVar) int { return strings.Compare(a.name, b.name) })
	for _, v := range list {
		buf = strconv.AppendQuote(buf, v.name)
		buf = append(buf, ':')
		buf = append(buf, v.value...)
		buf = append(buf, 0)
	}
	*kb = buf
	k.base = sha256.Sum256(buf)
	k.family = maphash.Bytes(familySeed, buf[:visitors]) ^ bits.RotateLeft64(maphash.Bytes(familySeed, buf[rest:]), 1)
	vary := c.varyOf(k.base)
	if k.oneVisitor && k.visitorID != "" && vary.caps {
		// The person's cap states are read under their hold (lookup),
		// which computes the key: not twice.
		k.vary, k.caps = vary.tokens, true
		return k, true
	}
	c.rekey(&k, vary.tokens, nil, c.r.delivery().Now())
	return k, true
}

// familySeed seeds the family keys (this process's alone: they never
// leave it).
var familySeed = maphash.MakeSeed()

// hasCapToken says whether vary (sorted) names a cap: its cap tokens are
// together, where capToken would sort (rekey).
func hasCapToken(vary []string) bool {
	i, _ := slices.BinarySearch(vary, capToken)
	return i < len(vary) && strings.HasPrefix(vary[i], capToken)
}

// rekey computes k.key for vary: each field visitor's membership in the
// segments it names (segmentToken), its cap states (capToken: read, the
// states an answer's decisions read; the others the visitor's counter's
// at now), then its arms in the experiments.
func (c *responseCache) rekey(k *cacheKey, vary []string, read []personalization.CapCheck, now time.Time) {
	k.vary = vary
	k.caps = false
	if len(vary) == 0 {
		k.key = k.base
		return
	}
	// Sorted, so the segment tokens ("\x00" first) come before the cap
	// tokens ("\x01"), and both before the experiments (whose keys cannot
	// start with either: experience keyPattern).
	n := 0
	for n < len(vary) && strings.HasPrefix(vary[n], segmentToken) {
		n++
	}
	m := n
	for m < len(vary) && strings.HasPrefix(vary[m], capToken) {
		m++
	}
	var checks []personalization.CapCheck
	if m > n {
		checks = c.capChecksOf(vary[n:m])
		k.caps = k.oneVisitor && k.visitorID != ""
	}
	var arr [512]byte
	buf := append(arr[:0], k.base[:]...)
	for i := range k.fields {
		if fv := &k.fields[i]; fv.v != nil {
			for _, tok := range vary[:n] {
				switch {
				case tok == firstSegmentToken:
					first := ""
					if len(fv.segs) > 0 {
						first = fv.segs[0]
					}
					buf = strconv.AppendQuote(buf, first)
				case slices.Contains(fv.segs, tok[len(segmentToken):]):
					buf = append(buf, '1')
				default:
					buf = append(buf, '0')
				}
			}
			if len(checks) > 0 {
				buf = c.appendCapStates(buf, fv, checks, read, now, k.reasons)
			}
			if exps := vary[m:]; len(exps) > 0 {
				buf = fv.v.AppendArmsOf(buf, fv.id, c.pinsOf(fv), exps)
			}
		}
		buf = append(buf, 0)
	}
	k.key = sha256.Sum256(buf)
}

// pinsOf are fv's person's first arms, read once per key: a key rekeyed
// after its answer was computed keys it with the pins read before
// (readPins), those the computation saw.
func (c *responseCache) pinsOf(fv *fieldVisitor) map[string]string {
	if !fv.pinned {
		fv.pins, fv.pinned = c.pinsNow(fv), true
	}
	return fv.pins
}

// pinsNow are fv's person's first arms as delivery reads them now.
func (c *responseCache) pinsNow(fv *fieldVisitor) map[string]string {
	return c.r.delivery().Pins(fv.id, fv.v.Context().Purposes)
}

// readPins reads the pins of every field visitor of k that has none yet.
func (c *responseCache) readPins(k *cacheKey) {
	for i := range k.fields {
		if fv := &k.fields[i]; fv.v != nil {
			c.pinsOf(fv)
		}
	}
}

// pinsMoved says whether an answer that named experiments may have been
// computed with other pins than k holds: the arm loader is asynchronous,
// and a person's first arms (pinned on another device) can land between
// readPins and the computation's own read. Kept, such an answer would be
// served to every visitor of k's arms.
func (c *responseCache) pinsMoved(k *cacheKey, info *answerInfo) bool {
	if len(info.experiments) == 0 {
		return false
	}
	for i := range k.fields {
		if fv := &k.fields[i]; fv.v != nil && !maps.Equal(fv.pins, c.pinsNow(fv)) {
			return true
		}
	}
	return false
}

// segmentToken starts a vary entry naming a segment (the rest: its name),
// firstSegmentToken names the visitor's first segment (a recommendation
// by segment reads it). Segment names are never empty. capToken starts
// one naming a cap an answer read (the rest: capcheck.go's form of it).
const segmentToken, firstSegmentToken, capToken = "\x00", "\x00", "\x01"

// varyTokens are what an answer names for its key: its segments (as
// segment tokens), the caps it read (cap tokens) and experiments.
func (c *responseCache) varyTokens(ai *answerInfo) []string {
	if len(ai.segments) == 0 && !ai.firstSegment && len(ai.capChecks) == 0 {
		return ai.experiments
	}
	out := make([]string, 0, len(ai.segments)+len(ai.capChecks)+len(ai.experiments)+1)
	if ai.firstSegment {
		out = append(out, firstSegmentToken)
	}
	for _, s := range ai.segments {
		out = append(out, segmentToken+s)
	}
	for _, k := range ai.capChecks {
		out = append(out, c.capTokenOf(k))
	}
	return append(out, ai.experiments...)
}

// maxVary bounds the per-base experiment lists; past it they start over
// (a base then keys without arms until its next miss names them again).
const maxVary = 1 << 16

// varyList is what a base's answers named (varyTokens, sorted), and
// whether it names a cap (hasCapToken): said once when it grows, as every
// key reads it.
type varyList struct {
	tokens []string
	caps   bool
}

func (c *responseCache) varyOf(base [32]byte) varyList {
	c.varyMu.RLock()
	defer c.varyMu.RUnlock()
	return c.vary[base]
}

// widen records that an answer under base named experiments, and returns
// the base's experiments now (sorted, grown only).
func (c *responseCache) widen(base [32]byte, named []string) []string {
	c.varyMu.Lock()
	defer c.varyMu.Unlock()
	cur := c.vary[base].tokens
	grown := cur
	for _, x := range named {
		if !slices.Contains(grown, x) {
			if len(grown) == len(cur) {
				grown = slices.Clone(cur)
			}
			grown = append(grown, x)
		}
	}
	if len(grown) == len(cur) {
		return cur
	}
	slices.Sort(grown)
	if len(c.vary) >= maxVary {
		clear(c.vary)
	}
	grown = packed(grown)
	c.vary[base] = varyList{tokens: grown, caps: hasCapToken(grown)}
	return grown
}

// packed is tokens with their bytes in one string: every key reads them
// all (rekey), and scattered they were a memory stall each.
func packed(tokens []string) []string {
	all := strings.Join(tokens, "")
	out := make([]string, len(tokens))
	for i, t := range tokens {
		out[i], all = all[:len(t)], all[len(t):]
	}
	return out
}

// keyBufs recycles the buffers keys are hashed from.
var keyBufs = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// visitorKey appends root field f's visitor class to buf as its resolver
// would decide it (classmemo.go); false when the field must run (a
// preview, time travel, a context the registry refuses: the executor
// answers those).
func (c *responseCache) visitorKey(req *http.Request, f *ast.Field, vars rawVars, buf []byte) ([]byte, fieldVisitor, bool) {
	if f.Name == "__typename" {
		return buf, fieldVisitor{}, true
	}
	var ctxRaw, localeRaw json.RawMessage
	if a := f.Arguments.ForName("context"); a != nil {
		raw, ok := argumentJSON(a.Value, vars)
		if !ok {
			return buf, fieldVisitor{}, false
		}
		ctxRaw = raw
	}
	if a := f.Arguments.ForName("locale"); a != nil {
		raw, ok := argumentJSON(a.Value, vars)
		if !ok {
			return buf, fieldVisitor{}, false
		}
		localeRaw = raw
	}
	return c.classes.appendKey(req.Context(), buf, ctxRaw, localeRaw, req.Header)
}

// argumentJSON is an argument's value as JSON: a variable's as sent, a
// literal's encoded (rare: clients send contexts as variables).
func argumentJSON(v *ast.Value, vars rawVars) (json.RawMessage, bool) {
	if v.Kind == ast.Variable {
		return vars.get(v.Raw), true
	}
	lit, err := v.Value(nil)
	if err != nil {
		return nil, false
	}
	raw, err := json.Marshal(lit)
	return raw, err == nil
}
