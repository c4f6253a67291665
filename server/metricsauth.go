package server

import (
	"crypto/subtle"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// metricsGuard protects /metrics, which tells whoever asks the routes,
// error rates and the size of the screen fleet. With a token a scrape must
// send "Authorization: Bearer <token>"; without one only a caller on
// loopback is answered — and not one whose request came through a proxy
// on the same machine (it carries X-Forwarded-For or Forwarded), since
// that is really someone else. `mosaic dev` listens on loopback, so there
// it is open.
func metricsGuard(token string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if token != "" {
			got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(token)) != 1 {
				w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
				http.Error(w, "metrics: send the MOSAIC_METRICS_TOKEN as a bearer token", http.StatusUnauthorized)
				return
			}
			next.ServeHTTP(w, r)
			return
		}
		if !directLoopback(r) {
			http.Error(w, "metrics: only loopback callers without a proxy in between; set MOSAIC_METRICS_TOKEN to scrape from elsewhere", http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func directLoopback(r *http.Request) bool {
	if r.Header.Get("X-Forwarded-For") != "" || r.Header.Get("Forwarded") != "" {
		return false
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.Unmap().IsLoopback()
}
