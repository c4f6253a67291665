package server

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/mosaichq/mosaic/assets"
	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/bundle"
	"github.com/mosaichq/mosaic/delivery"
	"github.com/mosaichq/mosaic/fleet"
	"github.com/mosaichq/mosaic/graph"
	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/ratelimit"
	"github.com/mosaichq/mosaic/server/graphiql"
	"github.com/mosaichq/mosaic/studio"
)

// Check is a readiness probe: nil when the dependency is usable.
type Check func(ctx context.Context) error

// Deps is what the HTTP surface needs.
type Deps struct {
	Resolver *graph.Resolver
	Limits   graph.Limits
	Verifier auth.Verifier
	// Ready lists named readiness checks (database reachable, migrations
	// current); /readyz fails while any fails.
	Ready map[string]Check
	Log   *slog.Logger
	// Assets serves /assets/; nil answers NOT_FOUND there.
	Assets *assets.Service
	// Blobs serves a local blob store's presigned URLs under BlobPath;
	// nil when the store is S3 (which serves its own).
	Blobs http.Handler
	// Fleet records screens' heartbeats (POST /screens/{slug}/heartbeat);
	// nil answers SERVICE_UNAVAILABLE there.
	Fleet *fleet.Service
	// Events serves the live event stream (GET /events); nil leaves it out.
	Events http.Handler
	// Registry receives the HTTP metrics and, with Fleet, the screens
	// gauge; nil makes a fresh one.
	Registry *prometheus.Registry
	// Security is CORS, rate limits and trusted proxies (security.go).
	Security Security
	// Collect takes client events at POST /collect (collect.go); nil
	// answers SERVICE_UNAVAILABLE there. Collectors are more metrics to
	// serve at /metrics (the event pipeline's).
	Collect    *measurement.Collector
	Collectors []prometheus.Collector
}

// Handler returns the root handler.
func Handler(d Deps) http.Handler {
	reg := d.Registry
	if reg == nil {
		reg = prometheus.NewRegistry()
		reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	m := newMetrics(reg)
	reg.MustRegister(d.Collectors...)
	if d.Fleet != nil {
		reg.MustRegister(newScreensCollector(d.Fleet, orDiscard(d.Log)))
	}
	if d.Resolver != nil {
		reg.MustRegister(newCachesCollector(d.Resolver))
	}
	mux := http.NewServeMux()
	gql := m.instrument("graphql", graph.NewHandler(d.Resolver, d.Limits))
	mux.Handle("/graphql", gql)
	ide := graphiql.Handler(graphiql.Options{Endpoint: "/graphql", Schema: apiSchema(d.Limits)})
	mux.Handle("GET "+graphiql.Path, ide)
	mux.Handle("GET "+graphiql.Path+"/", ide)
	mux.Handle("GET /{$}", landing(d.Limits.Introspection, !d.Security.HideMetrics))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", readyz(d.Ready))
	mux.Handle("/assets/", m.instrument("assets", assetsHandler(d.Assets, d.Blobs, orDiscard(d.Log))))
	mux.Handle("GET /demo/{name}", m.instrument("assets", demoHandler(d.Assets, orDiscard(d.Log))))
	mux.Handle("GET "+studio.Prefix, studio.Handler())
	mux.Handle("GET /studio", http.RedirectHandler(studio.Prefix, http.StatusMovedPermanently))
	if !d.Security.HideMetrics {
		mux.Handle("GET /metrics", metricsGuard(d.Security.MetricsToken, promhttp.HandlerFor(reg, promhttp.HandlerOpts{})))
	}
	var bundles *bundle.Builder
	var signer *bundle.Signer
	if d.Resolver != nil && d.Resolver.Bundles != nil {
		bundles, signer = d.Resolver.Bundles, d.Resolver.Bundles.Signer
	}
	policy := delivery.Policy{RequireAPIKey: d.Limits.RequireAPIKey}
	mux.Handle("GET /screens/{slug}/bundle", m.instrument("bundle",
		bundleHandler(bundles, d.Limits.CacheMaxAge, policy, orDiscard(d.Log))))
	mux.Handle("POST /screens/{slug}/heartbeat", m.instrument("heartbeat",
		heartbeatHandler(d.Fleet, policy, orDiscard(d.Log))))
	mux.Handle("GET "+KeysPath, keysHandler(signer))
	mux.Handle("POST /collect", m.instrument("collect", collectHandler(d.Collect, policy, orDiscard(d.Log))))
	if d.Events != nil {
		// Not instrumented: a stream's duration is its client's patience,
		// not latency, and would drown the request histogram.
		mux.Handle("GET /events", d.Events)
	}
	h := routeFallback(mux, gql) // unknown routes and methods answer in the GraphQL error shape
	// Outermost last: the door (request id, client address, the writer
	// that adds security headers), CORS (preflights end there),
	// credentials, then the rate limit, which needs both.
	h = rateLimit(ratelimit.New(ratelimit.Config{PerSecond: d.Security.RatePerIP}),
		ratelimit.New(ratelimit.Config{PerSecond: d.Security.RatePerKey}), h)
	h = auth.Middleware(d.Verifier, h)
	h = corsHandler(d.Security.CORSOrigins, h)
	return door(d.Security.TrustedProxies, h)
}

func readyz(checks map[string]Check) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		status, report := http.StatusOK, map[string]string{}
		for name, check := range checks {
			if err := check(ctx); err != nil {
				status, report[name] = http.StatusServiceUnavailable, err.Error()
				continue
			}
			report[name] = "ok"
		}
		writeJSON(w, status, report)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "mosaic_http_requests_total", Help: "HTTP requests by route, method and status code.",
		}, []string{"route", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "mosaic_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

func (m *metrics) instrument(route string, next http.Handler) http.Handler {
	observe := m.duration.WithLabelValues(route)
	var counters sync.Map // counterKey → prometheus.Counter: no label hashing per request
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		var code int
		if a, ok := w.(*answer); ok { // door's writer records the status: no wrapper of our own
			next.ServeHTTP(w, r)
			code = a.code
		} else {
			rec := &statusRecorder{ResponseWriter: w, code: http.StatusOK}
			next.ServeHTTP(rec, r)
			code = rec.code
		}
		k := counterKey{r.Method, code}
		c, ok := counters.Load(k)
		if !ok {
			c, _ = counters.LoadOrStore(k, m.requests.WithLabelValues(route, r.Method, strconv.Itoa(code)))
		}
		c.(prometheus.Counter).Inc()
		observe.Observe(time.Since(start).Seconds())
	})
}

type counterKey struct {
	method string
	code   int
}

type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.code = code
	s.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach Flush for streaming responses.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

func orDiscard(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.New(slog.DiscardHandler)
	}
	return l
}
