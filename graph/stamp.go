package graph

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/mosaichq/mosaic/auth"
)

// Zero skew. Every request is answered at one instant, fixed when it
// arrives: each delivery field decides its variants and reads its content
// at that instant (or at an editor's context.at). The response then
// carries the content epoch and the instant of the next transition of what
// it contains — a start, end or stop of a campaign one of its variants
// names, or a scheduled publication becoming visible — in its extensions
// and headers, and every HTTP cache lifetime (Cache-Control max-age, and
// so a CDN's copy) ends before that instant. ETag is the body's hash, so a
// 304 is only ever answered for exactly the bytes a fresh read would send.

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

// stamp is one request's instant and what its response depends on.
type stamp struct {
	now time.Time

	mu       sync.Mutex
	instants []time.Time // content was read at these instants
	next     time.Time   // earliest transition of campaigns shown (zero: none)
	query    bool        // a query (not a mutation) ran
	failed   bool        // the response has errors
	travel   bool        // a context.at was honoured
	preview  bool        // drafts were read (context.preview)
	agent    bool        // the device came from the User-Agent
	epoch    string
	until    time.Time // the response's next transition (zero: none)
}

type stampKey struct{}

func stampOf(ctx context.Context) *stamp {
	s, _ := ctx.Value(stampKey{}).(*stamp)
	return s
}

// requestNow is the request's instant; zero outside a request.
func requestNow(ctx context.Context) time.Time {
	if s := stampOf(ctx); s != nil {
		return s.now
	}
	return time.Time{}
}

// readAt records that content is read at instant t for this response.
func readAt(ctx context.Context, t time.Time) {
	s := stampOf(ctx)
	if s == nil || t.IsZero() {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, x := range s.instants {
		if x.Equal(t) {
			return
		}
	}
	s.instants = append(s.instants, t)
}

// bound records that the response changes at instant t.
func bound(ctx context.Context, t time.Time) {
	s := stampOf(ctx)
	if s == nil || t.IsZero() {
		return
	}
	s.mu.Lock()
	if s.next.IsZero() || t.Before(s.next) {
		s.next = t
	}
	s.mu.Unlock()
}

func (s *stamp) mark(f func(*stamp)) {
	if s == nil {
		return
	}
	s.mu.Lock()
	f(s)
	s.mu.Unlock()
}

// now is the resolver's clock: the services' injected clock in tests.
func (r *Resolver) now() time.Time {
	switch {
	case r.Experience != nil:
		return r.Experience.Now()
	case r.Content != nil:
		return r.Content.Now()
	}
	return time.Now()
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
	epoch, until, err := e.r.finish(ctx, st)
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
	st.mark(func(s *stamp) {
		s.query, s.failed, s.epoch, s.until = true, len(resp.Errors) > 0, epoch, until
	})
	return resp
}

// finish computes the response's epoch and next transition: the earliest
// of the transitions of the campaigns its decisions named, of the
// campaigns it shows, and of the next scheduled publication after each
// instant its content was read at.
func (r *Resolver) finish(ctx context.Context, st *stamp) (string, time.Time, error) {
	st.mu.Lock()
	until, instants := st.next, append([]time.Time(nil), st.instants...)
	st.mu.Unlock()
	earliest := func(t time.Time) {
		if !t.IsZero() && (until.IsZero() || t.Before(until)) {
			until = t
		}
	}
	for _, v := range visitorsOf(ctx) {
		if t, ok := v.NextTransition(); ok {
			earliest(t)
		}
	}
	var changes int64
	if r.Content != nil {
		for _, t := range instants {
			next, ok, err := r.Content.NextPublication(ctx, t)
			if err != nil {
				return "", time.Time{}, err
			}
			if ok {
				earliest(next)
			}
		}
		var err error
		if changes, err = r.Content.CurrentEpoch(ctx); err != nil {
			return "", time.Time{}, err
		}
	}
	var last time.Time
	if r.Experience != nil {
		last, _ = r.Experience.CampaignClock(st.now)
	}
	return formatEpoch(changes, last), until, nil
}

// formatEpoch names the state a response was computed in: the content
// change epoch (every publish and every campaign write moves it) and the
// last campaign transition (which moves with time alone).
func formatEpoch(changes int64, lastTransition time.Time) string {
	var ms int64
	if !lastTransition.IsZero() {
		ms = lastTransition.UnixMilli()
	}
	return strconv.FormatInt(changes, 10) + "-" + strconv.FormatInt(ms, 10)
}

// withStamp fixes the request's instant, buffers the response and sets the
// caching headers from its stamp: a query that may be cached gets
// Cache-Control max-age bounded by its next transition, GET gets an ETag
// and 304 for a matching If-None-Match.
func withStamp(r *Resolver, maxAge time.Duration, next http.Handler) http.Handler {
	if maxAge <= 0 {
		maxAge = DefaultCacheMaxAge
	}
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		st := &stamp{now: r.now()}
		buf := &bufferedWriter{header: w.Header(), code: http.StatusOK, body: bodies.Get().(*bytes.Buffer)}
		defer func() {
			if buf.body.Cap() <= 1<<20 { // keep big bodies from pinning memory
				buf.body.Reset()
				bodies.Put(buf.body)
			}
		}()
		next.ServeHTTP(buf, req.WithContext(context.WithValue(req.Context(), stampKey{}, st)))
		h := w.Header()
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
		vary := "Authorization, " + auth.APIKeyHeader
		if st.agent {
			vary += ", User-Agent"
		}
		h.Add("Vary", vary)
		switch {
		case st.preview:
			h.Set("Cache-Control", "private, no-store")
		case req.Header.Get("Authorization") != "" || st.travel:
			h.Set("Cache-Control", "private, no-cache")
		default:
			h.Set("Cache-Control", fmt.Sprintf("public, max-age=%d", maxAgeSeconds(st.now, st.until, maxAge)))
		}
		if req.Method == http.MethodGet {
			sum := sha256.Sum256(buf.body.Bytes())
			etag := `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`
			h.Set("ETag", etag)
			if etagMatches(req.Header.Get("If-None-Match"), etag) {
				h.Del("Content-Length")
				w.WriteHeader(http.StatusNotModified)
				return
			}
		}
		w.WriteHeader(buf.code)
		_, _ = w.Write(buf.body.Bytes())
	})
}

// maxAgeSeconds is how long a response computed at now may be cached: to
// its next transition, less a second for caches that count age in whole
// seconds, capped.
func maxAgeSeconds(now, until time.Time, maxAge time.Duration) int {
	limit := maxAge
	if !until.IsZero() {
		limit = min(limit, until.Sub(now)-time.Second)
	}
	if limit < time.Second {
		return 0
	}
	return int(limit / time.Second)
}

func etagMatches(header, etag string) bool {
	for _, part := range strings.Split(header, ",") {
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
