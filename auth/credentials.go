package auth

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
)

// Credentials sends each credential to the verifier for its kind, so one
// middleware accepts all of them:
//   - "mk_..." API keys to Keys;
//   - JWTs whose header says RS256 or EdDSA to IdP (an identity provider);
//   - every other JWT to Tokens, which accepts HS256 only (so "alg: none",
//     HS512 and friends are refused there with ErrTokenMethod).
//
// The header is only used to route: each verifier pins its own algorithms
// and checks the signature, so a forged header gains nothing.
type Credentials struct {
	Tokens Verifier
	// IdP verifies identity-provider tokens; nil refuses them.
	IdP ContextVerifier
	// Keys verifies API keys; nil refuses them.
	Keys ContextVerifier
}

var _ ContextVerifier = Credentials{}

// Verify is VerifyContext without a request context.
func (c Credentials) Verify(token string) (Principal, error) {
	return c.VerifyContext(context.Background(), token)
}

// VerifyContext verifies token with the verifier for its kind.
func (c Credentials) VerifyContext(ctx context.Context, token string) (Principal, error) {
	switch {
	case IsAPIKey(token):
		if c.Keys == nil {
			return Principal{}, ErrAPIKeyMalformed
		}
		return c.Keys.VerifyContext(ctx, token)
	case slices.Contains(idpMethods, peekAlg(token)):
		if c.IdP == nil {
			return Principal{}, fail(ErrTokenMethod, nil)
		}
		return c.IdP.VerifyContext(ctx, token)
	case c.Tokens == nil:
		return Principal{}, fail(ErrTokenMethod, nil)
	}
	if cv, ok := c.Tokens.(ContextVerifier); ok {
		return cv.VerifyContext(ctx, token)
	}
	return c.Tokens.Verify(token)
}

// peekAlg returns the alg of a JWT's (unverified) header, or "".
func peekAlg(token string) string {
	head, _, ok := strings.Cut(token, ".")
	if !ok || len(head) > 1024 {
		return ""
	}
	raw, err := base64.RawURLEncoding.DecodeString(head)
	if err != nil {
		return ""
	}
	var h struct {
		Alg string `json:"alg"`
	}
	_ = json.Unmarshal(raw, &h)
	return h.Alg
}
