package graph

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/golang-lru/v2/simplelru"

	"github.com/mosaichq/mosaic/delivery"
	"github.com/mosaichq/mosaic/delivery/surrogate"
	"github.com/mosaichq/mosaic/internal/bodydelta"
	"github.com/mosaichq/mosaic/personalization"
)

// The response cache: personalized reads as cheap as static ones.
//
// Deciding is cheap (microseconds); executing a document and encoding its
// answer is not. So a delivery query is decided before it runs: the
// visitor of each root field's context is built exactly as its resolver
// would build it, and reduced to its equivalence class
// (experience.Visitor.ContextKey: device, channel, locale, consent,
// engine build; then the membership in only the segments the kept
// answers' variants target and the arms in only the experiments they
// name, respkey.go). Two requests for the same document and
// variables whose visitors fall in the same classes get the same bytes, so
// the answer is computed once per distinct class and served from memory
// to the rest — visitor ids and traits differ, the answer does not.
//
// What keeps it true: the key holds the content generation (moved by every
// change this replica hears of) and the engine build; an entry is served
// only before the next transition its response named (a campaign start,
// end or stop, a scheduled publication) and before the next transition of
// any campaign (the epoch the answer names counts them), so no answer is
// stale after startsAt, endsAt or a stop; it is served as fresh as a
// computation now would be (Cache-Control counts from now), and kept at
// most 10 × CacheMaxAge. GET and POST share answers; keys and the memoized
// visitor classes are in respkey.go and classmemo.go, the fast path that
// answers hits before the handler chain in fastpath.go. Only anonymous and
// API-key reads of delivery fields are cached, after the credential, the
// rate limit and trusted-document enforcement have run; editors' tokens,
// previews, time travel and anything with errors go to the executor. An
// If-None-Match that matches a cached answer is a 304 without executing.
// A document selecting decisionId is kept too: shared, its id naming the
// record of the delivery that computed it and its copies counted by the
// views naming that id (measurement/views.go), or with RecordEveryServe
// private, each visitor served getting its own decision records, their
// ids spliced in (respsplice.go). So is an answer that read a person's
// frequency caps, keyed on the states of the caps it read (respcaps.go):
// private, a record per serve.

// DefaultResponseCacheBytes bounds the response cache (Limits).
const DefaultResponseCacheBytes = 32 << 20

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

// entryOverhead is what a kept answer weighs besides its body and header
// values: the header map, the entry, the LRU's element and key.
const entryOverhead = 1024

// keepFor bounds how long an answer is kept, CacheMaxAge times: it is
// served only while nothing it depends on changed (content generation,
// engine build, transitions), and the bound only limits how long a change
// this replica never heard of could go unseen.
const keepFor = 10

type responseCache struct {
	r       *Resolver
	keepFor time.Duration
	maxAge  time.Duration
	limits  Limits

	// mu guards the LRU: a hit reads under RLock and takes the write lock
	// only to expire an answer, so hits on many cores do not queue on one
	// lock. Recency is the second-chance (CLOCK) kind: a hit marks its
	// answer used, and an answer used since it was put or last spared is
	// moved to the front instead of evicted (put).
	mu    sync.RWMutex
	lru   *simplelru.LRU[[32]byte, *cachedResponse]
	bytes int64
	max   int64
	// families are the reference bodies kept answers are pieces of, by
	// family key (cacheKey.family); each counts once in bytes while an
	// answer uses it (respbody.go).
	families map[uint64]*bodyFamily

	docs    planCache
	classes *classMemo

	varyMu sync.RWMutex
	vary   map[[32]byte]varyList // base key → what its answers named (respkey.go)
	capTok capTokens             // cap tokens in vary → the caps they name (respcaps.go)

	hits, misses, bypasses atomic.Int64
}

