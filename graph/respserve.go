package graph

import (
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mosaichq/mosaic/delivery"
)

// Serving a kept answer: the headers a computation now would send (its
// max-age counted from now), a 304 when the validator matches, the body
// whole or put together from its pieces.

// serve answers from a cached response; max-age counts from now, still
// bounded by the next transition.
func (c *responseCache) serve(w http.ResponseWriter, req *http.Request, key *cacheKey, e *cachedResponse, now time.Time, state string) {
	h := w.Header()
	h[CacheHeader] = cacheStates[state]
	if e.records != nil {
		for k, v := range e.header {
			h[k] = v
		}
		c.servePrivate(w, e, now, key.visitorID, key.segments())
		return
	}
	// As fresh as if computed now: it is what a computation now would
	// answer (same content generation, engine build and epoch, before its
	// next transition).
	h["Cache-Control"] = cacheControlFor(delivery.MaxAge(now, e.until, c.maxAge))
	if req.Method == http.MethodGet {
		h["Etag"] = e.etagH
		if etagMatches(req.Header.Get("If-None-Match"), e.etag) {
			// The body type and surrogate keys are the stored copy's;
			// what guides caches (Vary, the epoch and the next
			// transition a kiosk refetches at) is copied over.
			for _, k := range headersOn304 {
				if v := e.header[k]; v != nil {
					h[k] = v
				}
			}
			notModified(w)
			return
		}
	}
	for k, v := range e.header {
		h[k] = v
	}
	h["Content-Length"] = e.length
	w.WriteHeader(http.StatusOK)
	writeBody(w, e)
}

// writeBody writes e's body: whole, or assembled from its pieces in a
// pooled buffer (one write, as net/http would send it anyway).
func writeBody(w http.ResponseWriter, e *cachedResponse) {
	if e.pieces == nil {
		_, _ = w.Write(e.body)
		return
	}
	bp := bodyBufs.Get().(*[]byte)
	*bp = e.pieces.AppendTo((*bp)[:0])
	_, _ = w.Write(*bp)
	putBodyBuf(bp)
}

// bodyBufs are the buffers a served body is put together in: from its
// pieces (writeBody), or with a visitor's decision ids spliced in
// (servePrivate).
var bodyBufs = sync.Pool{New: func() any { return new([]byte) }}

// putBodyBuf returns a buffer to bodyBufs, unless a rare large answer
// grew it (it would stay pinned).
func putBodyBuf(bp *[]byte) {
	if cap(*bp) <= 1<<20 {
		bodyBufs.Put(bp)
	}
}

// headersOn304 are the kept headers a 304 carries.
var headersOn304 = []string{"Vary", EpochHeader, NextTransitionHeader}

// cacheStates are the CacheHeader values, shared by every answer (header
// values are never modified in place).
var cacheStates = map[string][]string{"HIT": {"HIT"}, "MISS": {"MISS"}}

// cacheControlFor is the Cache-Control value of a public answer fresh for
// maxAge (whole seconds), formatted once per process for each max-age up
// to an hour: formatting it per answer was a measurable part of a hit,
// and a copy kept on each cached answer (as before) was three objects per
// answer for the collector to mark, remade every second.
func cacheControlFor(maxAge time.Duration) []string {
	s := int(maxAge / time.Second)
	if s < 0 || s >= len(cacheControls) {
		return []string{publicCacheControl(maxAge)}
	}
	if v := cacheControls[s].Load(); v != nil {
		return *v
	}
	v := []string{publicCacheControl(maxAge)}
	cacheControls[s].Store(&v)
	return v
}

var cacheControls [3601]atomic.Pointer[[]string]
