package graph

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/hashicorp/golang-lru/v2/simplelru"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/mosaichq/mosaic/delivery"
	"github.com/mosaichq/mosaic/delivery/surrogate"
	"github.com/mosaichq/mosaic/graph/model"
)

// The response cache: personalized reads as cheap as static ones.
//
// Deciding is cheap (microseconds); executing a document and encoding its
// answer is not. So a delivery query is decided before it runs: the
// visitor of each root field's context is built exactly as its resolver
// would build it, and reduced to its equivalence class
// (experience.Visitor.Key: segments, device, channel, locale, consent,
// experiment arms, engine build). Two requests for the same document and
// variables whose visitors fall in the same classes get the same bytes, so
// the answer is computed once per distinct class and served from memory
// to the rest — visitor ids and traits differ, the answer does not.
//
// What keeps it true: the key holds the content generation (moved by every
// change this replica hears of) and the engine build; an entry is served
// only before the next transition its response named (a campaign start,
// end or stop, a scheduled publication) and within CacheMaxAge, so no
// answer is stale after startsAt, endsAt or a stop. Only anonymous and
// API-key reads of delivery fields are cached, after the credential, the
// rate limit and trusted-document enforcement have run; editors' tokens,
// previews, time travel and anything with errors go to the executor. An
// If-None-Match that matches a cached answer is a 304 without executing.

// DefaultResponseCacheBytes bounds the response cache (Limits).
const DefaultResponseCacheBytes = 64 << 20

// maxCachedResponse is the largest answer kept: bigger ones are rare and
// would crowd out many small ones.
const maxCachedResponse = 256 << 10

// CacheHeader says whether an answer came from the response cache (HIT),
// was computed and kept (MISS), or could not be cached (BYPASS).
const CacheHeader = "X-Mosaic-Cache"

// cacheableRoots are the root fields whose answers depend on nothing but
// published content and the visitor: a document with any other field
// (a draft, the fleet, a search whose index lags the change feed) runs.
var cacheableRoots = map[string]bool{"entry": true, "entries": true, "__typename": true}

type responseCache struct {
	r      *Resolver
	maxAge time.Duration
	limits Limits

	mu    sync.Mutex
	lru   *simplelru.LRU[[32]byte, *cachedResponse]
	bytes int64
	max   int64

	docs *lru.Cache[string, *docPlan]

	hits, misses, bypasses atomic.Int64
}

type cachedResponse struct {
	body   []byte
	header http.Header
	etag   string
	until  time.Time // the answer's next transition (zero: none)
	stored time.Time
}

// keptHeaders are the response headers a cached answer carries; CORS and
// request ids are the outer middleware's, per request.
var keptHeaders = []string{"Content-Type", "ETag", "Vary", EpochHeader, NextTransitionHeader, surrogate.Header, surrogate.TagHeader}

func newResponseCache(r *Resolver, limits Limits, maxAge time.Duration) *responseCache {
	max := limits.ResponseCacheBytes
	if max == 0 {
		max = DefaultResponseCacheBytes
	}
	if max < 0 || r.Content == nil {
		return nil
	}
	c := &responseCache{r: r, maxAge: maxAge, limits: limits, max: max}
	c.lru, _ = simplelru.NewLRU[[32]byte, *cachedResponse](1<<30, func(_ [32]byte, v *cachedResponse) {
		c.bytes -= int64(len(v.body)) + 512
	})
	c.docs, _ = lru.New[string, *docPlan](1000)
	return c
}

// CacheStats are the response cache's counters.
type CacheStats struct{ Hits, Misses, Bypasses, Bytes, Entries int64 }

// ResponseCacheStats are the response cache's counters and size; false
// when the handler has none (turned off, or no handler built yet).
func (r *Resolver) ResponseCacheStats() (CacheStats, bool) {
	if r == nil || r.respCache == nil {
		return CacheStats{}, false
	}
	return r.respCache.stats(), true
}

func (c *responseCache) stats() CacheStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return CacheStats{Hits: c.hits.Load(), Misses: c.misses.Load(), Bypasses: c.bypasses.Load(), Bytes: c.bytes, Entries: int64(c.lru.Len())}
}

func (c *responseCache) handler(next http.Handler) http.Handler {
	if c == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		key, ok := c.key(req)
		if !ok {
			c.bypasses.Add(1)
			w.Header().Set(CacheHeader, "BYPASS")
			next.ServeHTTP(w, req)
			return
		}
		now := c.r.delivery().Now()
		if e := c.get(key, now); e != nil {
			c.hits.Add(1)
			c.serve(w, req, e, now, "HIT")
			return
		}
		c.misses.Add(1)
		w.Header().Set(CacheHeader, "MISS")
		// A revalidation that misses runs without its validator and is held:
		// the executor would answer 304 with no body, and the cache would
		// miss again on every revalidation of the same answer. The whole
		// answer is kept, and the 304 (or the answer) is served from it.
		inm := req.Header.Get("If-None-Match")
		if inm != "" {
			req.Header.Del("If-None-Match")
		}
		rec := &teeWriter{ResponseWriter: w, code: http.StatusOK, hold: inm != ""}
		next.ServeHTTP(rec, req)
		if inm != "" {
			req.Header.Set("If-None-Match", inm)
		}
		e := c.keep(key, w.Header(), rec, now)
		if !rec.hold {
			return
		}
		if e != nil {
			c.serve(w, req, e, now, "MISS")
			return
		}
		w.WriteHeader(rec.code)
		_, _ = w.Write(rec.buf.Bytes())
	})
}