type cachedResponse struct {
	// body is the answer, or nil when it is kept as pieces of its
	// family's reference (pieces; respbody.go): a private answer, whose
	// ids are spliced into the bytes, is kept whole.
	body   []byte
	pieces *bodydelta.Body
	fam    *bodyFamily // the family pieces are of
	header http.Header
	// etag is the body's (GET answers carry it; POST answers are the same
	// bytes without it).
	etag  string
	etagH []string // ETag, as a header value
	// records are the decision records a private answer names, where its
	// ids are in body (respsplice.go); nil for an answer anyone may share.
	records *spliceRecords
	length  []string  // Content-Length
	until   time.Time // the answer's next transition (zero: none)
	// epochUntil is the next transition of any campaign after the answer
	// was computed: the epoch it names (extensions.epoch, the epoch
	// header) counts the last one, so the answer is not kept past it.
	epochUntil time.Time
	stored     time.Time
	size       int64 // what it weighs against the bound
	// used: hit since it was put or last spared (put).
	used atomic.Bool
}

// planKey names a document's plan: its text and the operation.
type planKey struct{ query, operation string }

// keptHeaders are the response headers a cached answer carries; CORS and
// request ids are the outer middleware's, per request.
var keptHeaders = []string{"Content-Type", "Vary", EpochHeader, NextTransitionHeader, surrogate.Header, surrogate.TagHeader}

func newResponseCache(r *Resolver, limits Limits, maxAge time.Duration) *responseCache {
	max := limits.ResponseCacheBytes
	if max == 0 {
		max = DefaultResponseCacheBytes
	}
	if max < 0 || r.Content == nil {
		return nil
	}
	c := &responseCache{r: r, maxAge: maxAge, keepFor: keepFor * maxAge, limits: limits, max: max}
	c.families = map[uint64]*bodyFamily{}
	c.lru, _ = simplelru.NewLRU[[32]byte, *cachedResponse](1<<30, func(_ [32]byte, v *cachedResponse) {
		c.bytes -= v.size
		if v.fam != nil {
			c.release(v.fam)
		}
	})
	c.docs.m = map[planKey]*docPlan{}
	c.classes = &classMemo{c: c, m: map[string]*memoClass{}, segs: map[string][]string{}}
	c.vary = map[[32]byte]varyList{}
	c.capTok.m = map[string]personalization.CapCheck{}
	c.capTok.tokens = map[personalization.CapCheck]string{}
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
	c.mu.RLock()
	defer c.mu.RUnlock()
	return CacheStats{Hits: c.hits.Load(), Misses: c.misses.Load(), Bypasses: c.bypasses.Load(), Bytes: c.bytes, Entries: int64(c.lru.Len())}
}

func (c *responseCache) handler(next http.Handler) http.Handler {
	if c == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		key, ok := presetKey(req)
		if !ok {
			key, ok = c.key(req)
		}
		if !ok {
			c.bypasses.Add(1)
			w.Header().Set(CacheHeader, "BYPASS")
			next.ServeHTTP(w, req)
			return
		}
		now := c.r.delivery().Now()
		if e, release := c.lookup(&key, now); e != nil {
			c.hits.Add(1)
			c.serve(w, req, &key, e, now, "HIT")
			release()
			return
		}
		info := &answerInfo{}
		req = req.WithContext(context.WithValue(req.Context(), answerInfoKey{}, info))
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
		c.readPins(&key) // before the answer is computed, as the computation reads them
		next.ServeHTTP(rec, req)
		if inm != "" {
			req.Header.Set("If-None-Match", inm)
		}
		if vary := c.widen(key.base, c.varyTokens(info)); len(vary) != len(key.vary) || len(info.capChecks) > 0 {
			// Kept under every segment it targets, experiment it names and
			// cap it read — with the states its decisions read, not the
			// states now (its own exposures are noted by now).
			c.rekey(&key, vary, info.capChecks, now)
		}
		var e *cachedResponse
		// An answer holding a person's recommendations is theirs alone; one
		// that read caps is kept when its caps' states reproduce it: one
		// state per cap, one visitor id (the records it writes per serve).
		if !info.personal && (!info.capsRead || info.capsOK && key.oneVisitor) && !c.pinsMoved(&key, info) {
			e = c.keep(key, w.Header(), rec, now, info.recorded, info.capsRead)
		}
		if !rec.hold {
			return
		}
		// A private answer was computed for this visitor (its records
		// written): it is sent as is, not served again with new ones.
		if e != nil && e.records == nil {
			c.serve(w, req, &key, e, now, "MISS")
			return
		}
		w.WriteHeader(rec.code)
		_, _ = w.Write(rec.buf.Bytes())
	})
}

