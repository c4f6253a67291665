package server

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"

	"github.com/rs/cors"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/ratelimit"
)

// Security configures the HTTP-level protections. The zero value allows
// every request (tests), answers no CORS and trusts no proxy.
type Security struct {
	// CORSOrigins are the browser origins allowed to call the API from
	// another origin ("https://shop.example.com", "http://localhost:*").
	// Empty: no CORS headers, so only same-origin pages can read answers.
	CORSOrigins []string
	// RatePerIP limits anonymous callers (and refused credentials) per
	// client address; RatePerKey limits each API key and each editor.
	// Requests per second, bursts of twice that; 0 turns a limit off.
	RatePerIP  float64
	RatePerKey float64
	// TrustedProxies are the load balancers whose X-Forwarded-For and
	// X-Forwarded-Proto are believed. Without them a client could pick its
	// own address and dodge the per-IP limit.
	TrustedProxies []netip.Prefix
	// HideMetrics leaves /metrics out (MOSAIC_METRICS=false, the default of
	// serve): the metrics tell whoever asks the routes, error rates and the
	// size of the screen fleet.
	HideMetrics bool
	// MetricsToken is the bearer token /metrics requires; empty: only
	// direct loopback callers are answered (metricsauth.go).
	MetricsToken string
}

// exempt are operator endpoints: probes and scrapes must never be refused
// because a client elsewhere misbehaves.
var exempt = map[string]bool{"/healthz": true, "/readyz": true, "/metrics": true}

// corsHandler wraps next with the CORS allow-list (rs/cors); preflights are
// answered here.
func corsHandler(origins []string, next http.Handler) http.Handler {
	if len(origins) == 0 {
		return next
	}
	return cors.New(cors.Options{
		AllowedOrigins: origins,
		AllowedMethods: []string{http.MethodGet, http.MethodPost, http.MethodOptions},
		AllowedHeaders: []string{"Content-Type", "Authorization", auth.APIKeyHeader, "X-Request-ID", "If-None-Match"},
		ExposedHeaders: []string{"ETag", "Retry-After", "X-Request-ID", "X-Mosaic-Epoch", "X-Mosaic-Next-Transition"},
		// Credentials travel in headers, never cookies.
		AllowCredentials: false,
		MaxAge:           600,
	}).Handler(next)
}

// clientIP is the peer's address, or, when the peer is a trusted proxy, the
// right-most X-Forwarded-For entry that is not a trusted proxy (entries to
// its left were written by the client and prove nothing).
func clientIP(r *http.Request, trusted []netip.Prefix) (string, bool) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil {
		return host, false
	}
	if !isTrusted(peer, trusted) {
		if peer.Is4() { // dotted decimal parses only in its canonical form: host is it
			return host, false
		}
		return peer.Unmap().String(), false
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		if !isTrusted(a, trusted) {
			return a.Unmap().String(), true
		}
	}
	return peer.Unmap().String(), true
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	a = a.Unmap()
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// ipBucket is the rate-limit key of an address: IPv6 clients get a whole
// /64 each (one customer's allocation), or they could rotate addresses.
func ipBucket(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil || a.Is4() {
		return "ip:" + ip
	}
	p, _ := a.Prefix(64)
	return "ip:" + p.String()
}

// rateLimit answers RATE_LIMITED (429, Retry-After) when the caller's
// bucket is empty: an API key's or editor's own bucket, otherwise the
// client address's. Refused credentials count against the address, so
// guessing keys is limited like anonymous traffic.
func rateLimit(perIP, perKey *ratelimit.Limiter, next http.Handler) http.Handler {
	if perIP == nil && perKey == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if exempt[r.URL.Path] {
			next.ServeHTTP(w, r)
			return
		}
		lim, key := perIP, ipBucket(ratelimit.ClientIP(r.Context()))
		if p, ok := auth.FromContext(r.Context()); ok {
			lim, key = perKey, string(p.Kind)+":"+p.Subject
		}
		if ok, wait := lim.Allow(key); !ok {
			secs := ratelimit.RetryAfterSeconds(wait)
			w.Header().Set("Retry-After", strconv.Itoa(secs))
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Cache-Control", "no-store")
			w.WriteHeader(http.StatusTooManyRequests)
			_ = json.NewEncoder(w).Encode(map[string]any{"errors": []any{map[string]any{
				"message":    fmt.Sprintf("rate limit exceeded: retry in %ds", secs),
				"extensions": map[string]any{"code": string(errs.RateLimited), "retryAfter": secs},
			}}})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// apiCSP forbids everything a browser could do with an API response opened
// as a document (an uploaded SVG or HTML served from this origin cannot run
// script or be framed). GraphiQL (package graphiql) and the landing page
// set their own.
const apiCSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"

// studioCSP lets the campaign studio page (package studio) run its own
// scripts and styles and call /graphql on this origin, and nothing else.
// The one hash admits an empty <style> element: the calendar (FullCalendar)
// creates one and fills it through CSSOM insertRule, which CSP does not
// govern; any inline style with content stays refused. Its arrow icons are
// a font in a data: URL, hence font-src data:.
const studioCSP = "default-src 'none'; script-src 'self'; style-src 'self' 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='; font-src data:; connect-src 'self'; img-src 'self' data:; " +
	"form-action 'none'; frame-ancestors 'none'; base-uri 'none'"

// Header values shared by every response (never modified in place: a
// handler that changes one sets a new slice).
var (
	hdrNosniff   = []string{"nosniff"}
	hdrNoRef     = []string{"no-referrer"}
	hdrDeny      = []string{"DENY"}
	hdrSameOrig  = []string{"same-origin"}
	hdrStudioCSP = []string{studioCSP}
	hdrAPICSP    = []string{apiCSP}
	hdrHSTS      = []string{"max-age=31536000"}
)