// keep stores a computed answer that may be shared, and returns it; nil
// when it may not (an error, a private answer, too large).
func (c *responseCache) keep(key [32]byte, h http.Header, rec *teeWriter, now time.Time) *cachedResponse {
	if rec.code != http.StatusOK || rec.buf.Len() > maxCachedResponse || !strings.HasPrefix(h.Get("Cache-Control"), "public") ||
		h.Get(EpochHeader) == "" {
		return nil
	}
	e := &cachedResponse{body: rec.buf.Bytes(), header: http.Header{}, etag: h.Get("ETag"), stored: now}
	for _, k := range keptHeaders {
		if v := h.Values(k); len(v) > 0 {
			e.header[k] = v
		}
	}
	if t := h.Get(NextTransitionHeader); t != "" {
		e.until, _ = time.Parse(time.RFC3339Nano, t)
	}
	c.put(key, e)
	return e
}

func (c *responseCache) get(key [32]byte, now time.Time) *cachedResponse {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.lru.Get(key)
	if !ok {
		return nil
	}
	// Kept a second less than CacheMaxAge: an answer served in its last
	// second would say max-age=0, and a CDN would replace its good copy
	// with an uncacheable one; computed afresh it says the whole max-age.
	if (!e.until.IsZero() && !now.Before(e.until)) || now.Sub(e.stored) > c.maxAge-time.Second || now.Before(e.stored) {
		c.lru.Remove(key)
		return nil
	}
	return e
}

func (c *responseCache) put(key [32]byte, e *cachedResponse) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lru.Add(key, e)
	c.bytes += int64(len(e.body)) + 512
	for c.bytes > c.max && c.lru.Len() > 0 {
		c.lru.RemoveOldest()
	}
}

// serve answers from a cached response; max-age counts from now, still
// bounded by the next transition.
func (c *responseCache) serve(w http.ResponseWriter, req *http.Request, e *cachedResponse, now time.Time, state string) {
	h := w.Header()
	for k, v := range e.header {
		h[k] = v
	}
	h.Set(CacheHeader, state)
	h.Set("Cache-Control", publicCacheControl(delivery.MaxAge(now, e.until, c.maxAge-now.Sub(e.stored))))
	if e.etag != "" && etagMatches(req.Header.Get("If-None-Match"), e.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(e.body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(e.body)
}

// teeWriter passes a response through and keeps a copy of its body (up
// to maxCachedResponse); held, it only keeps it (all of it), for the
// cache to answer from.
type teeWriter struct {
	http.ResponseWriter
	code int
	buf  bytes.Buffer
	hold bool
}

func (t *teeWriter) WriteHeader(code int) {
	t.code = code
	if !t.hold {
		t.ResponseWriter.WriteHeader(code)
	}
}

func (t *teeWriter) Write(p []byte) (int, error) {
	if t.hold {
		return t.buf.Write(p)
	}
	if t.buf.Len() <= maxCachedResponse {
		t.buf.Write(p) // past the bound it is never kept (keep)
	}
	return t.ResponseWriter.Write(p)
}

// docPlan is what the cache needs of a document: whether it may be cached
// at all, and where each root field's locale and context come from.
type docPlan struct {
	ok     bool
	fields []*ast.Field
	// contextVars are the variables root fields take their context from:
	// they reach the answer only through the visitor's class.
	contextVars map[string]bool
}

func (c *responseCache) plan(query, operation string) *docPlan {
	if p, ok := c.docs.Get(query + "\x00" + operation); ok {
		return p
	}
	p := &docPlan{}
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: query}, parserTokenLimit)
	if err == nil {
		op := doc.Operations.ForName(operation)
		if operation == "" && len(doc.Operations) != 1 {
			op = nil
		}
		// A document selecting Entry.decisionId runs: its answer names
		// this visitor's decision record, which no other may be served.
		p.ok = op != nil && op.Operation == ast.Query && len(op.Directives) == 0 && !selectsDecisionID(doc)
		p.contextVars = map[string]bool{}
		for _, sel := range selectionsOf(op) {
			f, isField := sel.(*ast.Field)
			if !isField || !cacheableRoots[f.Name] || len(f.Directives) > 0 {
				p.ok = false
				break
			}
			p.fields = append(p.fields, f)
			for _, name := range []string{"context", "locale"} {
				a := f.Arguments.ForName(name)
				if a == nil || a.Value.Kind != ast.Variable {
					continue
				}
				// A default the executor would apply is not in the
				// request's variables: such a document runs.
				if def := op.VariableDefinitions.ForName(a.Value.Raw); def == nil || def.DefaultValue != nil {
					p.ok = false
				}
				if name == "context" {
					p.contextVars[a.Value.Raw] = true
				}
			}
		}
	}
	c.docs.Add(query+"\x00"+operation, p)
	return p
}

