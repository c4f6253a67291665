package graph

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/mosaichq/mosaic/delivery"
	"github.com/mosaichq/mosaic/delivery/surrogate"
	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/graph/generated"
	"github.com/mosaichq/mosaic/graph/model"
)

// Limits bound what one request may cost.
type Limits struct {
	MaxBodyBytes  int64
	MaxComplexity int
	Introspection bool
	// MaxUploadBytes bounds a file in a multipart upload request (the
	// request may be 1 MiB more); 0 refuses multipart requests.
	MaxUploadBytes int64
	// UploadDir holds a multipart request's files while its operation runs
	// (the process's scratch directory in the data dir, swept after a
	// crash); "" means os.TempDir().
	UploadDir string
	// CacheMaxAge caps Cache-Control max-age of cacheable responses (it is
	// always also bounded by the next campaign transition); 0 means
	// DefaultCacheMaxAge.
	CacheMaxAge time.Duration
	// MaxDepth and MaxAliases bound a query's shape; 0 means
	// DefaultMaxDepth and DefaultMaxAliases (limits.go).
	MaxDepth   int
	MaxAliases int
	// RequireAPIKey refuses anonymous operations other than login
	// (MOSAIC_PUBLIC_DELIVERY=false).
	RequireAPIKey bool
	// Tracing adds the "encode" span (tracing.go); off, nothing is added.
	Tracing bool
	// TrustedDocuments is MOSAIC_TRUSTED_DOCUMENTS ("": allow).
	TrustedDocuments DocumentsMode
	// ResponseCacheBytes bounds the response cache (respcache.go); 0 means
	// DefaultResponseCacheBytes, negative turns it off.
	ResponseCacheBytes int64
	// SurrogateHeaders name the headers carrying a shared answer's
	// surrogate keys (MOSAIC_SURROGATE_HEADERS); nil means
	// DefaultSurrogateHeaders, empty none.
	SurrogateHeaders []string
}

// DefaultSurrogateHeaders: Surrogate-Key alone (Fastly, Varnish xkey).
var DefaultSurrogateHeaders = []string{surrogate.Header}

// DefaultLimits suit a public API.
func DefaultLimits() Limits {
	return Limits{MaxBodyBytes: 1 << 20, MaxComplexity: 2000, Introspection: true, MaxUploadBytes: 50 << 20,
		MaxDepth: DefaultMaxDepth, MaxAliases: DefaultMaxAliases}
}

// NewHandler builds the /graphql handler explicitly, as gqlgen recommends
// for production: POST and GET (persisted queries), a parsed-query cache,
// automatic persisted queries, a complexity limit weighted by page sizes,
// one error presenter and a panic guard.
func NewHandler(r *Resolver, limits Limits) http.Handler {
	r.deliverySvc = r.newDelivery(delivery.Policy{RequireAPIKey: limits.RequireAPIKey})
	cfg := generated.Config{Resolvers: r}
	weighListFields(&cfg.Complexity)
	srv := handler.New(generated.NewExecutableSchema(cfg))
	srv.AddTransport(transport.Options{AllowedMethods: strings.Split(allowed, ", ")})
	if limits.MaxUploadBytes > 0 {
		srv.AddTransport(multipartUpload{MaxUploadSize: limits.MaxUploadBytes + 1<<20, TempDir: limits.UploadDir})
	}
	srv.AddTransport(httpTransport{}) // POST application/json and GET (transport.go)
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	var apq graphql.Cache[string] = lru.New[string](10000)
	if r.Documents != nil {
		apq = r.Documents.APQ() // shared by every replica
	}
	srv.Use(extension.AutomaticPersistedQuery{Cache: apq})
	// After APQ, so that the guard sees the persisted query's text.
	srv.Use(newGuard(limits))
	srv.SetParserTokenLimit(parserTokenLimit)
	srv.AroundFields(r.auditMutation)
	if limits.Introspection {
		srv.Use(extension.Introspection{})
	} else {
		// "Did you mean apiKeys?" would list the schema to whoever asks.
		srv.SetDisableSuggestion(true)
		srv.SetValidationRulesFn(rulesWithoutSuggestions)
	}
	log := r.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	srv.Use(stampExtension{r: r})
	if limits.Tracing {
		srv.Use(encodeSpan{})
	}
	srv.SetErrorPresenter(presentError(log))
	srv.SetRecoverFunc(recoverPanic(log))
	maxAge := limits.CacheMaxAge
	if maxAge <= 0 {
		maxAge = DefaultCacheMaxAge
	}
	cache := newResponseCache(r, limits, maxAge)
	r.respCache = cache
	// Outermost first. The media type is negotiated before anything can
	// answer; methods and content types are checked before the body is
	// read; the body is bounded and checked before anything parses it;
	// documentId becomes the document's text (and enforcement
	// refuses untrusted ones) before the response cache keys on the text,
	// so a cached answer is never served to a request the executor would
	// refuse; the stamp (instant, caching headers, ETag) wraps execution
	// only.
	var h http.Handler = srv
	h = withLoaders(r.Content, h)
	h = withAssetLoader(r.Assets, h)
	keyHeaders := limits.SurrogateHeaders
	if keyHeaders == nil {
		keyHeaders = DefaultSurrogateHeaders
	}
	h = withStamp(r, maxAge, keyHeaders, h)
	h = cache.handler(h)
	h = withDocuments(r.Documents, limits.TrustedDocuments, h)
	h = checkRequest(h)
	h = limitBody(limits.MaxBodyBytes, h)
	h = checkTransport(limits.MaxUploadBytes > 0, h)
	h = withResponseHeaders(h)
	h = withMediaType(h)
	// Before all of it, a read whose answer is kept is answered from
	// memory (fastpath.go): it makes the same checks in one pass.
	return cache.fastPath(limits.MaxBodyBytes, r.Documents, limits.TrustedDocuments, h)
}

