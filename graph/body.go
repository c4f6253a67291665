package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
)

// A POST body is looked at by several layers before the executor runs it:
// the shape check, the trusted-document lookup and the response cache's
// key. Each used to decode the whole body again — on a cache hit, most of
// the time spent. The first to ask decodes its top level once per request
// (per body: a document lookup that rewrites the body is decoded anew).

type bodyKey struct{}

// bodyMembers is a POST body's top level, decoded once.
type bodyMembers struct {
	mu  sync.Mutex
	raw []byte
	top map[string]json.RawMessage // nil: not a JSON object
	// exact: every member name is spelled as the executor reads it and no
	// two differ only in case. encoding/json (and so gqlgen) matches names
	// case-insensitively; anything relying on exact names must not trust
	// a body where that could read differently.
	exact bool
}

// withBodyMembers gives the request a place to keep its decoded body.
func withBodyMembers(r *http.Request) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), bodyKey{}, &bodyMembers{}))
}

// members decodes body's top level, or returns what this request already
// decoded of the same bytes.
func members(ctx context.Context, body []byte) (top map[string]json.RawMessage, exact bool) {
	m, _ := ctx.Value(bodyKey{}).(*bodyMembers)
	if m == nil {
		return decodeMembers(body)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.raw == nil || !bytes.Equal(m.raw, body) {
		m.raw = body
		m.top, m.exact = decodeMembers(body)
	}
	return m.top, m.exact
}

var requestMembers = map[string]bool{"query": true, "operationName": true, "variables": true, "extensions": true, "documentId": true}

func decodeMembers(body []byte) (map[string]json.RawMessage, bool) {
	var top map[string]json.RawMessage
	if json.Unmarshal(body, &top) != nil || top == nil {
		return nil, false
	}
	exact := true
	seen := make(map[string]bool, len(top))
	for k := range top {
		l := strings.ToLower(k)
		if seen[l] || (!requestMembers[k] && requestMembers[canonicalMember(l)]) {
			exact = false
		}
		seen[l] = true
	}
	return top, exact
}

// canonicalMember spells a lower-cased request member as the spec does.
func canonicalMember(lower string) string {
	switch lower {
	case "operationname":
		return "operationName"
	case "documentid":
		return "documentId"
	}
	return lower
}
