// Package testapp runs a whole Mosaic — real PostgreSQL schema, services,
// HTTP surface, demo content — inside a test, and speaks GraphQL to it the
// way a client does: over HTTP.
package testapp

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/mosaichq/mosaic/access"
	"github.com/mosaichq/mosaic/assets"
	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/bundle"
	"github.com/mosaichq/mosaic/campaign"
	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/delivery"
	"github.com/mosaichq/mosaic/documents"
	"github.com/mosaichq/mosaic/experience"
	"github.com/mosaichq/mosaic/fleet"
	"github.com/mosaichq/mosaic/graph"
	"github.com/mosaichq/mosaic/internal/seed"
	"github.com/mosaichq/mosaic/internal/testblob"
	"github.com/mosaichq/mosaic/internal/testdb"
	"github.com/mosaichq/mosaic/measurement/capcount"
	"github.com/mosaichq/mosaic/measurement/eventlog"
	"github.com/mosaichq/mosaic/search"
	"github.com/mosaichq/mosaic/server"
	"github.com/mosaichq/mosaic/storage/blob"
	"github.com/mosaichq/mosaic/storage/postgres"
	"github.com/mosaichq/mosaic/webhook"
)

// Secret signs test tokens.
var Secret = []byte("test-secret-test-secret-test-secret!")

// App is a running test instance.
type App struct {
	t    testing.TB
	URL  string
	Pool *pgxpool.Pool
	// DatabaseURL is the instance's schema (Options.Database joins it).
	DatabaseURL string
	Content     *content.Service
	Experience  *experience.Service
	Tokens      *auth.Tokens
	Handler     http.Handler
	// Search is the instance's search index (Options.Search), else nil.
	Search *search.Index
	// Assets is the asset service; Blobs its storage.
	Assets *assets.Service
	Blobs  blob.Store
	// Campaigns is the campaign service (campaigns.go).
	Campaigns *campaign.Service
	// Access is users, API keys and the audit log (security.go).
	Access *access.Service
	// Bundles builds signed screen bundles.
	Bundles *bundle.Builder
	// Fleet records screens' heartbeats (fleet.go).
	Fleet *fleet.Service
	// DB is the proxy to the database (Options.DatabaseProxy), else nil.
	DB *testblob.Proxy
	// Measure is the client-event pipeline (Options.Measurement), else nil.
	Measure *Measure
}

// Options tune New.
type Options struct {
	// NoSeed skips the demo content.
	NoSeed bool
	Limits *graph.Limits
	Now    func() time.Time
	// Search gives the instance a search index kept current by a change
	// feed; New returns once the index has caught up.
	Search bool
	// Blobs is where asset files go; nil: a local store in a temporary
	// directory. Assets tunes the asset service's configuration.
	Blobs  blob.Store
	Assets func(*assets.Config)
	// Security sets CORS, rate limits and trusted proxies (zero: none);
	// Access tunes the users/API keys service.
	Security server.Security
	Access   func(*access.Config)
	// BundleSigner signs screen bundles (nil: one with BundleSeed).
	BundleSigner *bundle.Signer
	// Fleet tunes the fleet view's configuration (interval, bound).
	Fleet func(*fleet.Config)
	// DatabaseProxy puts a TCP proxy between the instance and its
	// database (App.DB), so a test can cut the database off.
	DatabaseProxy bool
	// ContentCacheBytes bounds the published-content cache (0: the
	// default; negative: off, every read goes to PostgreSQL).
	ContentCacheBytes int64
	// Arms, when set, is where delivery reads people's pinned arms
	// (instead of Measurement's arm cache): a test that needs pins to
	// land at a given moment.
	Arms delivery.ArmSource
	// Measurement serves POST /collect through an embedded event log;
	// EventLog tunes the log's configuration.
	Measurement bool
	// RecordEveryServe: an answer showing decisionId is each visitor's
	// own, a record per serve (MOSAIC_DECISION_RECORDS=delivery).
	RecordEveryServe bool
	// ArmTTL is how long the pinned-arm cache trusts an answer (0: the
	// default); tests of sign-ins shorten it.
	ArmTTL time.Duration
	// ProfileTTL is how long the behaviour profile cache trusts a
	// profile (0: profile.DefaultTTL).
	ProfileTTL time.Duration
	EventLog   func(*eventlog.Config)
	// Caps tunes the frequency-cap counter (TTL, Flush).
	Caps func(*capcount.Config)
	// Database joins the schema of another App (its DatabaseURL) instead
	// of making a fresh one: a second replica on one database. Combine
	// with NoSeed.
	Database string
	// RecommendRefresh is how often recommendations' rankings are
	// recomputed (0: recommend.DefaultRefresh).
	RecommendRefresh time.Duration
}

