package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/lexer"

	"github.com/mosaichq/mosaic/errs"
)

// checkRequest refuses requests whose shape gqlgen's transports would turn
// into errors without a code (or, for a POST body of the wrong JSON type,
// an "internal error"): every refusal here is BAD_USER_INPUT with a
// sentence saying what a request must look like. FuzzGraphQLRequest found
// each of them.
func checkRequest(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var msg string
		switch {
		case r.Method == http.MethodPost && isJSON(r):
			body, err := io.ReadAll(r.Body) // already bounded and buffered by limitBody
			if err != nil {
				msg = "request body could not be read"
				break
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
			msg = checkBodyIn(r.Context(), body)
		case r.Method == http.MethodGet:
			if definesWrite(r.URL.Query().Get("query")) {
				refuseGETWrite(w)
				return
			}
			msg = checkGET(r)
		}
		if msg != "" {
			writeError(w, http.StatusBadRequest, errs.BadUserInput, msg)
			return
		}
		next.ServeHTTP(w, r)
	})
}

const requestShape = `a request is a JSON object: {"query": string, "operationName": string, "variables": object, "extensions": object}`

// checkBody checks a (valid) JSON body is one operation of the right types,
// in text that can be stored as sent.
func checkBody(body []byte) string { return checkBodyIn(context.Background(), body) }

// checkBodyIn is checkBody sharing the request's decoded body (body.go).
func checkBodyIn(ctx context.Context, body []byte) string {
	if msg := textProblem(body); msg != "" {
		return msg
	}
	b := bytes.TrimLeft(body, " \t\r\n")
	if len(b) > 0 && b[0] == '[' {
		return "batched operations are not supported: send one operation per request (at most 1 per batch)"
	}
	p, _ := members(ctx, body)
	if p == nil {
		return requestShape
	}
	// encoding/json (and so gqlgen) matches field names case-insensitively.
	want := map[string]byte{"query": '"', "operationname": '"', "variables": '{', "extensions": '{'}
	for field, v := range p {
		if first, ok := want[strings.ToLower(field)]; ok && !isNullOr(v, first) {
			return field + " has the wrong type: " + requestShape
		}
	}
	var query, id string
	var ext struct{ PersistedQuery json.RawMessage }
	for field, v := range p {
		switch strings.ToLower(field) {
		case "query":
			// Only whether it is empty matters here: a JSON string of
			// more than its quotes is not (decoding it is for the cache
			// and the executor).
			if v = bytes.TrimSpace(v); len(v) > 2 && v[0] == '"' {
				query = "…"
			}
		case "extensions":
			_ = json.Unmarshal(v, &ext)
		}
	}
	_ = json.Unmarshal(p["documentId"], &id) // as withDocuments reads it: exactly
	return missingQuery(query, id, ext.PersistedQuery)
}

// missingQuery refuses a request with nothing to run: no query text, no
// documentId and no automatic persisted query hash.
func missingQuery(query, documentID string, persisted json.RawMessage) string {
	if query != "" || documentID != "" || len(persisted) > 0 && !bytes.Equal(persisted, []byte("null")) {
		return ""
	}
	return "the request has no query: " + requestShape + ` (or "documentId": a registered document's id)`
}

func isNullOr(v json.RawMessage, first byte) bool {
	v = bytes.TrimSpace(v)
	return bytes.Equal(v, []byte("null")) || len(v) > 0 && v[0] == first
}

// checkGET checks a GET request's parameters: JSON objects where objects
// belong, and no mutation (GET must stay safe to cache and to prefetch).
func checkGET(r *http.Request) string {
	// URL.Query drops a pair it cannot read: the request would run
	// without it (a context silently lost), so say what is wrong instead.
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return "the query string is malformed (" + err.Error() + "): escape each parameter's value (encodeURIComponent)"
	}
	for _, field := range []string{"query", "operationName", "variables", "extensions"} {
		if msg := textProblem([]byte(q.Get(field))); msg != "" {
			return field + ": " + msg
		}
	}
	for _, field := range []string{"variables", "extensions"} {
		if v := q.Get(field); v != "" && v != "null" {
			var m map[string]any
			if json.Unmarshal([]byte(v), &m) != nil || m == nil {
				return field + " must be a JSON object"
			}
		}
	}
	var ext struct{ PersistedQuery json.RawMessage }
	_ = json.Unmarshal([]byte(q.Get("extensions")), &ext)
	return missingQuery(q.Get("query"), q.Get("documentId"), ext.PersistedQuery)
}

// definesWrite reports whether a document defines a mutation or a
// subscription: the first word of a definition at brace depth 0 is its
// operation type (an operation may be *named* "mutation").
func definesWrite(query string) bool {
	l := lexer.New(&ast.Source{Input: query})
	depth, start := 0, true
	for {
		tok, err := l.ReadToken()
		if err != nil || tok.Kind == lexer.EOF {
			return false
		}
		switch tok.Kind {
		case lexer.BraceL, lexer.ParenL, lexer.BracketL:
			depth++
			start = false
		case lexer.BraceR, lexer.ParenR, lexer.BracketR:
			depth--
			start = depth == 0 && tok.Kind == lexer.BraceR
		case lexer.Name:
			if depth == 0 && start && (tok.Value == "mutation" || tok.Value == "subscription") {
				return true
			}
			start = false
		}
	}
}

// hasNUL reports whether a decoded JSON value holds a string with U+0000.
func hasNUL(v any) bool {
	switch v := v.(type) {
	case string:
		return strings.IndexByte(v, 0) >= 0
	case map[string]any:
		for k, x := range v {
			if hasNUL(k) || hasNUL(x) {
				return true
			}
		}
	case []any:
		for _, x := range v {
			if hasNUL(x) {
				return true
			}
		}
	}
	return false
}

func valueHasNUL(v *ast.Value) bool {
	if v == nil {
		return false
	}
	if (v.Kind == ast.StringValue || v.Kind == ast.BlockValue) && strings.IndexByte(v.Raw, 0) >= 0 {
		return true
	}
	for _, c := range v.Children {
		if valueHasNUL(c.Value) {
			return true
		}
	}
	return false
}
