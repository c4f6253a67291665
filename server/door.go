package server

import (
	"encoding/binary"
	"encoding/hex"
	"math/rand/v2"
	"net/http"
	"net/netip"
	"strings"

	"github.com/mosaichq/mosaic/internal/reqscope"
)

// door is the outermost middleware: what every request gets once, before
// anything else looks at it — its correlation id (the caller's
// X-Request-ID, a load balancer's, or a new one, echoed), the client's
// address (believing X-Forwarded-For only from a trusted proxy), both in
// one context value (reqscope), and the one wrapper of its ResponseWriter
// (answer), which adds the security headers as the status is written and
// records the status for the request metrics. One allocation holds the
// wrapper and the scope: a cached answer's whole budget is a few dozen.
func door(trusted []netip.Prefix, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var id string
		if v := r.Header["X-Request-Id"]; len(v) > 0 { // the canonical key: no allocation
			id = v[0]
		}
		if id == "" || len(id) > 128 {
			// A correlation id, not a secret: the runtime's per-thread
			// generator, not a system call per request.
			var b [8]byte
			binary.LittleEndian.PutUint64(b[:], rand.Uint64())
			id = hex.EncodeToString(b[:])
		}
		ip, viaTrusted := clientIP(r, trusted)
		st := &requestState{
			answer: answer{ResponseWriter: w, code: http.StatusOK,
				studio: strings.HasPrefix(r.URL.Path, "/studio/"),
				hsts:   r.TLS != nil || viaTrusted && r.Header.Get("X-Forwarded-Proto") == "https"},
			scope: reqscope.Carrier{Context: r.Context(), Scope: reqscope.Scope{ID: id, ClientIP: ip}},
			idHdr: [1]string{id},
		}
		w.Header()["X-Request-Id"] = st.idHdr[:]
		next.ServeHTTP(&st.answer, r.WithContext(&st.scope))
	})
}

// requestState is one allocation for what door makes per request.
type requestState struct {
	answer answer
	scope  reqscope.Carrier // the request's context: its parent's, with the scope
	idHdr  [1]string        // the X-Request-Id header's value
}

// answer wraps a request's ResponseWriter. The security headers go on
// when the status is written, not when the request comes in, because a
// 304 must not carry them: it carries only what guides caches (RFC 9110
// §15.4.5; the browser keeps the stored 200's), and five header keys set
// and deleted again were a third of a revalidation's map work. A handler
// that set one of them itself (the studio's pages, GraphiQL, the landing
// page, assets: their own Content-Security-Policy) keeps its own.
type answer struct {
	http.ResponseWriter
	code   int  // the status written (200 until one is)
	wrote  bool // a final status was written
	studio bool // the studio's pages: its own CSP by default
	hsts   bool // an HTTPS request (directly or through a trusted proxy)
}

func (a *answer) WriteHeader(code int) {
	if !a.wrote && code >= 200 { // 1xx (Early Hints) are not the answer
		a.wrote, a.code = true, code
		a.secure(a.ResponseWriter.Header(), code != http.StatusNotModified)
	}
	a.ResponseWriter.WriteHeader(code)
}

func (a *answer) Write(b []byte) (int, error) {
	if !a.wrote {
		a.WriteHeader(http.StatusOK)
	}
	return a.ResponseWriter.Write(b)
}

// Flush keeps streamed answers (events over SSE, GraphQL over SSE)
// working: gqlgen asks the writer for http.Flusher directly.
func (a *answer) Flush() {
	if !a.wrote {
		a.WriteHeader(http.StatusOK)
	}
	_ = http.NewResponseController(a.ResponseWriter).Flush()
}

// Unwrap lets http.ResponseController reach the real writer (write
// deadlines for streams).
func (a *answer) Unwrap() http.ResponseWriter { return a.ResponseWriter }

// secure adds the security headers h does not already hold: HSTS on
// every answer to an HTTPS request, the others unless the answer is a
// 304 (full false).
func (a *answer) secure(h http.Header, full bool) {
	if a.hsts {
		setAbsent(h, "Strict-Transport-Security", hdrHSTS)
	}
	if !full {
		return
	}
	setAbsent(h, "X-Content-Type-Options", hdrNosniff)
	setAbsent(h, "Referrer-Policy", hdrNoRef)
	setAbsent(h, "X-Frame-Options", hdrDeny)
	setAbsent(h, "Cross-Origin-Opener-Policy", hdrSameOrig)
	if a.studio {
		setAbsent(h, "Content-Security-Policy", hdrStudioCSP)
	} else {
		setAbsent(h, "Content-Security-Policy", hdrAPICSP)
	}
}

func setAbsent(h http.Header, k string, v []string) {
	if _, ok := h[k]; !ok {
		h[k] = v
	}
}