// BundleSeed is the Ed25519 seed test bundles are signed with by default.
var BundleSeed = []byte("mosaic-test-bundle-seed-32-bytes")

// New starts an instance on a fresh schema, seeded with the demo content.
func New(t testing.TB, opts Options) *App {
	t.Helper()
	var pool *pgxpool.Pool
	var dbURL string
	if opts.Database != "" {
		dbURL = opts.Database
		var err error
		if pool, err = pgxpool.New(context.Background(), dbURL); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(pool.Close)
	} else {
		pool, dbURL = testdb.Schema(t)
	}
	var dbProxy *testblob.Proxy
	if opts.DatabaseProxy {
		pool, dbProxy = proxiedPool(t, dbURL)
	}
	log := slog.New(slog.DiscardHandler)
	store := postgres.New(pool)
	exp, err := experience.New(context.Background(), store.Experience(), experience.Config{Now: opts.Now, Logger: log,
		Campaigns: campaign.EngineSource{Store: store.Campaigns()}})
	if err != nil {
		t.Fatal(err)
	}
	// The server starts first: a local blob store presigns URLs of it.
	var h http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	assetSvc, blobs, blobHandler := newAssets(t, opts, store, srv.URL, log)
	svc, err := content.NewService(store, content.Config{Locales: content.DefaultLocales(), Now: opts.Now, Logger: log, CacheBytes: opts.ContentCacheBytes,
		CheckVariants: exp.CheckVariants, MissingAssets: assetSvc.Missing})
	if err != nil {
		t.Fatal(err)
	}
	camps := newCampaigns(t, store, svc, exp, opts, log)
	if !opts.NoSeed {
		if _, err := seed.Run(context.Background(), svc, exp, log, seed.WithCampaigns(camps)); err != nil {
			t.Fatal(err)
		}
	}
	tokens, err := auth.NewTokens(auth.Config{Secret: Secret, Now: opts.Now})
	if err != nil {
		t.Fatal(err)
	}
	acc := newAccess(t, store, tokens, opts, log)
	limits := graph.DefaultLimits()
	if opts.Limits != nil {
		limits = *opts.Limits
	}
	resolver := &graph.Resolver{Content: svc, Experience: exp, Variants: experience.NewEditor(svc), Assets: assetSvc, Campaigns: camps, Access: acc, Log: log,
		Webhooks: webhook.NewService(postgres.NewWebhookStore(pool), log)}
	signer := opts.BundleSigner
	if signer == nil {
		if signer, err = bundle.NewSigner(BundleSeed); err != nil {
			t.Fatal(err)
		}
	}
	resolver.Bundles = &bundle.Builder{Content: svc, Experience: exp, Campaigns: camps, Assets: assetSvc, Signer: signer, Now: opts.Now}
	resolver.Fleet = newFleet(t, store, resolver.Bundles, opts)
	if resolver.Documents, err = documents.New(documents.Config{Store: store.Documents(), Logger: log, Now: opts.Now}); err != nil {
		t.Fatal(err)
	}
	if opts.Search {
		resolver.Search = startSearch(t, pool, svc, log)
	}
	deps := server.Deps{Resolver: resolver, Limits: limits, Verifier: auth.Credentials{Tokens: tokens, Keys: acc}, Log: log,
		Assets: assetSvc, Blobs: blobHandler, Security: opts.Security, Fleet: resolver.Fleet}
	var measure *Measure
	if opts.Measurement {
		measure = newMeasurement(t, pool, opts)
		deps.Collect, deps.Collectors = measure.Collector, append(measure.Metrics.Collectors(), measure.Log.Collector())
		resolver.Decisions = measure.Recorder
		resolver.RecordEveryServe = opts.RecordEveryServe
		resolver.People = measure.People
		resolver.Reports = measure.Reports
		resolver.Arms = measure.Arms
		resolver.Profiles = measure.Profiles
		resolver.Caps = measure.Caps
		resolver.CapReports = &capcount.Reports{Store: postgres.NewMeasurementStore(pool)}
		deps.Collectors = append(deps.Collectors, measure.CapMetrics.Collectors()...)
		resolver.Recommender = measure.Recommend
		resolver.Bundles.Decisions = measure.Recorder
	}
	if opts.Arms != nil {
		resolver.Arms = opts.Arms
	}
	h = server.Handler(deps)
	return &App{t: t, URL: srv.URL, Pool: pool, DatabaseURL: dbURL, Content: svc, Experience: exp, Tokens: tokens, Handler: h, Search: resolver.Search,
		Assets: assetSvc, Blobs: blobs, Campaigns: camps, Access: acc, Bundles: resolver.Bundles, Fleet: resolver.Fleet, DB: dbProxy,
		Measure: measure}
}

