package auth

import (
	"context"
	"net/http"
	"strings"

	"github.com/mosaichq/mosaic/errs"
)

// Middleware authenticates requests that carry "Authorization: Bearer
// <jwt or API key>" or "X-API-Key: <API key>" and passes every request on: delivery queries are public, so a bad token is
// not rejected here. Instead the refusal is stored in the context, and
// [Require] returns it, so a client asking for drafts learns "token expired"
// rather than a bare "authentication required". No header means anonymous.
//
// Responses get "Vary: Authorization, X-API-Key": the same query may answer
// differently with a preview credential, and shared caches must not mix them.
// A request may carry one credential: both headers at once is refused.
func Middleware(v Verifier, next http.Handler) http.Handler {
	if v == nil {
		panic("auth.Middleware: nil Verifier")
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		if vary := h["Vary"]; vary == nil {
			h["Vary"] = varyCredentials
		} else {
			h["Vary"] = append(vary[:len(vary):len(vary)], varyCredentials[0])
		}
		values := r.Header["Authorization"]
		if keys := r.Header[apiKeyCanonical]; len(keys) > 0 {
			next.ServeHTTP(w, r.WithContext(apiKeyHeader(r.Context(), v, keys, len(values) > 0)))
			return
		}
		switch {
		case len(values) == 0 || len(values) == 1 && strings.TrimSpace(values[0]) == "":
			next.ServeHTTP(w, r)
			return
		case len(values) > 1:
			next.ServeHTTP(w, r.WithContext(withError(r.Context(), ErrAuthorizationHeaders)))
			return
		}
		token, ok := bearerToken(values[0])
		if !ok {
			next.ServeHTTP(w, r.WithContext(withError(r.Context(), ErrAuthorizationHeader)))
			return
		}
		next.ServeHTTP(w, r.WithContext(Authenticate(r.Context(), v, token)))
	})
}

// bearerToken extracts the token from an Authorization value. The scheme is
// case-insensitive (RFC 9110 §11.1).
func bearerToken(header string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// APIKeyHeader carries an API key, for clients that keep Authorization for
// something else (a CDN's own auth, a proxy).
const APIKeyHeader = "X-API-Key"

// Read and written straight from the header maps, every request: the
// canonical key (what the maps hold) and the Vary value shared by every
// answer, so neither costs an allocation (header values are never
// modified in place; an append to a full slice copies).
var (
	apiKeyCanonical = http.CanonicalHeaderKey(APIKeyHeader)
	varyCredentials = []string{"Authorization, X-API-Key"}
)

// ErrCredentials: a request carried both an API key and an Authorization header.
var ErrCredentials = errs.E(errs.Unauthenticated, "send one credential: X-API-Key or Authorization, not both")

func apiKeyHeader(ctx context.Context, v Verifier, keys []string, alsoAuthorization bool) context.Context {
	switch key := strings.TrimSpace(keys[0]); {
	case alsoAuthorization || len(keys) > 1:
		return withError(ctx, ErrCredentials)
	case !IsAPIKey(key):
		// Never let a JWT in through the key header: the header promises a key.
		return withError(ctx, ErrAPIKeyMalformed)
	default:
		return Authenticate(ctx, v, key)
	}
}
