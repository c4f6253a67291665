package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/experience"
	"github.com/mosaichq/mosaic/graph/model"
	"github.com/mosaichq/mosaic/internal/jsonscan"
)

// The visitor's class, memoized. A response-cache key needs each root
// field's visitor class (experience.Visitor.ContextKey, and the segments
// and arms the answer depends on: respkey.go, from the memoized visitor),
// and computing one means decoding the context, evaluating every segment
// rule (CEL) and bucketing every experiment: most of a cache hit's cost.
// Yet the class is a pure function of the context's members other than the
// visitor id — segments, traits, device, channel, locale, consent,
// purposes, tcf and the Sec-GPC header —, and so are the segments as long
// as no rule reads the visitor id or its behaviour; the arms are a cheap
// hash of the visitor id per experiment. So the class without arms is
// computed once per distinct rest of the context (as sent, byte for byte),
// engine build, content generation and caller, and each request appends
// only its own arms.
//
// What would make a memoized class wrong, and why it cannot be: a new
// engine build (segments, experiments, campaigns changed) or content
// generation (locales) is in the memo key; the caller's channel scope is in
// it (an API key limited to channels); the User-Agent is in it when the
// device may come from it. The class holds no segments (respkey.go keys on
// the membership in those an answer's variants target), so even when a
// rule reads the visitor id or its behaviour the class and the visitor
// that appends arms are shared by every visitor id; only the segments are
// then per visitor id and profile version, kept apart in small entries
// (segs, maxMemoSegments), so that many visitors do not churn the classes.
// Anything unusual in the context (a member the executor would refuse, at
// or preview, a member name in another case) is not memoized: the request
// goes to the executor.

// maxMemoClasses bounds the memo; past it the memo starts over (a churn of
// distinct traits costs what it did before the memo, no more).
const maxMemoClasses = 4096

// maxMemoSegments bounds the per-visitor segments kept when a rule reads
// the visitor id or its behaviour: small entries (a key and a few
// segment names, ~300 bytes: ~20 MB full), so that every visitor seen
// recently in each of its contexts keeps its segments without evaluating
// the rules again.
const maxMemoSegments = 1 << 16

type classMemo struct {
	c  *responseCache
	mu sync.RWMutex
	m  map[string]*memoClass
	// segs are the segments per visitor id and profile version (the whole
	// memo key), when the build's rules read either.
	segs map[string][]string
}

type memoClass struct {
	ok    bool                // false: the context is refused or not shareable
	class []byte              // the visitor's class without arms or segments
	v     *experience.Visitor // appends each visitor id's arms; nil: no engine
	// segs are v's segments (in its order: a recommendation by segment
	// reads the first).
	segs []string
}

// contextMembers are the ExperienceContext members a memoized class may
// come from (at and preview are never shared), visitorId first, then in
// the order they enter the memo key.
var contextMembers = [...]string{"visitorId", "segments", "traits", "device", "channel", "locale", "consent", "purposes", "tcf"}

const memberVisitorID, memberDevice = 0, 3

// ctxMembers are a context's members as sent, by contextMembers index.
type ctxMembers [len(contextMembers)][]byte

// fieldVisitor is a root field's visitor, for its segments and arms
// (respkey.go): the memoized visitor of its class (nil: no engine), the
// visitor id and its segments.
type fieldVisitor struct {
	v    *experience.Visitor
	id   string
	segs []string
	// pins are the person's first arms (delivery.Service.Pins), read
	// once, when a key first needs them (pinsOf): only keys whose answers
	// name an experiment do, and most pages name none.
	pins   map[string]string
	pinned bool
}