// Token issues a token for role.
func (a *App) Token(role auth.Role) string {
	a.t.Helper()
	tok, err := a.Tokens.Issue("test-"+string(role), role, time.Hour)
	if err != nil {
		a.t.Fatal(err)
	}
	return tok
}

// Response is a decoded GraphQL response.
type Response struct {
	Status int
	Header http.Header
	Data   map[string]any
	Errors []Error
	Raw    string
	Exts   map[string]any
}

// Error is one GraphQL error.
type Error struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// Code is the first error's extensions.code, or "".
func (r Response) Code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

// Query POSTs a GraphQL request.
func (a *App) Query(token, query string, vars map[string]any) Response {
	a.t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		a.t.Fatal(err)
	}
	return a.Post(token, "application/json", body)
}

// Post sends a raw body to /graphql.
func (a *App) Post(token, contentType string, body []byte) Response {
	a.t.Helper()
	req, err := http.NewRequest(http.MethodPost, a.URL+"/graphql", bytes.NewReader(body))
	if err != nil {
		a.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	return a.Do(req, token)
}

// Get sends a GET request to path (with its query string).
func (a *App) Get(token, path string) Response {
	a.t.Helper()
	req, err := http.NewRequest(http.MethodGet, a.URL+path, nil)
	if err != nil {
		a.t.Fatal(err)
	}
	return a.Do(req, token)
}

// Do sends req with token and decodes the GraphQL response.
func (a *App) Do(req *http.Request, token string) Response {
	a.t.Helper()
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		a.t.Fatal(err)
	}
	out := Response{Status: resp.StatusCode, Header: resp.Header, Raw: string(raw)}
	var dec struct {
		Data       map[string]any `json:"data"`
		Errors     []Error        `json:"errors"`
		Extensions map[string]any `json:"extensions"`
	}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/") && len(raw) > 0 {
		if err := json.Unmarshal(raw, &dec); err != nil {
			a.t.Fatalf("response is not JSON: %v\n%s", err, raw)
		}
	}
	out.Data, out.Errors, out.Exts = dec.Data, dec.Errors, dec.Extensions
	return out
}

// Path walks a decoded JSON value by keys and indexes: Path(d, "entry", "blocks", 0, "type").
func Path(v any, steps ...any) any {
	for _, s := range steps {
		switch k := s.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k < 0 || k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}
