package graph

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"sync"

	"github.com/mosaichq/mosaic/internal/jsonscan"
)

// A request's variables as the cache key reads them: each member of the
// variables object as sent, undecoded. A slice, not a map: a delivery
// document has two to five variables, and a map (two allocations, a
// string per name) was a visible share of a cached answer's cost.
type rawVars []rawVar

type rawVar struct {
	name  string
	value json.RawMessage
}

// get is name's value as sent; nil when absent.
func (vs rawVars) get(name string) json.RawMessage {
	for _, v := range vs {
		if v.name == name {
			return v.value
		}
	}
	return nil
}

// varsOf is vars (decoded by the chain) as rawVars.
func varsOf(vars map[string]json.RawMessage) rawVars {
	out := make(rawVars, 0, len(vars))
	for name, value := range vars {
		out = append(out, rawVar{name, value})
	}
	return out
}

// appendRawObject appends the members of a (valid) JSON object to vs, or
// nothing for null; false for anything else, or a name sent twice (the
// chain decides what that means). The values alias raw.
func appendRawObject(vs rawVars, raw []byte) (rawVars, bool) {
	if isJSONNull(raw) {
		return vs, true
	}
	start := len(vs)
	ok := jsonscan.EachMember(raw, func(name, value []byte) bool {
		for _, v := range vs[start:] {
			if v.name == string(name) {
				return false
			}
		}
		vs = append(vs, rawVar{words.intern(name), value})
		return true
	})
	return vs, ok
}

// words interns the short texts a delivery request names again and again
// — variable names, document ids — so that reading them from a request
// does not allocate each time; getTexts does the same for GET documents'
// texts. Bounded in bytes: a table starts over when full, so a stream of
// new texts costs what it did without it, never more memory.
var (
	words    = internTable{m: map[string]string{}, max: 256 << 10}
	getTexts = internTable{m: map[string]string{}, max: 4 << 20}
)

type internTable struct {
	mu   sync.RWMutex
	m    map[string]string
	size int // bytes of keys and values held
	max  int
}

// lookup is the string kept for key.
func (t *internTable) lookup(key []byte) (string, bool) {
	t.mu.RLock()
	s, ok := t.m[string(key)]
	t.mu.RUnlock()
	return s, ok
}

// keep keeps val under key (when it fits the bound at all).
func (t *internTable) keep(key, val string) {
	n := len(key) + len(val)
	if n > t.max/16 {
		return
	}
	t.mu.Lock()
	if t.size+n > t.max {
		clear(t.m)
		t.size = 0
	}
	if _, ok := t.m[key]; !ok {
		t.m[key] = val
		t.size += n
	}
	t.mu.Unlock()
}

// intern is b as a string, shared with earlier requests that sent it.
func (t *internTable) intern(b []byte) string {
	if s, ok := t.lookup(b); ok {
		return s
	}
	s := string(b)
	t.keep(s, s)
	return s
}

// scratch holds what the fast path reads from one request: the unescaped
// GET parameters or the POST body, and the variables aliasing them. It
// lives until the request is answered (fastPath), then goes back to the
// pool: nothing kept past the request may alias it (cache keys copy what
// they keep; classMemo copies its keys).
type scratch struct {
	text []byte
	vars rawVars
	read int // bytes of a POST body read into text (-1: none)
}

// putBodyBack gives the chain the body the fast path read, as the chain
// would have read it: only a request that goes down the chain pays for
// it. The chain reads it into its own buffer before sc goes back to the
// pool (fastPath).
func (s *scratch) putBodyBack(req *http.Request) {
	if s.read >= 0 {
		req.Body = io.NopCloser(io.MultiReader(bytes.NewReader(s.text[:s.read]), req.Body))
		s.read = -1
	}
}

var scratches = sync.Pool{New: func() any { return &scratch{text: make([]byte, 0, 1024), vars: make(rawVars, 0, 8), read: -1} }}

func getScratch() *scratch { return scratches.Get().(*scratch) }

func putScratch(s *scratch) {
	if cap(s.text) > 64<<10 { // a rare large request: not kept pinned
		return
	}
	clear(s.vars[:cap(s.vars)]) // no value keeps an old request's bytes reachable
	s.text, s.vars, s.read = s.text[:0], s.vars[:0], -1
	scratches.Put(s)
}
