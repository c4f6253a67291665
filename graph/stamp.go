package graph

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/mosaichq/mosaic/delivery"
	"github.com/mosaichq/mosaic/delivery/surrogate"
)

// The instant an answer is computed at, and how long it stays true, are
// delivery's (delivery.Request). Here they become HTTP: the answer carries
// the content epoch and the instant of its next transition in its
// extensions and headers, and every HTTP cache lifetime (Cache-Control
// max-age, and so a CDN's copy) ends before that instant. ETag is the
// body's hash, so a 304 is only ever answered for exactly the bytes a
// fresh read would send.

// The response headers naming a delivery response's state (CORS must
// expose them to browser clients, as it does ETag).
const (
	EpochHeader          = "X-Mosaic-Epoch"
	NextTransitionHeader = "X-Mosaic-Next-Transition"
)

// DefaultCacheMaxAge caps Cache-Control max-age when nothing is due
// sooner: publishes are not transitions and reach caches only once a copy
// expires.
const DefaultCacheMaxAge = 60 * time.Second

// stamp is one request's delivered answer in the making and what became
// of it.
type stamp struct {
	q *delivery.Request

	mu     sync.Mutex
	query  bool // a query (not a mutation) ran
	failed bool // the response has errors
	epoch  string
	until  time.Time // the response's next transition (zero: none)
}

type stampKey struct{}

func stampOf(ctx context.Context) *stamp {
	s, _ := ctx.Value(stampKey{}).(*stamp)
	return s
}

// request is the delivery request of the answer being computed: every
// field of one answer shares its instant and visitors. Outside an HTTP
// request (a resolver called directly) each call gets a fresh one.
func (r *Resolver) request(ctx context.Context) *delivery.Request {
	if s := stampOf(ctx); s != nil {
		return s.q
	}
	return r.delivery().NewRequest()
}

// requestNow is the answer's instant; zero outside a request.
func requestNow(ctx context.Context) time.Time {
	if s := stampOf(ctx); s != nil {
		return s.q.Now()
	}
	return time.Time{}
}

// bound records that the answer changes at instant t.
func bound(ctx context.Context, t time.Time) {
	if s := stampOf(ctx); s != nil {
		s.q.Bound(t)
	}
}

// stampExtension puts the epoch and the next transition into every query
// response's extensions and hands them to withStamp for the headers.
type stampExtension struct{ r *Resolver }

var (
	_ graphql.HandlerExtension    = stampExtension{}
	_ graphql.ResponseInterceptor = stampExtension{}
)

func (stampExtension) ExtensionName() string                   { return "MosaicStamp" }
func (stampExtension) Validate(graphql.ExecutableSchema) error { return nil }
func (e stampExtension) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	st := stampOf(ctx)
	if resp == nil || st == nil || !graphql.HasOperationContext(ctx) {
		return resp
	}
	op := graphql.GetOperationContext(ctx).Operation
	if op == nil || op.Operation != ast.Query {
		return resp
	}
	val, err := st.q.Validity(ctx)
	epoch, until := val.Epoch, val.Until
	if err != nil {
		e.r.logger().ErrorContext(ctx, "stamping a response", "error", err, "request_id", RequestID(ctx))
		return resp
	}
	if resp.Extensions == nil {
		resp.Extensions = map[string]any{}
	}
	resp.Extensions["epoch"] = epoch
	if until.IsZero() {
		resp.Extensions["nextTransition"] = nil
	} else {
		resp.Extensions["nextTransition"] = until.UTC().Format(time.RFC3339Nano)
	}
	st.mu.Lock()
	st.query, st.failed, st.epoch, st.until = true, len(resp.Errors) > 0, epoch, until
	st.mu.Unlock()
	return resp
}

