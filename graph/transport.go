package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/mosaichq/mosaic/errs"
)

// GraphQL over HTTP (https://graphql.github.io/graphql-over-http/draft/):
// one table says which media type an answer has and which status each kind
// of failure gets, and every path that answers /graphql uses it, so the
// same kind of mistake always gets the same status.
//
// Media type: application/graphql-response+json when the Accept header
// prefers it (by q, then by order); application/json otherwise — no Accept,
// */*, application/*, application/json, or nothing Mosaic can serve (the
// spec lets a server ignore an Accept it cannot satisfy).
//
// Status:
//   - Not a GraphQL-over-HTTP request — another method (405 with Allow),
//     another content type (415), a body too large (413), malformed JSON or
//     parameters, a batch, no query (400), a mutation over GET (405): the
//     same status in both media types.
//   - A request error — the request was well formed but its operation did
//     not run: the document does not parse or validate, variables do not
//     coerce, a limit or introspection refuses it, its credential was
//     refused, its persisted or trusted document is unknown or refused.
//     application/json: 200, the legacy behaviour the spec asks for, so
//     that old clients read the errors; application/graphql-response+json:
//     the code's status (BAD_USER_INPUT and QUERY_TOO_COMPLEX 400,
//     UNAUTHENTICATED 401, FORBIDDEN 403, NOT_FOUND 404). The body has
//     errors and no data member.
//   - The server's condition or the caller's budget — RATE_LIMITED 429,
//     SERVICE_UNAVAILABLE 503 with Retry-After, INTERNAL 500: the same in
//     both media types, for load balancers and retrying clients.
//   - An operation that ran: 200 in both, also when fields failed.
//
// Every refusal carries extensions.code.

const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

type mediaKey struct{}

// negotiate picks the response media type from an Accept header.
func negotiate(accept string) string {
	best, bestQ := mediaJSON, 0.0
	for _, part := range strings.Split(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if s, ok := params["q"]; ok {
			if f, err := strconv.ParseFloat(s, 64); err == nil {
				q = f
			}
		}
		var m string
		switch mt {
		case mediaGraphQLResponse:
			m = mediaGraphQLResponse
		case mediaJSON, "application/*", "*/*":
			m = mediaJSON
		default:
			continue
		}
		if q > bestQ { // ties go to the first listed
			best, bestQ = m, q
		}
	}
	return best
}

// withMediaType negotiates the response media type once, sets it as the
// Content-Type of whatever answers, and keeps it in the context for the
// status of request errors.
func withMediaType(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mt := negotiate(strings.Join(r.Header.Values("Accept"), ","))
		w.Header().Set("Content-Type", mt)
		w.Header().Add("Vary", "Accept")
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), mediaKey{}, mt)))
	})
}

func mediaTypeOf(ctx context.Context) string {
	if mt, ok := ctx.Value(mediaKey{}).(string); ok {
		return mt
	}
	return mediaJSON
}

// requestErrorStatus is the status of an answer whose operation did not
// run, from its first error's code (see the table above).
func requestErrorStatus(ctx context.Context, list gqlerror.List) int {
	code := errs.Internal
	if len(list) > 0 {
		if c, ok := list[0].Extensions["code"].(string); ok {
			code = errs.Code(c)
		}
	}
	switch code {
	case errs.RateLimited:
		return http.StatusTooManyRequests
	case errs.ServiceUnavailable:
		return http.StatusServiceUnavailable
	case errs.Internal:
		return http.StatusInternalServerError
	}
	if mediaTypeOf(ctx) != mediaGraphQLResponse {
		return http.StatusOK
	}
	switch code {
	case errs.Unauthenticated:
		return http.StatusUnauthorized
	case errs.Forbidden:
		return http.StatusForbidden
	case errs.NotFound:
		return http.StatusNotFound
	case errs.Conflict:
		return http.StatusConflict
	}
	return http.StatusBadRequest
}