// segments are the request's visitor's segments, for the decision records
// a private answer writes for it (its fields' visitor: keyFor).
func (k *cacheKey) segments() []string {
	for _, fv := range k.fields {
		if fv.v != nil {
			if fv.segs != nil {
				return fv.segs
			}
			return []string{}
		}
	}
	return nil
}

// answerInfo is what the cache learns of an answer as it is computed
// (withStamp fills it): the experiments its entries' variants name.
type answerInfo struct {
	experiments []string
	// segments: those its variants target; firstSegment: it read the
	// visitor's first segment (delivery.Request.Segments).
	segments     []string
	firstSegment bool
	recorded     []*delivery.Entry // entries it wrote decision records of
	// personal: it holds a per-person recommendation
	// (delivery.Request.Personal): never kept, not even privately with
	// spliced ids.
	personal bool
	// capsRead: it read a person's cap counts (delivery.Request.CapsRead);
	// capChecks are the caps and the states its decisions read, capsOK
	// false when one was read with two states (CapChecks).
	capsRead  bool
	capChecks []personalization.CapCheck
	capsOK    bool
}

type answerInfoKey struct{}

// noteAnswer hands an answer's experiments to the cache, if it asked.
func noteAnswer(ctx context.Context, q *delivery.Request) {
	if ai, ok := ctx.Value(answerInfoKey{}).(*answerInfo); ok {
		ai.experiments, ai.recorded, ai.personal = q.Experiments(), q.Recorded(), q.Personal()
		ai.segments, ai.firstSegment = q.Segments()
		if ai.capsRead = q.CapsRead(); ai.capsRead {
			ai.capChecks, ai.capsOK = q.CapChecks()
		}
	}
}

// keep stores a computed answer that may be shared, and returns it; nil
// when it may not (an error, a private answer, too large). A capped
// answer (capped: it read caps) is kept as one showing decision ids is:
// each visitor served gets records of its own, so each delivery counts.
func (c *responseCache) keep(key cacheKey, h http.Header, rec *teeWriter, now time.Time, recorded []*delivery.Entry, capped bool) *cachedResponse {
	cc := h.Get("Cache-Control")
	public := strings.HasPrefix(cc, "public")
	if rec.code != http.StatusOK || rec.buf.Len() > maxCachedResponse || h.Get(EpochHeader) == "" ||
		!public && !((key.decisions || capped) && cc == privateNoStore) {
		return nil
	}
	body := bytes.Clone(rec.buf.Bytes()) // not the buffer's spare capacity
	e := &cachedResponse{body: body, header: http.Header{}, etag: h.Get("ETag"), stored: now,
		length: []string{strconv.Itoa(len(body))}}
	if !public {
		// An answer showing decision ids, or a capped one: each visitor
		// it is served to gets its own records, their ids (if shown)
		// spliced in (respsplice.go).
		e.records = splicePoints(body, recorded)
		e.size += recordsSize(e.records)
	}
	if exp := c.r.Experience; exp != nil {
		_, e.epochUntil = exp.CampaignClock(now)
	}
	if e.records != nil {
		e.etag = "" // each serve is its own delivery: no validator
	} else if e.etag == "" { // a POST's answer: the ETag a GET of it gets
		e.etag = bodyETag(body)
	}
	e.etagH = []string{e.etag}
	var headerBytes int64
	for _, k := range keptHeaders {
		if v := h.Values(k); len(v) > 0 {
			e.header[k] = v
			for _, x := range v {
				headerBytes += int64(len(x))
			}
		}
	}
	// The body (whole, or its pieces: the family's reference and header
	// count once, put), the kept header values, and ~1 KB for the maps,
	// strings and the entry itself (estimated).
	if e.records == nil {
		if e.fam, e.pieces = c.share(key.family, body, e.header); e.pieces != nil {
			e.body = nil
			e.size += e.pieces.Size()
			if sameHeader(e.header, e.fam.header) {
				e.header, headerBytes = e.fam.header, 0
			}
		}
	}
	if e.body != nil {
		e.size += int64(len(body))
	}
	e.size += entryOverhead + headerBytes
	if t := h.Get(NextTransitionHeader); t != "" {
		e.until, _ = time.Parse(time.RFC3339Nano, t)
	}
	c.put(key.key, e)
	return e
}

