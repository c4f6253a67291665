package graph

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"

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
		sc := getScratch()
		defer putScratch(sc)
		key, ok := c.fastKey(req, maxBody, docs, mode, sc)
		if !ok {
			sc.putBodyBack(req)
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
		preset := key // only a miss pays for a key on the heap
		sc.putBodyBack(req)
		next.ServeHTTP(w, req.WithContext(context.WithValue(req.Context(), presetKeyKey{}, &preset)))
	})
}

// fastKey keys a request of the common shape; false sends it down the
// chain. A POST body it read is put back for the chain. What it reads
// lives in sc.
func (c *responseCache) fastKey(req *http.Request, maxBody int64, docs *documents.Service, mode DocumentsMode, sc *scratch) (cacheKey, bool) {
	if req.Header.Get("Authorization") != "" || c.r.delivery().Policy.Authorize(req.Context()) != nil {
		return cacheKey{}, false
	}
	var p fastParams
	switch req.Method {
	case http.MethodGet:
		if !fastGET(req.URL.RawQuery, sc, &p) {
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
		sc.text = slices.Grow(sc.text[:0], int(req.ContentLength))[:req.ContentLength]
		n, err := io.ReadFull(req.Body, sc.text)
		sc.read = n
		if err != nil || !fastPOST(sc.text, sc, &p) {
			return cacheKey{}, false
		}
	default:
		return cacheKey{}, false
	}
	return c.fastDocument(req, p, docs, mode)
}

// fastParams is what the fast path reads of a request.
type fastParams struct {
	query, operation, documentID string
	vars                         rawVars
}

// fastDocument resolves a documentId (or, under enforcement, checks the
// text is trusted) as withDocuments would, then keys the request.
func (c *responseCache) fastDocument(req *http.Request, p fastParams, docs *documents.Service, mode DocumentsMode) (cacheKey, bool) {
	switch {
	case p.documentID != "" && p.query != "", p.documentID != "" && docs == nil:
		return cacheKey{}, false
	case p.documentID != "":
		d, err := docs.Lookup(req.Context(), p.documentID)
		if err != nil {
			return cacheKey{}, false
		}
		p.query = d.Body
	case docs != nil && mode == DocumentsEnforce:
		if ok, err := docs.Trusted(req.Context(), p.query); err != nil || !ok {
			return cacheKey{}, false
		}
	}
	return c.keyFor(req, p.query, p.operation, p.vars)
}

// fastGET reads GET parameters: documentId or query, operationName and
// variables, each once, nothing else. It reads the raw query string
// itself, unescaping into sc: url.ParseQuery's map and copies were a
// measurable part of a hit.
func fastGET(rawQuery string, sc *scratch, p *fastParams) bool {
	var seen [4]bool
	rest := rawQuery
	for rest != "" {
		var pair string
		pair, rest, _ = strings.Cut(rest, "&")
		name, escaped, _ := strings.Cut(pair, "=")
		start := len(sc.text)
		var ok bool
		if sc.text, ok = appendQueryUnescape(sc.text, escaped); !ok {
			return false
		}
		value := sc.text[start:]
		if textProblem(value) != "" {
			return false
		}
		var i int
		switch name {
		case "query":
			i, p.query = 0, getTexts.intern(value)
		case "operationName":
			i, p.operation = 1, words.intern(value)
		case "documentId":
			i, p.documentID = 2, words.intern(value)
		case "variables":
			i = 3
			if !json.Valid(value) || isJSONNull(value) {
				return false
			}
			if sc.vars, ok = appendRawObject(sc.vars[:0], value); !ok {
				return false
			}
			p.vars = sc.vars
		default: // extensions, an escaped name, anything else: the chain reads it
			return false
		}
		if seen[i] {
			return false
		}
		seen[i] = true
	}
	return p.query != "" || p.documentID != ""
}

// appendQueryUnescape appends s, a query component, unescaped as
// url.QueryUnescape would ('+' a space, %XX a byte); false where it would
// fail (a '%' not followed by two hex digits).
func appendQueryUnescape(dst []byte, s string) ([]byte, bool) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '+':
			dst = append(dst, ' ')
		case '%':
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return dst, false
			}
			dst = append(dst, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
		default:
			dst = append(dst, c)
		}
	}
	return dst, true
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	default:
		return c - 'a' + 10
	}
}

// fastPOST reads a JSON body of the common shape: an object whose members
// are spelled as the executor reads them, each at most once, query or
// documentId a string, operationName a string, variables an object, no
// extensions. The variables alias body.
func fastPOST(body []byte, sc *scratch, p *fastParams) bool {
	if textProblem(body) != "" || !json.Valid(body) {
		return false
	}
	var seen [4]bool
	ok := jsonscan.EachMember(body, func(name, raw []byte) bool {
		var err error
		switch string(name) {
		case "query":
			err = once(&seen[0], func() error { return queryText(raw, &p.query) })
		case "operationName":
			err = once(&seen[1], func() error { return fastWord(raw, &p.operation) })
		case "documentId":
			err = once(&seen[2], func() error { return fastWord(raw, &p.documentID) })
		case "variables":
			err = once(&seen[3], func() error {
				var ok bool
				if sc.vars, ok = appendRawObject(sc.vars[:0], raw); !ok {
					return errNotObject
				}
				p.vars = sc.vars
				return nil
			})
		default: // extensions, or a member the chain would read otherwise
			return false
		}
		return err == nil
	})
	return ok && (p.query != "" || p.documentID != "")
}

func once(seen *bool, f func() error) error {
	if *seen {
		return errNotObject
	}
	*seen = true
	return f()
}

// postTexts keeps the decoded text of documents sent as JSON strings,
// under the string as sent: a document's text is escaped (newlines,
// quotes), and decoding it was a good part of a hit.
var postTexts = internTable{m: map[string]string{}, max: 4 << 20}

// queryText decodes the query member (a JSON string, or null).
func queryText(raw []byte, into *string) error {
	if text, ok := postTexts.lookup(raw); ok {
		*into = text
		return nil
	}
	if err := fastString(raw, into); err != nil {
		return err
	}
	postTexts.keep(string(raw), *into)
	return nil
}

// fastWord decodes a short string member (or null), interned.
func fastWord(raw []byte, into *string) error {
	if plain, ok := jsonscan.PlainString(raw); ok {
		*into = words.intern(plain)
		return nil
	}
	return fastString(raw, into)
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