// withStamp fixes the request's instant, buffers the response and sets the
// caching headers from its stamp: a query that may be cached gets
// Cache-Control max-age bounded by its next transition, GET gets an ETag
// and 304 for a matching If-None-Match.
func withStamp(r *Resolver, maxAge time.Duration, keyHeaders []string, next http.Handler) http.Handler {
	if maxAge <= 0 {
		maxAge = DefaultCacheMaxAge
	}
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		st := &stamp{q: r.delivery().NewRequest()}
		buf := &bufferedWriter{header: w.Header(), code: http.StatusOK, body: bodies.Get().(*bytes.Buffer)}
		defer func() {
			if buf.body.Cap() <= 1<<20 { // keep big bodies from pinning memory
				buf.body.Reset()
				bodies.Put(buf.body)
			}
		}()
		next.ServeHTTP(buf, req.WithContext(context.WithValue(req.Context(), stampKey{}, st)))
		noteAnswer(req.Context(), st.q)
		h := w.Header()
		travel, preview, agent := st.q.Shape()
		capped := st.q.CapsRead()
		st.mu.Lock()
		defer st.mu.Unlock()
		if !st.query || st.failed || buf.code != http.StatusOK {
			h.Set("Cache-Control", "no-store")
			w.WriteHeader(buf.code)
			_, _ = w.Write(buf.body.Bytes())
			return
		}
		h.Set(EpochHeader, st.epoch)
		if !st.until.IsZero() {
			h.Set(NextTransitionHeader, st.until.UTC().Format(time.RFC3339Nano))
		}
		// Sec-GPC withdraws purposes (measurement/consent): a shared cache
		// must not answer a GPC request with what it kept for another. The
		// credentials are already in Vary: auth.Middleware, in front of
		// every GraphQL request, puts them there.
		vary := "Sec-GPC"
		if agent {
			vary += ", User-Agent"
		}
		// One Vary line, not one per layer that added a name (CORS,
		// credentials, the media type, this): the same list (RFC 9110
		// §5.3), and every line is parsed by every client and kept by
		// every cache. A 304 of a cached 3 KB answer cost 12 % more,
		// client and server together, with four lines than with one
		// (bench/RESULTS.md, session 11).
		h["Vary"] = []string{strings.Join(append(h["Vary"][:len(h["Vary"]):len(h["Vary"])], vary), ", ")}
		switch {
		case preview || st.q.ShowsDecision() || st.q.Personal() || capped:
			// A decision id is one visitor's, and so is an answer that read
			// a person's frequency caps (their next may differ, and each
			// delivery counts) or holds their recommendations: no cache
			// outside this process may keep it.
			h.Set("Cache-Control", privateNoStore)
		case req.Header.Get("Authorization") != "" || travel:
			h.Set("Cache-Control", "private, no-cache")
		default:
			h.Set("Cache-Control", publicCacheControl(delivery.MaxAge(st.q.Now(), st.until, maxAge)))
			keys := st.q.Keys()
			for _, name := range keyHeaders {
				h.Set(name, strings.Join(keys, surrogate.Separator(name)))
			}
		}
		// An answer showing decision ids has no validator: each names this
		// visitor's own records, so no two are the same bytes, and a 304
		// would leave a client showing ids of an earlier delivery. Nor has
		// a capped one: each delivery of it is counted, and a 304 of an
		// earlier one would show a capped variant again uncounted.
		if req.Method == http.MethodGet && !st.q.ShowsDecision() && !capped {
			etag := bodyETag(buf.body.Bytes())
			h.Set("ETag", etag)
			if etagMatches(req.Header.Get("If-None-Match"), etag) {
				notModified(w)
				return
			}
		}
		w.WriteHeader(buf.code)
		_, _ = w.Write(buf.body.Bytes())
	})
}

// privateNoStore is the Cache-Control of an answer no cache may share.
const privateNoStore = "private, no-store"

// bodyETag is the ETag of an answer: its body's hash.
func bodyETag(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`
}

// StaleIfError is how long a shared cache (a CDN) may keep serving an
// answer past its lifetime while every replica fails (RFC 5861): an
// outage of the API must not blank every screen.
const StaleIfError = 24 * time.Hour

// publicCacheControl is the Cache-Control of an answer every caller may
// share, fresh for maxAge (already capped at its next transition): the
// same lifetime for browsers and shared caches, and stale-if-error for
// CDNs.
func publicCacheControl(maxAge time.Duration) string {
	s := int(maxAge / time.Second)
	return fmt.Sprintf("public, max-age=%d, s-maxage=%d, stale-if-error=%d", s, s, int(StaleIfError/time.Second))
}

// notModified answers 304 with what guides caches and clients, not the
// representation's metadata (RFC 9110 §15.4.5): the body's type, length
// and surrogate keys (and the security headers, which the server's outer
// writer adds to every answer but a 304) are the stored 200's, which a
// cache or browser keeps when it revalidates. Fewer headers were most of
// what net/http spent on a 304. Executed and cached answers both answer
// 304 through here.
func notModified(w http.ResponseWriter) {
	h := w.Header()
	for k := range h {
		if !on304(k) {
			delete(h, k)
		}
	}
	w.WriteHeader(http.StatusNotModified)
}

// on304 says whether a header stays on a 304: the validator and
// freshness, Vary, the request id, CORS (a script that revalidates reads
// the 304), HSTS, and Mosaic's own.
func on304(k string) bool {
	switch k {
	case "Etag", "Cache-Control", "Vary", "Date", "Expires", "Content-Location",
		"X-Request-Id", "Strict-Transport-Security", CacheHeader, EpochHeader, NextTransitionHeader:
		return true
	}
	return strings.HasPrefix(k, "Access-Control-")
}

// etagMatches: an If-None-Match list names etag, weakly compared, or is
// "*" (RFC 9110 §13.1.2). It walks the list in place: a revalidation is
// the cheapest answer there is, and a split was one of its allocations.
func etagMatches(header, etag string) bool {
	for header != "" {
		var part string
		part, header, _ = strings.Cut(header, ",")
		part = strings.TrimSpace(part)
		if part == "*" || strings.TrimPrefix(part, "W/") == etag {
			return true
		}
	}
	return false
}

// bodies recycles response buffers across requests.
var bodies = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// bufferedWriter holds a response until its stamp is known.
type bufferedWriter struct {
	header http.Header
	code   int
	body   *bytes.Buffer
	wrote  bool
}

func (b *bufferedWriter) Header() http.Header { return b.header }
func (b *bufferedWriter) WriteHeader(code int) {
	if !b.wrote {
		b.code, b.wrote = code, true
	}
}
func (b *bufferedWriter) Write(p []byte) (int, error) {
	b.wrote = true
	return b.body.Write(p)
}
