package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/mosaichq/mosaic/documents"
	"github.com/mosaichq/mosaic/internal/jsonscan"
)

// The fast path: a delivery read answered from the response cache before
// the handler chain runs. The chain checks a request in layers — media
// type, body bound, JSON shape, trusted documents, then the cache key —
// each reading the body or the URL again; on a cache hit that was most of
// the cost. Here a request of the common shape is read once, keyed exactly
// as the cache handler keys it (keyFor), and answered from memory when its
// answer is kept, a 304 when its validator matches. Anything the fast path
// is not sure about — another content type, a body of an unusual shape,
// extensions (APQ), an untrusted document under enforcement, a credential
// the delivery rule refuses — goes down the chain unchanged, which still
// decides everything; so does every miss, with the key already computed.
//
// The fast path only ever serves an answer the chain would serve: a key
// is only in the cache because the same key went down the chain and was
// kept, and every check the chain would make of this request is either
// made here (UTF-8 and NUL escapes, JSON, the body bound, member names and
// types, document lookup and enforcement) or a function of the key
// (plan: a query, GET never for a document defining a
// write).

type presetKeyKey struct{}

// presetKey is the key the fast path computed for a request that missed.
func presetKey(req *http.Request) (cacheKey, bool) {
	k, ok := req.Context().Value(presetKeyKey{}).(*cacheKey)
	if !ok {
		return cacheKey{}, false
	}
	return *k, true
}

func (c *responseCache) fastPath(maxBody int64, docs *documents.Service, mode DocumentsMode, next http.Handler) http.Handler {
	if c == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		key, ok := c.fastKey(req, maxBody, docs, mode)
		if !ok {
			next.ServeHTTP(w, req)
			return
		}
		now := c.r.delivery().Now()
		if e, release := c.lookup(&key, now); e != nil {
			c.hits.Add(1)
			// The kept headers hold the negotiated Content-Type and every
			// Vary (the key holds the Accept header it was negotiated from).
			c.serve(w, req, &key, e, now, "HIT")
			release()
			return
		}
		next.ServeHTTP(w, req.WithContext(context.WithValue(req.Context(), presetKeyKey{}, &key)))
	})
}

// fastKey keys a request of the common shape; false sends it down the
// chain. A POST body it read is put back for the chain.
func (c *responseCache) fastKey(req *http.Request, maxBody int64, docs *documents.Service, mode DocumentsMode) (cacheKey, bool) {
	if req.Header.Get("Authorization") != "" || c.r.delivery().Policy.Authorize(req.Context()) != nil {
		return cacheKey{}, false
	}
	var query, operation, documentID string
	var vars map[string]json.RawMessage
	switch req.Method {
	case http.MethodGet:
		var ok bool
		if query, operation, documentID, vars, ok = fastGET(req); !ok {
			return cacheKey{}, false
		}
	case http.MethodPost:
		switch req.Header.Get("Content-Type") {
		case mediaJSON, "application/json; charset=utf-8", "application/json;charset=utf-8":
		default:
			return cacheKey{}, false
		}
		if req.ContentLength <= 0 || req.ContentLength > maxBody || len(req.Header.Values("Content-Type")) != 1 {
			return cacheKey{}, false
		}
		body := make([]byte, req.ContentLength)
		n, err := io.ReadFull(req.Body, body)
		req.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body[:n]), req.Body))
		if err != nil {
			return cacheKey{}, false
		}
		if query, operation, documentID, vars, ok := fastPOST(body); ok {
			return c.fastDocument(req, query, operation, documentID, vars, docs, mode)
		}
		return cacheKey{}, false
	default:
		return cacheKey{}, false
	}
	return c.fastDocument(req, query, operation, documentID, vars, docs, mode)
}

// fastDocument resolves a documentId (or, under enforcement, checks the
// text is trusted) as withDocuments would, then keys the request.
func (c *responseCache) fastDocument(req *http.Request, query, operation, documentID string, vars map[string]json.RawMessage,
	docs *documents.Service, mode DocumentsMode) (cacheKey, bool) {
	switch {
	case documentID != "" && query != "", documentID != "" && docs == nil:
		return cacheKey{}, false
	case documentID != "":
		d, err := docs.Lookup(req.Context(), documentID)
		if err != nil {
			return cacheKey{}, false
		}
		query = d.Body
	case docs != nil && mode == DocumentsEnforce:
		if ok, err := docs.Trusted(req.Context(), query); err != nil || !ok {
			return cacheKey{}, false
		}
	}
	return c.keyFor(req, query, operation, vars)
}

