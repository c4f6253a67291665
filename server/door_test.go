package server

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/internal/reqscope"
)

var securityKeys = []string{"X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options",
	"Cross-Origin-Opener-Policy", "Content-Security-Policy"}

// serveDoor runs h behind door (a trusted proxy at 10.0.0.0/8) and
// returns the recorded answer.
func serveDoor(t *testing.T, path string, hdr map[string]string, h http.HandlerFunc) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.RemoteAddr = "10.1.2.3:5555"
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	door([]netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}, h).ServeHTTP(rec, req)
	return rec
}

func TestDoorSecuresEveryAnswerButA304(t *testing.T) {
	t.Run("a body written without a status", func(t *testing.T) {
		rec := serveDoor(t, "/graphql", nil, func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("{}")) })
		require.Equal(t, http.StatusOK, rec.Code)
		for _, k := range securityKeys {
			require.NotEmpty(t, rec.Header().Get(k), k)
		}
		require.Equal(t, apiCSP, rec.Header().Get("Content-Security-Policy"))
		require.Empty(t, rec.Header().Get("Strict-Transport-Security"), "plain HTTP")
		require.Len(t, rec.Header().Get("X-Request-Id"), 16)
	})
	t.Run("an error", func(t *testing.T) {
		rec := serveDoor(t, "/graphql", nil, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusTooManyRequests) })
		require.Equal(t, http.StatusTooManyRequests, rec.Code)
		require.Equal(t, "nosniff", rec.Header().Get("X-Content-Type-Options"))
	})
	t.Run("a 304 carries none, HSTS aside", func(t *testing.T) {
		rec := serveDoor(t, "/graphql", map[string]string{"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"},
			func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Etag", `"a"`)
				w.WriteHeader(http.StatusNotModified)
			})
		require.Equal(t, http.StatusNotModified, rec.Code)
		for _, k := range securityKeys {
			require.Empty(t, rec.Header().Values(k), k)
		}
		require.Equal(t, "max-age=31536000", rec.Header().Get("Strict-Transport-Security"), "HTTPS through a trusted proxy")
		require.Equal(t, `"a"`, rec.Header().Get("Etag"))
	})
	t.Run("a handler's own CSP stays; the studio's by default", func(t *testing.T) {
		rec := serveDoor(t, "/graphiql", nil, func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Security-Policy", "default-src 'self'")
			w.WriteHeader(http.StatusOK)
		})
		require.Equal(t, []string{"default-src 'self'"}, rec.Header().Values("Content-Security-Policy"))
		rec = serveDoor(t, "/studio/", nil, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
		require.Equal(t, studioCSP, rec.Header().Get("Content-Security-Policy"))
	})
	t.Run("a stream flushed before any write", func(t *testing.T) {
		rec := serveDoor(t, "/events", nil, func(w http.ResponseWriter, _ *http.Request) {
			w.(http.Flusher).Flush() // gqlgen's and the SSE handler's way
		})
		require.True(t, rec.Flushed)
		require.Equal(t, apiCSP, rec.Header().Get("Content-Security-Policy"))
	})
	t.Run("early hints are not the answer", func(t *testing.T) {
		var code int
		rec := serveDoor(t, "/graphql", nil, func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(http.StatusEarlyHints)
			w.WriteHeader(http.StatusNotModified)
			code = w.(*answer).code
		})
		require.Equal(t, http.StatusNotModified, code)
		require.Empty(t, rec.Header().Values("X-Frame-Options"))
	})
}

func TestDoorScope(t *testing.T) {
	var got reqscope.Scope
	rec := serveDoor(t, "/graphql", map[string]string{"X-Request-Id": "lb-42", "X-Forwarded-For": "198.51.100.1, 203.0.113.9"},
		func(_ http.ResponseWriter, r *http.Request) { got = reqscope.From(r.Context()) })
	require.Equal(t, reqscope.Scope{ID: "lb-42", ClientIP: "203.0.113.9"}, got, "the right-most untrusted hop")
	require.Equal(t, "lb-42", rec.Header().Get("X-Request-Id"))

	long := make([]byte, 129)
	for i := range long {
		long[i] = 'a'
	}
	rec = serveDoor(t, "/graphql", map[string]string{"X-Request-Id": string(long)},
		func(_ http.ResponseWriter, r *http.Request) { got = reqscope.From(r.Context()) })
	require.Len(t, got.ID, 16, "an over-long id is replaced")
	require.Equal(t, got.ID, rec.Header().Get("X-Request-Id"))
	require.Equal(t, "10.1.2.3", got.ClientIP, "the trusted proxy itself when it names no one")
}

// The request metrics count the status door's writer recorded (no
// wrapper of their own behind door), and their own wrapper's without it.
func TestInstrumentCountsTheWrittenStatus(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := newMetrics(reg)
	h := m.instrument("graphql", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNotModified) }))
	serveDoor(t, "/graphql", nil, h.ServeHTTP)
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/graphql", nil))
	require.Equal(t, 2.0, testutil.ToFloat64(m.requests.WithLabelValues("graphql", http.MethodGet, "304")))
	require.Equal(t, 0.0, testutil.ToFloat64(m.requests.WithLabelValues("graphql", http.MethodGet, "200")))
}

// An untrusted peer's address is its canonical text whatever form the
// connection gave it (the rate limits key on it).
func TestClientIPIsCanonical(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	for remote, want := range map[string]string{
		"192.0.2.1:4711":          "192.0.2.1",
		"[::ffff:192.0.2.1]:4711": "192.0.2.1",
		"[2001:DB8:0::1]:4711":    "2001:db8::1",
		"[::1]:4711":              "::1",
		"not an address":          "not an address",
	} {
		r := httptest.NewRequest(http.MethodGet, "/graphql", nil)
		r.RemoteAddr = remote
		got, via := clientIP(r, trusted)
		require.Equal(t, want, got, remote)
		require.False(t, via, remote)
	}
}