// weighListFields makes a list cost its page size times its children, so a
// deep query over big pages is refused before it runs.
func weighListFields(c *generated.ComplexityRoot) {
	c.Query.Entries = func(child int, _ string, first *int, _ *string, _ *string, _ []*modelEntryFilter, _ *modelEntrySort, _ *modelExperienceContext) int {
		return pageWeight(first, 20) * (child + 1)
	}
	c.Query.Assets = func(child int, first *int, _ *string, _ *string) int {
		return pageWeight(first, 20) * (child + 1)
	}
	c.Query.Drafts = func(child int, _ *string, _ *string, first *int, _ *string, _ *string, _ *model.EntryStatus, _ *model.DraftSort) int {
		return pageWeight(first, 20) * (child + 1)
	}
	c.Query.Search = func(child int, _ string, _ *string, _ *string, _ *model.SearchFilter, first *int, _ *string, _ *modelExperienceContext) int {
		return pageWeight(first, 10) * (child + 1)
	}
	// A fleet row has only scalar fields: a page weighs its rows (each may
	// build a bundle), not rows times fields, so the bounded page of 1000
	// stays askable.
	c.Query.ScreenFleet = func(child int, _ *model.ScreenState, _ *string, first *int) int {
		return pageWeight(first, 100) + child
	}
}

// limitBody refuses oversized and malformed JSON bodies with a coded
// GraphQL error before gqlgen sees them (gqlgen's own decode errors carry
// no code).
func limitBody(max int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || (multipartUpload{}).Supports(r) {
			// Multipart uploads have their own, larger limit.
			next.ServeHTTP(w, r)
			return
		}
		if r.ContentLength > max {
			writeError(w, http.StatusRequestEntityTooLarge, errs.BadUserInput, fmt.Sprintf("request body exceeds %d bytes", max))
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
		if err != nil {
			writeError(w, http.StatusRequestEntityTooLarge, errs.BadUserInput, fmt.Sprintf("request body exceeds %d bytes", max))
			return
		}
		if isJSON(r) && !json.Valid(body) {
			writeError(w, http.StatusBadRequest, errs.BadUserInput, "request body is not valid JSON")
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, withBodyMembers(r))
	})
}

// isJSON reports whether a request's body is JSON (checkTransport has
// refused other POST bodies but multipart uploads).
func isJSON(r *http.Request) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mt == mediaJSON
}

// writeError writes a GraphQL-shaped error response for failures outside
// the executor, in the negotiated media type (withMediaType).
func writeError(w http.ResponseWriter, status int, code errs.Code, msg string) {
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", mediaJSON)
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"errors": []any{map[string]any{"message": msg, "extensions": map[string]any{"code": string(code)}}},
	})
}
