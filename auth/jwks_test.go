package auth

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/errs"
)

// idpBundle is an identity provider on loopback: an RSA and an Ed25519 key
// published as a JWKS, and a JWKS verifier pointed at it.
type idpBundle struct {
	rsa  *rsa.PrivateKey
	ed   ed25519.PrivateKey
	jwks *JWKS
	now  time.Time
}

func setupIdP(t *testing.T, roleClaim string) *idpBundle {
	t.Helper()
	b := &idpBundle{now: fixedNow}
	var err error
	b.rsa, err = rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	_, b.ed, err = ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	enc := base64.RawURLEncoding.EncodeToString
	set := map[string]any{"keys": []map[string]any{
		{"kty": "RSA", "kid": "rsa-1", "alg": "RS256", "use": "sig", "n": enc(b.rsa.N.Bytes()),
			"e": enc(big.NewInt(int64(b.rsa.E)).Bytes())},
		{"kty": "OKP", "kid": "ed-1", "alg": "EdDSA", "use": "sig", "crv": "Ed25519", "x": enc(b.ed.Public().(ed25519.PublicKey))},
	}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(set)
	}))
	t.Cleanup(srv.Close)
	b.jwks, err = NewJWKS(JWKSConfig{URL: srv.URL, Issuer: "https://idp.example.com/", Audience: "mosaic-api",
		RoleClaim: roleClaim, Now: func() time.Time { return b.now }, HTTPClient: srv.Client()})
	require.NoError(t, err)
	t.Cleanup(b.jwks.Close)
	return b
}

func (b *idpBundle) claims() jwt.MapClaims {
	return jwt.MapClaims{"iss": "https://idp.example.com/", "aud": "mosaic-api", "sub": "auth0|ana",
		"role": "publisher", "iat": b.now.Unix(), "nbf": b.now.Unix(), "exp": b.now.Add(time.Hour).Unix()}
}

func signKID(t *testing.T, method jwt.SigningMethod, kid string, key any, c jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, c)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	require.NoError(t, err)
	return s
}

func TestJWKSAccepts(t *testing.T) {
	t.Parallel()
	b := setupIdP(t, "")

	for name, token := range map[string]string{
		"RS256":       signKID(t, jwt.SigningMethodRS256, "rsa-1", b.rsa, b.claims()),
		"EdDSA":       signKID(t, jwt.SigningMethodEdDSA, "ed-1", b.ed, b.claims()),
		"no kid":      signKID(t, jwt.SigningMethodRS256, "", b.rsa, b.claims()),
		"skew inside": signKID(t, jwt.SigningMethodRS256, "rsa-1", b.rsa, with(b.claims(), "nbf", b.now.Add(20*time.Second).Unix())),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p, err := b.jwks.Verify(token)
			require.NoError(t, err)
			require.Equal(t, Principal{Subject: "auth0|ana", Role: RolePublisher, Kind: KindIdPToken,
				ExpiresAt: b.now.Add(time.Hour)}, p)
		})
	}
}

func TestJWKSRefuses(t *testing.T) {
	t.Parallel()
	b := setupIdP(t, "")
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	pubDER, err := x509.MarshalPKIXPublicKey(&b.rsa.PublicKey)
	require.NoError(t, err)
	c := b.claims

	cases := []struct {
		name, token string
		want        error
	}{
		{"alg none", signKID(t, jwt.SigningMethodNone, "rsa-1", jwt.UnsafeAllowNoneSignatureType, c()), ErrTokenMethod},
		// The classic confusion: HMAC keyed with the provider's public key.
		{"HS256 keyed with the public key", signKID(t, jwt.SigningMethodHS256, "rsa-1", pubDER, c()), ErrTokenMethod},
		{"RS512", signKID(t, jwt.SigningMethodRS512, "rsa-1", b.rsa, c()), ErrTokenMethod},
		{"wrong key", signKID(t, jwt.SigningMethodRS256, "rsa-1", other, c()), ErrTokenSignature},
		{"unknown kid", signKID(t, jwt.SigningMethodRS256, "rsa-9", other, c()), ErrTokenSignature},
		{"expired", signKID(t, jwt.SigningMethodRS256, "rsa-1", b.rsa, with(c(), "exp", b.now.Add(-time.Minute).Unix())), ErrTokenExpired},
		{"not yet valid", signKID(t, jwt.SigningMethodEdDSA, "ed-1", b.ed, with(c(), "nbf", b.now.Add(time.Minute).Unix())), ErrTokenNotValidYet},
		{"wrong audience", signKID(t, jwt.SigningMethodRS256, "rsa-1", b.rsa, with(c(), "aud", "other-app")), ErrTokenAudience},
		{"no audience", signKID(t, jwt.SigningMethodRS256, "rsa-1", b.rsa, with(c(), "aud", nil)), ErrTokenAudience},
		{"wrong issuer", signKID(t, jwt.SigningMethodRS256, "rsa-1", b.rsa, with(c(), "iss", "https://evil.example.com/")), ErrTokenIssuer},
		{"no expiry", signKID(t, jwt.SigningMethodRS256, "rsa-1", b.rsa, with(c(), "exp", nil)), ErrTokenNoExpiry},
		{"no subject", signKID(t, jwt.SigningMethodRS256, "rsa-1", b.rsa, with(c(), "sub", nil)), ErrTokenNoSubject},
		{"unknown role", signKID(t, jwt.SigningMethodRS256, "rsa-1", b.rsa, with(c(), "role", "root")), ErrTokenUnknownRole},
		{"malformed", "eyJhbGciOiJSUzI1NiJ9.e30", ErrTokenMalformed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := b.jwks.Verify(tc.token)
			require.ErrorIs(t, err, tc.want)
			require.Equal(t, errs.Unauthenticated, errs.CodeOf(err))
		})
	}
}