// writeRequestErrors answers a request whose operation did not run: the
// status from the table, errors and extensions, no data member.
func writeRequestErrors(ctx context.Context, w http.ResponseWriter, resp *graphql.Response) {
	w.Header().Set("Cache-Control", "no-store")
	status := requestErrorStatus(ctx, resp.Errors)
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="mosaic"`) // required with 401 (RFC 9110 §15.5.2)
	}
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(struct {
		Errors     gqlerror.List  `json:"errors"`
		Extensions map[string]any `json:"extensions,omitempty"`
	}{resp.Errors, resp.Extensions})
}

// writeCodedError answers a request error made outside the executor (an
// unknown or refused document) by the same table.
func writeCodedError(ctx context.Context, w http.ResponseWriter, e *errs.Error) {
	if e.Code == errs.ServiceUnavailable {
		w.Header().Set("Retry-After", retryAfterSeconds)
	}
	writeRequestErrors(ctx, w, &graphql.Response{Errors: gqlerror.List{coded(e.Code, e.Message, nil)}})
}

// allowed is the Allow header of /graphql.
const allowed = "GET, POST, OPTIONS"

// checkTransport refuses, before any body is read, what is not a GraphQL
// request over HTTP: another method, or a POST body that is neither JSON in
// UTF-8 nor (when uploads are on) a multipart upload.
func checkTransport(uploads bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodOptions:
		case http.MethodPost:
			if msg := postMediaProblem(r, uploads); msg != "" {
				w.Header().Set("Accept-Post", mediaJSON)
				writeError(w, http.StatusUnsupportedMediaType, errs.BadUserInput, msg)
				return
			}
		default:
			w.Header().Set("Allow", allowed)
			writeError(w, http.StatusMethodNotAllowed, errs.BadUserInput,
				fmt.Sprintf("method %s is not allowed on /graphql: send queries with GET or POST, mutations with POST", r.Method))
			return
		}
		next.ServeHTTP(w, r)
	})
}

const sendJSON = `send Content-Type: application/json with a body {"query": …, "variables": {…}}`

func postMediaProblem(r *http.Request, uploads bool) string {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return "the request has no Content-Type: " + sendJSON
	}
	mt, params, err := mime.ParseMediaType(ct)
	switch {
	case err != nil:
		return fmt.Sprintf("Content-Type %q does not parse: %s", ct, sendJSON)
	case mt == "multipart/form-data" && uploads:
		return ""
	case mt == "multipart/form-data":
		return "uploads are off on this server (max upload size 0): " + sendJSON
	case mt != mediaJSON:
		return fmt.Sprintf("Content-Type %s is not supported: %s", mt, sendJSON)
	case params["charset"] != "" && !strings.EqualFold(params["charset"], "utf-8"):
		return fmt.Sprintf("charset %s is not supported: send UTF-8", params["charset"])
	}
	return ""
}

// httpTransport serves POST application/json and GET as gqlgen's
// transport.POST and transport.GET do, with the media types and statuses
// of the table above. checkTransport and checkRequest have refused
// malformed requests already.
type httpTransport struct{}

var _ graphql.Transport = httpTransport{}

func (httpTransport) Supports(r *http.Request) bool {
	return r.Method == http.MethodGet || r.Method == http.MethodPost && isJSON(r)
}

func (httpTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctx := r.Context()
	params := &graphql.RawParams{Headers: r.Header}
	params.ReadTime.Start = graphql.Now()
	var msg string
	if r.Method == http.MethodGet {
		msg = getParams(r, params)
	} else if err := jsonDecode(r.Body, params); err != nil {
		msg = requestShape
	}
	if msg != "" {
		writeError(w, http.StatusBadRequest, errs.BadUserInput, msg)
		return
	}
	params.ReadTime.End = graphql.Now()
	rc, gerr := exec.CreateOperationContext(ctx, params)
	if gerr != nil {
		writeRequestErrors(ctx, w, exec.DispatchError(graphql.WithOperationContext(ctx, rc), gerr))
		return
	}
	if r.Method == http.MethodGet && rc.Operation.Operation != ast.Query {
		refuseGETWrite(w)
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, rc)
	writeResponse(w, responses(ctx))
}

// writeResponse writes resp exactly as json.Encoder would (one line, HTML
// characters escaped), without the Encoder re-validating and compacting
// the data gqlgen has just written compact: for a page that was ~4 % of a
// response-cache miss. Anything but plain data and extensions goes
// through the Encoder.
func writeResponse(w io.Writer, resp *graphql.Response) {
	if resp == nil || len(resp.Errors) > 0 || resp.Label != "" || resp.Path != nil || resp.HasNext != nil || len(resp.Data) == 0 {
		_ = json.NewEncoder(w).Encode(resp)
		return
	}
	var ext []byte
	if len(resp.Extensions) > 0 {
		var err error
		if ext, err = json.Marshal(resp.Extensions); err != nil {
			_ = json.NewEncoder(w).Encode(resp)
			return
		}
	}
	b := responseBufs.Get().(*bytes.Buffer)
	b.Reset()
	b.WriteString(`{"data":`)
	json.HTMLEscape(b, resp.Data)
	if ext != nil {
		b.WriteString(`,"extensions":`)
		b.Write(ext)
	}
	b.WriteString("}\n")
	_, _ = w.Write(b.Bytes())
	if b.Cap() <= 64<<10 { // a rare huge answer is not kept for the next
		responseBufs.Put(b)
	}
}

// responseBufs are writeResponse's buffers (the Encoder it replaces kept
// its own in a pool too).
var responseBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// refuseGETWrite: GET must stay safe to cache and to prefetch.
func refuseGETWrite(w http.ResponseWriter) {
	w.Header().Set("Allow", "POST")
	writeError(w, http.StatusMethodNotAllowed, errs.BadUserInput, "GET only runs queries: send mutations with POST")
}

func getParams(r *http.Request, p *graphql.RawParams) string {
	q := r.URL.Query()
	p.Query, p.OperationName = q.Get("query"), q.Get("operationName")
	for name, into := range map[string]*map[string]any{"variables": &p.Variables, "extensions": &p.Extensions} {
		if v := q.Get(name); v != "" {
			if err := jsonDecode(strings.NewReader(v), into); err != nil {
				return name + " must be a JSON object"
			}
		}
	}
	return ""
}

// jsonDecode keeps numbers as json.Number, as gqlgen's transports do, so
// Int and Float arguments coerce exactly.
func jsonDecode(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	return dec.Decode(v)
}