// selectsDecisionID says whether any field of doc (its fragments
// included) is named decisionId.
func selectsDecisionID(doc *ast.QueryDocument) bool {
	var walk func(ast.SelectionSet) bool
	walk = func(set ast.SelectionSet) bool {
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				if s.Name == "decisionId" || walk(s.SelectionSet) {
					return true
				}
			case *ast.InlineFragment:
				if walk(s.SelectionSet) {
					return true
				}
			}
		}
		return false
	}
	for _, op := range doc.Operations {
		if walk(op.SelectionSet) {
			return true
		}
	}
	for _, f := range doc.Fragments {
		if walk(f.SelectionSet) {
			return true
		}
	}
	return false
}

func selectionsOf(op *ast.OperationDefinition) ast.SelectionSet {
	if op == nil {
		return nil
	}
	return op.SelectionSet
}

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
func (c *responseCache) key(req *http.Request) ([32]byte, bool) {
	ctx := req.Context()
	// Editors' tokens run (their answers are private); so does every
	// caller delivery refuses, for the executor to say why.
	if req.Header.Get("Authorization") != "" || c.r.delivery().Policy.Authorize(ctx) != nil {
		return [32]byte{}, false
	}
	p, ok := readParams(req)
	if !ok {
		return [32]byte{}, false
	}
	if p.Query == "" && p.APQHash != "" && c.r.Documents != nil {
		// A persisted query sent by hash: the cache keys on its text, as
		// the executor will run it.
		p.Query, _ = c.r.Documents.APQ().Get(ctx, p.APQHash)
	}
	if p.Query == "" {
		return [32]byte{}, false
	}
	plan := c.plan(p.Query, p.OperationName)
	if !plan.ok {
		return [32]byte{}, false
	}
	buf := make([]byte, 0, 512)
	buf = append(buf, req.Method...)
	buf = append(buf, 0)
	buf = append(buf, req.Header.Get("Accept")...)
	buf = append(buf, 0)
	buf = strconv.AppendUint(buf, c.r.Content.Generation(), 10)
	buf = append(buf, 0)
	vars := p.Variables
	for _, f := range plan.fields {
		vk, ok := c.visitorKey(ctx, req, f, vars)
		if !ok {
			return [32]byte{}, false
		}
		buf = append(buf, vk...)
		buf = append(buf, 0)
	}
	h := sha256.New()
	h.Write(buf)
	h.Write([]byte(p.Query))
	h.Write([]byte{0})
	h.Write([]byte(p.OperationName))
	h.Write([]byte{0})
	// The variables as sent, less the contexts: they reach the answer only
	// through the visitor keys above.
	names := make([]string, 0, len(vars))
	for name := range vars {
		if !plan.contextVars[name] {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		h.Write(strconv.AppendQuote(nil, name))
		h.Write([]byte{':'})
		h.Write(vars[name])
		h.Write([]byte{0})
	}
	var key [32]byte
	h.Sum(key[:0])
	return key, true
}

// visitorKey builds root field f's visitor as its resolver will and
// returns its class; false when the field must run (a preview, time
// travel, a context the registry refuses: the executor answers those).
func (c *responseCache) visitorKey(ctx context.Context, req *http.Request, f *ast.Field, vars map[string]json.RawMessage) ([]byte, bool) {
	if f.Name == "__typename" {
		return nil, true
	}
	var in *model.ExperienceContext
	if a := f.Arguments.ForName("context"); a != nil {
		raw, ok := argumentJSON(a.Value, vars)
		if !ok || unmarshalOpt(raw, &in) != nil {
			return nil, false
		}
	}
	var locale *string
	if a := f.Arguments.ForName("locale"); a != nil {
		raw, ok := argumentJSON(a.Value, vars)
		if !ok || unmarshalOpt(raw, &locale) != nil {
			return nil, false
		}
	}
	input, err := deliveryInput(in, requestLocale(locale, in), req.Header, true)
	if err != nil {
		return nil, false
	}
	return c.r.delivery().NewRequest().Class(ctx, input)
}

// argumentJSON is an argument's value as JSON: a variable's as sent, a
// literal's encoded (rare: clients send contexts as variables).
func argumentJSON(v *ast.Value, vars map[string]json.RawMessage) (json.RawMessage, bool) {
	if v.Kind == ast.Variable {
		return vars[v.Raw], true
	}
	lit, err := v.Value(nil)
	if err != nil {
		return nil, false
	}
	raw, err := json.Marshal(lit)
	return raw, err == nil
}