// appendKey appends the class (without arms) of a delivery field's
// context (ctxRaw, its JSON as sent; nil: none) read in locale (localeRaw)
// to buf, and returns what appends its arms.
func (m *classMemo) appendKey(ctx context.Context, buf []byte, ctxRaw, localeRaw json.RawMessage, h http.Header) ([]byte, fieldVisitor, bool) {
	ua := h.Get("User-Agent")
	members, ok := contextOf(ctxRaw)
	if !ok {
		return buf, fieldVisitor{}, false
	}
	exp := m.c.r.Experience
	var build uint64
	readsID := false
	if exp != nil {
		build, readsID = exp.BuildReadsVisitorID()
	}
	id := members[memberVisitorID]
	mk := memoKeys.Get().(*[]byte)
	defer memoKeys.Put(mk)
	k := (*mk)[:0]
	k = strconv.AppendUint(k, build, 10)
	k = append(k, 0)
	k = strconv.AppendUint(k, m.c.r.Content.Generation(), 10)
	k = append(k, 0)
	if p, ok := auth.FromContext(ctx); ok {
		k = append(k, p.Kind...)
		k = append(k, 0)
		k = append(k, p.Subject...)
		k = append(k, 0)
		k = append(k, strings.Join(p.Channels, ",")...)
	}
	k = append(k, 0)
	for _, raw := range members[memberVisitorID+1:] {
		k = append(k, raw...)
		k = append(k, 0)
	}
	k = append(k, localeRaw...)
	k = append(k, 0)
	if dev := members[memberDevice]; len(dev) == 0 || isJSONNull(dev) || bytes.Equal(dev, []byte(`""`)) {
		k = append(k, ua...) // the device may come from the User-Agent
	}
	k = append(k, 0)
	k = append(k, h.Get(secGPC)...) // Global Privacy Control narrows the purposes
	k = append(k, 0)
	shared := len(k) // the key so far: everything but the visitor id
	if readsID {
		k = append(k, id...)
		// A behavioural rule's segments change with the person's profile:
		// each version of it has segments of its own (consent decides
		// whether one is read: its members are in the key above).
		if v, ok := jsonString(id); ok && exp != nil {
			k = append(k, 0)
			k = strconv.AppendUint(k, m.c.r.delivery().ProfileStamp(v), 10)
		}
	}
	*mk = k
	// The class and the visitor that appends arms are the same for every
	// visitor id (the class holds no segment: respkey.go); when a rule
	// reads the id or the profile, only the segments are per id, kept in
	// segs under the whole key.
	m.mu.RLock()
	e := m.m[string(k[:shared])]
	var segs []string
	var segsOK bool
	if readsID {
		segs, segsOK = m.segs[string(k)]
	}
	m.mu.RUnlock()
	if e == nil || readsID && !segsOK {
		fresh := m.compute(ctx, ctxRaw, localeRaw, h)
		if fresh.v != nil && fresh.v.Build() != build {
			return buf, fieldVisitor{}, false // the engine was rebuilt meanwhile: not memoized under the old build
		}
		segs, segsOK = fresh.segments(), true
		m.mu.Lock()
		if e == nil {
			if len(m.m) >= maxMemoClasses {
				clear(m.m)
			}
			e = fresh
			m.m[string(k[:shared])] = e
		}
		if readsID {
			if len(m.segs) >= maxMemoSegments {
				clear(m.segs)
			}
			m.segs[string(k)] = segs
		}
		m.mu.Unlock()
	}
	if !e.ok {
		return buf, fieldVisitor{}, false
	}
	buf = append(buf, e.class...)
	if e.v == nil {
		return buf, fieldVisitor{}, true
	}
	visitor, ok := jsonString(id)
	if !ok {
		return buf, fieldVisitor{}, false
	}
	if !readsID {
		segs = e.segments()
	}
	return buf, fieldVisitor{v: e.v, id: visitor, segs: segs}, true
}

// segments are the memoized visitor's segments: explicit, then rules
// (nil: none, or no engine).
func (e *memoClass) segments() []string { return e.segs }

var memoKeys = sync.Pool{New: func() any { b := make([]byte, 0, 256); return &b }}

// compute decodes the context as the resolver would and builds its visitor.
func (m *classMemo) compute(ctx context.Context, ctxRaw, localeRaw json.RawMessage, h http.Header) *memoClass {
	var in *model.ExperienceContext
	var locale *string
	if unmarshalOpt(ctxRaw, &in) != nil || unmarshalOpt(localeRaw, &locale) != nil {
		return &memoClass{}
	}
	input, err := deliveryInput(in, requestLocale(locale, in), h, true)
	if err != nil {
		return &memoClass{}
	}
	q := m.c.r.delivery().NewRequest()
	v, class, ok := q.ClassVisitor(ctx, input)
	if !ok {
		return &memoClass{}
	}
	out := &memoClass{ok: true, class: class, v: v}
	if v != nil {
		out.segs = v.Segments()
	}
	return out
}

// contextOf splits a context's JSON (valid: it came from a decoded
// request) into its members; false when it holds anything a memoized
// class may not come from, or a member twice.
func contextOf(raw json.RawMessage) (ctxMembers, bool) {
	var m ctxMembers
	if len(raw) == 0 || isJSONNull(raw) {
		return m, true
	}
	ok := jsonscan.EachMember(raw, func(name, value []byte) bool {
		switch string(name) {
		case "at", "preview": // asked not to travel, or not to preview: as if absent
			return isJSONNull(value) || string(name) == "preview" && string(value) == "false"
		}
		for i, known := range contextMembers {
			if string(name) == known {
				if m[i] != nil {
					return false
				}
				m[i] = value
				return true
			}
		}
		return false
	})
	return m, ok
}

func isJSONNull(raw json.RawMessage) bool { return bytes.Equal(bytes.TrimSpace(raw), []byte("null")) }

// jsonString decodes a JSON string member (absent or null: "").
func jsonString(raw json.RawMessage) (string, bool) {
	if len(raw) == 0 || isJSONNull(raw) {
		return "", true
	}
	if len(raw) >= 2 && raw[0] == '"' && raw[len(raw)-1] == '"' && bytes.IndexByte(raw, '\\') < 0 {
		return string(raw[1 : len(raw)-1]), true
	}
	var s string
	err := json.Unmarshal(raw, &s)
	return s, err == nil
}
