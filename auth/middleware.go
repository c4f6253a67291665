package auth

import (
	"net/http"
	"strings"
)

// Middleware authenticates requests that carry "Authorization: Bearer <jwt>"
// and passes every request on: delivery queries are public, so a bad token is
// not rejected here. Instead the refusal is stored in the context, and
// [Require] returns it, so a client asking for drafts learns "token expired"
// rather than a bare "authentication required". No header means anonymous.
//
// Responses get "Vary: Authorization": the same query may answer differently
// with a preview token, and shared caches must not mix the two.
func Middleware(v Verifier, next http.Handler) http.Handler {
	if v == nil {
		panic("auth.Middleware: nil Verifier")
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Authorization")
		values := r.Header.Values("Authorization")
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