// fastGET reads GET parameters: documentId or query, operationName and
// variables, each once, nothing else. It reads the raw query string
// itself: url.ParseQuery's map and copies were a measurable part of a hit.
func fastGET(req *http.Request) (query, operation, documentID string, vars map[string]json.RawMessage, ok bool) {
	var seen [4]bool
	rest := req.URL.RawQuery
	for rest != "" {
		var pair string
		pair, rest, _ = strings.Cut(rest, "&")
		name, value, _ := strings.Cut(pair, "=")
		if strings.ContainsAny(value, "%+") {
			var err error
			if value, err = url.QueryUnescape(value); err != nil {
				return "", "", "", nil, false
			}
		}
		if textProblem([]byte(value)) != "" {
			return "", "", "", nil, false
		}
		var i int
		switch name {
		case "query":
			i, query = 0, value
		case "operationName":
			i, operation = 1, value
		case "documentId":
			i, documentID = 2, value
		case "variables":
			i = 3
			if !json.Valid([]byte(value)) {
				return "", "", "", nil, false
			}
			if vars, ok = rawObject([]byte(value)); !ok || vars == nil {
				return "", "", "", nil, false
			}
		default: // extensions, an escaped name, anything else: the chain reads it
			return "", "", "", nil, false
		}
		if seen[i] {
			return "", "", "", nil, false
		}
		seen[i] = true
	}
	return query, operation, documentID, vars, query != "" || documentID != ""
}

// fastPOST reads a JSON body of the common shape: an object whose members
// are spelled as the executor reads them, each at most once, query or
// documentId a string, operationName a string, variables an object, no
// extensions.
func fastPOST(body []byte) (query, operation, documentID string, vars map[string]json.RawMessage, ok bool) {
	if textProblem(body) != "" || !json.Valid(body) {
		return "", "", "", nil, false
	}
	var seen [4]bool
	ok = jsonscan.EachMember(body, func(name, raw []byte) bool {
		var err error
		switch string(name) {
		case "query":
			err = once(&seen[0], raw, func() error { return queryText(raw, &query) })
		case "operationName":
			err = once(&seen[1], raw, func() error { return fastString(raw, &operation) })
		case "documentId":
			err = once(&seen[2], raw, func() error { return fastString(raw, &documentID) })
		case "variables":
			err = once(&seen[3], raw, func() error {
				var ok bool
				vars, ok = rawObject(raw)
				if !ok {
					return errNotObject
				}
				return nil
			})
		default: // extensions, or a member the chain would read otherwise
			return false
		}
		return err == nil
	})
	return query, operation, documentID, vars, ok && (query != "" || documentID != "")
}

func once(seen *bool, _ []byte, f func() error) error {
	if *seen {
		return errNotObject
	}
	*seen = true
	return f()
}

// rawObject splits a (valid) JSON object, or null, into its members.
func rawObject(raw []byte) (map[string]json.RawMessage, bool) {
	if isJSONNull(raw) {
		return nil, true
	}
	out := make(map[string]json.RawMessage, 4)
	ok := jsonscan.EachMember(raw, func(name, value []byte) bool {
		if _, dup := out[string(name)]; dup {
			return false
		}
		out[string(name)] = value
		return true
	})
	return out, ok
}

// queryTexts keeps the decoded text of documents sent as JSON strings:
// a document's text is escaped (newlines, quotes), and decoding it was a
// good part of a hit. Bounded; it starts over when full.
var queryTexts = struct {
	sync.RWMutex
	m map[string]string
}{m: map[string]string{}}

const maxQueryTexts = 1000

// queryText decodes the query member (a JSON string, or null).
func queryText(raw []byte, into *string) error {
	queryTexts.RLock()
	text, ok := queryTexts.m[string(raw)]
	queryTexts.RUnlock()
	if ok {
		*into = text
		return nil
	}
	if err := fastString(raw, into); err != nil {
		return err
	}
	queryTexts.Lock()
	if len(queryTexts.m) >= maxQueryTexts {
		clear(queryTexts.m)
	}
	queryTexts.m[string(raw)] = *into
	queryTexts.Unlock()
	return nil
}

var errNotObject = &json.UnmarshalTypeError{Value: "not an object"}

// fastString decodes a member that must be a JSON string (or null).
func fastString(raw json.RawMessage, into *string) error {
	if isJSONNull(raw) {
		return nil
	}
	if len(raw) == 0 || raw[0] != '"' {
		return errNotObject
	}
	s, ok := jsonString(raw)
	if !ok {
		return errNotObject
	}
	*into = s
	return nil
}
