package auth

import (
	"context"
	"slices"
	"time"

	"github.com/mosaichq/mosaic/errs"
)

// Kind says how a principal proved who it is.
type Kind string

const (
	// KindEditorToken: an editor JWT issued by [Tokens.Issue].
	KindEditorToken Kind = "editor_token"
	// KindIdPToken: an editor JWT from an identity provider, checked with
	// its JWKS ([JWKS]).
	KindIdPToken Kind = "idp_token"
	// KindAPIKey: a delivery or preview API key ([NewAPIKey]). Its
	// permissions come from its [Scope], never from a role.
	KindAPIKey Kind = "api_key"
)

// Principal is who is making a request and what they may do.
type Principal struct {
	// Subject identifies the editor (or key); it is what audit rows record.
	Subject string
	Role    Role
	Kind    Kind
	// TokenID is the token's jti, for audit logs and future revocation.
	TokenID string
	// ExpiresAt is when the credential stops being accepted (zero: never).
	ExpiresAt time.Time
	// Scope is an API key's scope; empty for editors.
	Scope Scope
	// Channels limits an API key to these channels; empty means any.
	Channels []string
}

// Can reports whether p may use perm: an editor by its role, an API key by
// its scope (a key has no role, so a key can never manage anything).
func (p Principal) Can(perm Permission) bool {
	if p.Kind == KindAPIKey {
		return ScopeAllows(p.Scope, perm)
	}
	return Allowed(p.Role, perm)
}

// ChannelAllowed reports whether p may ask for content on channel. Only API
// keys are limited to channels.
func (p Principal) ChannelAllowed(channel string) bool {
	return p.Kind != KindAPIKey || len(p.Channels) == 0 || slices.Contains(p.Channels, channel)
}

// ctxKey is private so only this package can put a principal in a context.
type ctxKey struct{}

// authState is what a request's context says about its credentials: a
// principal, or the reason its token was refused, or neither (anonymous).
type authState struct {
	principal Principal
	ok        bool
	err       error
}

// WithPrincipal returns a context carrying p. It replaces any principal or
// token error already there.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, ctxKey{}, authState{principal: p, ok: true})
}

// withError records that the request's credentials were refused.
func withError(ctx context.Context, err error) context.Context {
	return context.WithValue(ctx, ctxKey{}, authState{err: err})
}

// FromContext returns the request's principal, if it authenticated.
func FromContext(ctx context.Context) (Principal, bool) {
	st, _ := ctx.Value(ctxKey{}).(authState)
	return st.principal, st.ok
}

// ErrorFromContext returns why the request's token was refused, or nil when
// it carried none or a valid one.
func ErrorFromContext(ctx context.Context) error {
	st, _ := ctx.Value(ctxKey{}).(authState)
	return st.err
}

// ContextVerifier is a [Verifier] that needs the request's context: one that
// looks a key up in a database or fetches an identity provider's keys.
// [Authenticate] prefers VerifyContext when a verifier has it.
type ContextVerifier interface {
	VerifyContext(ctx context.Context, token string) (Principal, error)
}

// Authenticate verifies token with v and returns a context carrying either the
// principal or the refusal (see [ErrorFromContext]); it never fails the
// request itself. [Middleware] uses it for the Authorization header; a
// WebSocket transport can use it for the token in its init payload.
func Authenticate(ctx context.Context, v Verifier, token string) context.Context {
	var p Principal
	var err error
	if cv, ok := v.(ContextVerifier); ok {
		p, err = cv.VerifyContext(ctx, token)
	} else {
		p, err = v.Verify(token)
	}
	if err != nil {
		switch errs.CodeOf(err) {
		case errs.Unauthenticated:
		case errs.ServiceUnavailable:
			// Not the credential's fault: the client should retry with it,
			// not drop it. The request still goes through as no one.
		default:
			// A verifier that fails for its own reasons must still not let
			// the request through as anyone.
			err = errs.Wrap(errs.Unauthenticated, err, "token could not be verified")
		}
		return withError(ctx, err)
	}
	return WithPrincipal(ctx, p)
}

// Require returns nil when ctx's principal may use perm. Otherwise:
//   - UNAUTHENTICATED with the token's refusal ("token expired", ...) when
//     the request carried a bad token;
//   - UNAUTHENTICATED naming perm when it carried none;
//   - FORBIDDEN naming perm and the role when the role lacks perm.
func Require(ctx context.Context, perm Permission) error {
	st, _ := ctx.Value(ctxKey{}).(authState)
	switch {
	case st.err != nil:
		return st.err
	case !st.ok:
		return errs.E(errs.Unauthenticated, "authentication required for %s: send Authorization: Bearer <token>", perm)
	case st.principal.Kind == KindAPIKey && !st.principal.Can(perm):
		return errs.E(errs.Forbidden, "a %s API key lacks permission %s: API keys only read delivery content; management needs an editor token", st.principal.Scope, perm)
	case !st.principal.Can(perm):
		return errs.E(errs.Forbidden, "role %s lacks permission %s", st.principal.Role, perm)
	}
	return nil
}