func TestJWKSRoleClaimPath(t *testing.T) {
	t.Parallel()
	b := setupIdP(t, "realm_access.roles")
	c := with(b.claims(), "role", nil)
	c["realm_access"] = map[string]any{"roles": []any{"offline_access", "viewer", "editor"}}
	p, err := b.jwks.Verify(signKID(t, jwt.SigningMethodRS256, "rsa-1", b.rsa, c))
	require.NoError(t, err)
	require.Equal(t, RoleEditor, p.Role, "the most powerful listed role wins")

	c["realm_access"] = map[string]any{"roles": []any{"offline_access"}}
	_, err = b.jwks.Verify(signKID(t, jwt.SigningMethodRS256, "rsa-1", b.rsa, c))
	require.ErrorIs(t, err, ErrTokenUnknownRole)
}

func TestJWKSConfig(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		cfg JWKSConfig
		msg string
	}{
		{JWKSConfig{URL: "http://idp.example.com/jwks", Issuer: "i", Audience: "a"}, "must use https"},
		{JWKSConfig{URL: "jwks.json", Issuer: "i", Audience: "a"}, "not an absolute URL"},
		{JWKSConfig{URL: "https://idp.example.com/jwks", Audience: "a"}, "Issuer is required"},
		{JWKSConfig{URL: "https://idp.example.com/jwks", Issuer: "i"}, "Audience is required"},
	} {
		_, err := NewJWKS(tc.cfg)
		require.ErrorContains(t, err, tc.msg)
	}
}

// TestCredentialsRouting: one verifier for every credential, each kind
// checked by its own verifier with its own pinned algorithms.
func TestCredentialsRouting(t *testing.T) {
	t.Parallel()
	b := setupIdP(t, "")
	local := setup(t)
	keys := VerifierFunc(func(string) (Principal, error) { return Principal{Subject: "key", Kind: KindAPIKey}, nil })
	creds := Credentials{Tokens: local.tokens, IdP: b.jwks, Keys: contextOnly{keys}}

	hs, err := local.tokens.Issue("ana", RoleEditor, time.Hour)
	require.NoError(t, err)
	p, err := creds.Verify(hs)
	require.NoError(t, err)
	require.Equal(t, KindEditorToken, p.Kind)

	p, err = creds.Verify(signKID(t, jwt.SigningMethodEdDSA, "ed-1", b.ed, b.claims()))
	require.NoError(t, err)
	require.Equal(t, KindIdPToken, p.Kind)

	key, _, _ := NewAPIKey()
	p, err = creds.Verify(key)
	require.NoError(t, err)
	require.Equal(t, KindAPIKey, p.Kind)

	// Without an IdP, RS256 tokens are refused, not tried as HS256.
	_, err = Credentials{Tokens: local.tokens}.Verify(signKID(t, jwt.SigningMethodRS256, "rsa-1", b.rsa, b.claims()))
	require.ErrorIs(t, err, ErrTokenMethod)
	_, err = Credentials{Tokens: local.tokens}.Verify(key)
	require.ErrorIs(t, err, ErrAPIKeyMalformed)
}

type contextOnly struct{ v Verifier }

func (c contextOnly) VerifyContext(_ context.Context, token string) (Principal, error) {
	return c.v.Verify(token)
}