// lookup is get for a request's key. A key that holds a person's cap
// states is computed again under the person's cap hold (delivery's
// HoldCapsOf) and the hold is kept until the answer is served (release,
// after serve): the states read and the delivery noted are one step, as
// deciding and recording an entry are, so two requests of one person
// cannot both spend their last exposure from the cache.
func (c *responseCache) lookup(k *cacheKey, now time.Time) (*cachedResponse, func()) {
	if !k.caps {
		return c.get(k.key, now), noRelease
	}
	release := c.r.delivery().HoldCapsOf(k.capsVisitor(), k.visitorID)
	c.rekey(k, k.vary, nil, now)
	e := c.get(k.key, now)
	if e == nil {
		release()
		return nil, noRelease
	}
	return e, release
}

func noRelease() {}

func (c *responseCache) get(key [32]byte, now time.Time) *cachedResponse {
	c.mu.RLock()
	e, ok := c.lru.Peek(key)
	c.mu.RUnlock()
	if !ok {
		return nil
	}
	// Kept a second less than CacheMaxAge: an answer served in its last
	// second would say max-age=0, and a CDN would replace its good copy
	// with an uncacheable one; computed afresh it says the whole max-age.
	if (!e.until.IsZero() && !now.Before(e.until)) || (!e.epochUntil.IsZero() && !now.Before(e.epochUntil)) ||
		now.Sub(e.stored) > c.keepFor || now.Before(e.stored) {
		c.whileKept(key, e, func() { c.lru.Remove(key) })
		return nil
	}
	if !e.used.Load() { // a write only once per spare: hits on one answer share its cache line
		e.used.Store(true)
	}
	return e
}

// whileKept runs f under the write lock if key still holds e: get read it
// under the shared lock, and a put may have replaced it since.
func (c *responseCache) whileKept(key [32]byte, e *cachedResponse, f func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if cur, ok := c.lru.Peek(key); ok && cur == e {
		f()
	}
}

func (c *responseCache) put(key [32]byte, e *cachedResponse) {
	if e.size == 0 {
		e.size = int64(len(e.body)) + entryOverhead
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	// A key kept twice (two misses computed at once): the first goes, so
	// its bytes and its family's use are given back (Add would replace
	// it without a word).
	c.lru.Remove(key)
	if e.fam != nil {
		c.use(e.fam)
	}
	c.lru.Add(key, e)
	c.bytes += e.size
	for c.bytes > c.max && c.lru.Len() > 0 {
		// The oldest goes unless it was used since it was put or last
		// spared: then it is spared once, to the front. Hits wait for the
		// lock held here, so every answer is spared at most once and the
		// loop ends.
		if k, old, _ := c.lru.GetOldest(); old != e && old.used.Load() {
			old.used.Store(false)
			c.lru.Get(k)
			continue
		}
		c.lru.RemoveOldest()
	}
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
