package auth

import (
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/errs"
)

// fixedNow is a whole second: JWT times are whole seconds, so edges are exact.
var fixedNow = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

type testBundle struct {
	secret []byte
	now    time.Time
	tokens *Tokens
}

func setup(t testing.TB) *testBundle {
	t.Helper()
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	tokens, err := NewTokens(Config{Secret: secret, Now: func() time.Time { return fixedNow }})
	require.NoError(t, err)
	return &testBundle{secret: secret, now: fixedNow, tokens: tokens}
}

// validClaims are what Issue would write for an editor at b.now.
func (b *testBundle) validClaims() jwt.MapClaims {
	return jwt.MapClaims{
		"iss":  "mosaic",
		"aud":  "mosaic",
		"sub":  "ana@example.com",
		"role": "editor",
		"iat":  b.now.Unix(),
		"nbf":  b.now.Unix(),
		"exp":  b.now.Add(time.Hour).Unix(),
	}
}

func sign(t testing.TB, method jwt.SigningMethod, key any, c jwt.Claims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(method, c).SignedString(key)
	require.NoError(t, err)
	return s
}

// hs256WithHeader signs header and claims with HMAC-SHA256 whatever header
// claims, as an attacker who knows the algorithm-confusion trick would.
func hs256WithHeader(t testing.TB, secret []byte, header map[string]any, c jwt.MapClaims) string {
	t.Helper()
	h, err := json.Marshal(header)
	require.NoError(t, err)
	p, err := json.Marshal(c)
	require.NoError(t, err)
	enc := base64.RawURLEncoding
	text := enc.EncodeToString(h) + "." + enc.EncodeToString(p)
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(text))
	return text + "." + enc.EncodeToString(mac.Sum(nil))
}

func with(c jwt.MapClaims, key string, value any) jwt.MapClaims {
	out := jwt.MapClaims{}
	for k, v := range c {
		out[k] = v
	}
	if value == nil {
		delete(out, key)
	} else {
		out[key] = value
	}
	return out
}

func TestIssueVerifyRoundTrip(t *testing.T) {
	t.Parallel()
	b := setup(t)

	for _, role := range Roles() {
		token, err := b.tokens.Issue("ana@example.com", role, 0)
		require.NoError(t, err)

		p, err := b.tokens.Verify(token)
		require.NoError(t, err)
		require.Equal(t, "ana@example.com", p.Subject)
		require.Equal(t, role, p.Role)
		require.Equal(t, KindEditorToken, p.Kind)
		require.Len(t, p.TokenID, 32)
		require.True(t, p.ExpiresAt.Equal(fixedNow.Add(12*time.Hour)), "default TTL is 12h, got %s", p.ExpiresAt)
	}

	// Defaults land in the claims.
	token, err := b.tokens.Issue("ana", RoleViewer, 90*time.Minute)
	require.NoError(t, err)
	var c claims
	_, _, err = jwt.NewParser().ParseUnverified(token, &c)
	require.NoError(t, err)
	require.Equal(t, "mosaic", c.Issuer)
	require.Equal(t, jwt.ClaimStrings{"mosaic"}, c.Audience)
	require.Equal(t, fixedNow.Add(90*time.Minute).Unix(), c.ExpiresAt.Unix())
	require.Equal(t, fixedNow.Unix(), c.NotBefore.Unix())
	require.Equal(t, fixedNow.Unix(), c.IssuedAt.Unix())

	// Every token gets its own jti.
	other, err := b.tokens.Issue("ana", RoleViewer, 90*time.Minute)
	require.NoError(t, err)
	require.NotEqual(t, token, other)
}

func TestVerifyRejects(t *testing.T) {
	t.Parallel()
	b := setup(t)
	valid := b.validClaims()

	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	_, edKey, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	otherSecret := []byte(strings.Repeat("k", 32))
	good := sign(t, jwt.SigningMethodHS256, b.secret, valid)

	tests := []struct {
		name  string
		token string
		want  *errs.Error
	}{
		{"AlgNone", sign(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, valid), ErrTokenMethod},
		{"AlgNoneUpperCase", hs256WithHeader(t, b.secret, map[string]any{"alg": "NONE", "typ": "JWT"}, valid), ErrTokenMethod},
		{"HS512SameSecret", sign(t, jwt.SigningMethodHS512, b.secret, valid), ErrTokenMethod},
		{"HS384SameSecret", sign(t, jwt.SigningMethodHS384, b.secret, valid), ErrTokenMethod},
		{"RS256", sign(t, jwt.SigningMethodRS256, rsaKey, valid), ErrTokenMethod},
		{"EdDSA", sign(t, jwt.SigningMethodEdDSA, edKey, valid), ErrTokenMethod},
		{"RS256HeaderHMACSignature", hs256WithHeader(t, b.secret, map[string]any{"alg": "RS256", "typ": "JWT"}, valid), ErrTokenMethod},
		{"NoAlg", hs256WithHeader(t, b.secret, map[string]any{"typ": "JWT"}, valid), ErrTokenMethod},
		{"WrongSecret", sign(t, jwt.SigningMethodHS256, otherSecret, valid), ErrTokenSignature},
		{"TamperedRole", tamper(t, good, "role", "admin"), ErrTokenSignature},
		{"TamperedSignature", good[:len(good)-4] + "AAAA", ErrTokenSignature},
		{"SignatureStripped", good[:strings.LastIndex(good, ".")+1], ErrTokenSignature},
		{"Expired", sign(t, jwt.SigningMethodHS256, b.secret, with(valid, "exp", b.now.Add(-time.Hour).Unix())), ErrTokenExpired},
		{"NotBeforeInFuture", sign(t, jwt.SigningMethodHS256, b.secret, with(valid, "nbf", b.now.Add(time.Hour).Unix())), ErrTokenNotValidYet},
		{"IssuedInFuture", sign(t, jwt.SigningMethodHS256, b.secret, with(valid, "iat", b.now.Add(time.Hour).Unix())), ErrTokenNotValidYet},
		{"WrongAudience", sign(t, jwt.SigningMethodHS256, b.secret, with(valid, "aud", "storefront")), ErrTokenAudience},
		{"MissingAudience", sign(t, jwt.SigningMethodHS256, b.secret, with(valid, "aud", nil)), ErrTokenAudience},
		{"WrongIssuer", sign(t, jwt.SigningMethodHS256, b.secret, with(valid, "iss", "evil")), ErrTokenIssuer},
		{"MissingIssuer", sign(t, jwt.SigningMethodHS256, b.secret, with(valid, "iss", nil)), ErrTokenIssuer},
		{"MissingExpiry", sign(t, jwt.SigningMethodHS256, b.secret, with(valid, "exp", nil)), ErrTokenNoExpiry},
		{"ExpiryNotANumber", sign(t, jwt.SigningMethodHS256, b.secret, with(valid, "exp", "tomorrow")), ErrTokenMalformed},
		{"MissingSubject", sign(t, jwt.SigningMethodHS256, b.secret, with(valid, "sub", nil)), ErrTokenNoSubject},
		{"UnknownRole", sign(t, jwt.SigningMethodHS256, b.secret, with(valid, "role", "superuser")), ErrTokenUnknownRole},
		{"RoleWrongCase", sign(t, jwt.SigningMethodHS256, b.secret, with(valid, "role", "Admin")), ErrTokenUnknownRole},
		{"MissingRole", sign(t, jwt.SigningMethodHS256, b.secret, with(valid, "role", nil)), ErrTokenUnknownRole},
		{"ExpiredAndWrongAudience", sign(t, jwt.SigningMethodHS256, b.secret, with(with(valid, "exp", b.now.Add(-time.Hour).Unix()), "aud", "x")), ErrTokenExpired},
		{"Empty", "", ErrTokenMalformed},
		{"Garbage", "not a token", ErrTokenMalformed},
		{"TwoSegments", "abc.def", ErrTokenMalformed},
		{"FourSegments", good + ".x", ErrTokenMalformed},
		{"DotsOnly", "..", ErrTokenMalformed},
		{"HeaderNotJSON", "bm90IGpzb24." + good[strings.Index(good, ".")+1:], ErrTokenMalformed},
		{"BearerPrefix", "Bearer " + good, ErrTokenMalformed},
		{"NewlineInSignature", good[:len(good)-3] + "\n" + good[len(good)-3:], ErrTokenMalformed},
		{"Padded", good + "=", ErrTokenMalformed},
		{"Huge", strings.Repeat("a", maxTokenBytes+1), ErrTokenMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := b.tokens.Verify(tt.token)
			require.Error(t, err)
			require.Zero(t, p)
			require.ErrorIs(t, err, tt.want, "got %v", err)
			require.Equal(t, errs.Unauthenticated, errs.CodeOf(err))
			requireNoSecret(t, err, b.secret)
		})
	}
}

// tamper rewrites one claim of token and keeps its signature.
func tamper(t testing.TB, token, key string, value any) string {
	t.Helper()
	parts := strings.Split(token, ".")
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	require.NoError(t, err)
	c := map[string]any{}
	require.NoError(t, json.Unmarshal(raw, &c))
	c[key] = value
	raw, err = json.Marshal(c)
	require.NoError(t, err)
	parts[1] = base64.RawURLEncoding.EncodeToString(raw)
	return strings.Join(parts, ".")
}

func requireNoSecret(t testing.TB, err error, secret []byte) {
	t.Helper()
	msg := err.Error()
	require.NotContains(t, msg, string(secret))
	require.NotContains(t, msg, hex.EncodeToString(secret))
	require.NotContains(t, msg, base64.StdEncoding.EncodeToString(secret))
	require.NotContains(t, msg, base64.RawURLEncoding.EncodeToString(secret))
}

// TestVerifySignatureTrailingBits: a 32-byte HMAC is 43 base64url characters
// whose last one carries 2 unused bits. A lenient decoder would accept four
// spellings of one signature; strict decoding accepts only the canonical one.
func TestVerifySignatureTrailingBits(t *testing.T) {
	t.Parallel()
	b := setup(t)

	good, err := b.tokens.Issue("ana", RoleEditor, time.Hour)
	require.NoError(t, err)
	_, err = b.tokens.Verify(good)
	require.NoError(t, err)

	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	last := strings.IndexByte(alphabet, good[len(good)-1])
	for bits := 1; bits < 4; bits++ {
		variant := good[:len(good)-1] + string(alphabet[last^bits])
		_, err := b.tokens.Verify(variant)
		require.ErrorIs(t, err, ErrTokenMalformed, "variant with trailing bits %d accepted", bits)
	}
}

// TestVerifyLeewayEdges pins the exact boundaries with the default 30s leeway.
func TestVerifyLeewayEdges(t *testing.T) {
	t.Parallel()
	b := setup(t)
	const leeway = 30 * time.Second

	tests := []struct {
		name  string
		claim string
		at    time.Time
		want  *errs.Error // nil: accepted
	}{
		{"ExpiredWithinLeeway", "exp", b.now.Add(-leeway + time.Second), nil},
		{"ExpiredAtLeeway", "exp", b.now.Add(-leeway), ErrTokenExpired},
		{"NotBeforeAtLeeway", "nbf", b.now.Add(leeway), nil},
		{"NotBeforePastLeeway", "nbf", b.now.Add(leeway + time.Second), ErrTokenNotValidYet},
		{"IssuedAtLeeway", "iat", b.now.Add(leeway), nil},
		{"IssuedPastLeeway", "iat", b.now.Add(leeway + time.Second), ErrTokenNotValidYet},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			token := sign(t, jwt.SigningMethodHS256, b.secret, with(b.validClaims(), tt.claim, tt.at.Unix()))
			_, err := b.tokens.Verify(token)
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.want)
		})
	}
}

func TestVerifyClockAdvances(t *testing.T) {
	t.Parallel()

	secret := []byte(strings.Repeat("s", 32))
	now := fixedNow
	tokens, err := NewTokens(Config{Secret: secret, Leeway: time.Second, Now: func() time.Time { return now }})
	require.NoError(t, err)

	token, err := tokens.Issue("ana", RoleEditor, time.Minute)
	require.NoError(t, err)
	_, err = tokens.Verify(token)
	require.NoError(t, err)

	now = fixedNow.Add(time.Minute + time.Second)
	_, err = tokens.Verify(token)
	require.ErrorIs(t, err, ErrTokenExpired)
}

func TestVerifyOtherConfigs(t *testing.T) {
	t.Parallel()

	secret := []byte(strings.Repeat("s", 32))
	now := func() time.Time { return fixedNow }
	mosaic, err := NewTokens(Config{Secret: secret, Now: now})
	require.NoError(t, err)
	staging, err := NewTokens(Config{Secret: secret, Issuer: "mosaic-staging", Now: now})
	require.NoError(t, err)
	studio, err := NewTokens(Config{Secret: secret, Audience: "studio", Now: now})
	require.NoError(t, err)

	token, err := staging.Issue("ana", RoleAdmin, 0)
	require.NoError(t, err)
	_, err = mosaic.Verify(token)
	require.ErrorIs(t, err, ErrTokenIssuer)

	token, err = studio.Issue("ana", RoleAdmin, 0)
	require.NoError(t, err)
	_, err = mosaic.Verify(token)
	require.ErrorIs(t, err, ErrTokenAudience)
}

func TestNewTokensCopiesSecret(t *testing.T) {
	t.Parallel()

	secret := []byte(strings.Repeat("s", 32))
	tokens, err := NewTokens(Config{Secret: secret})
	require.NoError(t, err)
	token, err := tokens.Issue("ana", RoleEditor, 0)
	require.NoError(t, err)

	clear(secret) // the caller wipes its copy
	_, err = tokens.Verify(token)
	require.NoError(t, err)
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()

	secret := []byte(strings.Repeat("s", 32))
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"NoSecret", Config{}, "auth config: Secret is empty; set MOSAIC_AUTH_SECRET to at least 32 random bytes (e.g. `openssl rand -hex 32`)"},
		{"ShortSecret", Config{Secret: []byte("hunter2-hunter2-hunter2-hunter2")}, "auth config: Secret is 31 bytes, want at least 32 (e.g. `openssl rand -hex 32`)"},
		{"NegativeTTL", Config{Secret: secret, TTL: -time.Hour}, "auth config: TTL is -1h0m0s, want a positive duration"},
		{"NegativeLeeway", Config{Secret: secret, Leeway: -time.Second}, "auth config: Leeway is -1s, want between 0 and 5m0s"},
		{"HugeLeeway", Config{Secret: secret, Leeway: time.Hour}, "auth config: Leeway is 1h0m0s, want between 0 and 5m0s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := NewTokens(tt.cfg)
			require.EqualError(t, err, tt.want)
			require.NotContains(t, err.Error(), "hunter2")
		})
	}

	cfg := Config{Secret: secret}.withDefaults()
	require.NoError(t, cfg.validate())
	require.Equal(t, "mosaic", cfg.Issuer)
	require.Equal(t, "mosaic", cfg.Audience)
	require.Equal(t, 12*time.Hour, cfg.TTL)
	require.Equal(t, 30*time.Second, cfg.Leeway)
	require.NotNil(t, cfg.Now)
}

func TestIssueRejectsBadInput(t *testing.T) {
	t.Parallel()
	b := setup(t)

	tests := []struct {
		name    string
		subject string
		role    Role
		ttl     time.Duration
		want    string
	}{
		{"EmptySubject", "", RoleEditor, 0, "token subject is empty"},
		{"BlankSubject", "  ", RoleEditor, 0, "token subject is empty"},
		{"LongSubject", strings.Repeat("a", 257), RoleEditor, 0, "token subject is 257 bytes, want at most 256"},
		{"UnknownRole", "ana", "owner", 0, `unknown role "owner": want admin, publisher, editor or viewer`},
		{"NegativeTTL", "ana", RoleEditor, -time.Minute, "token lifetime -1m0s is too short, want at least 1s"},
		{"TinyTTL", "ana", RoleEditor, time.Millisecond, "token lifetime 1ms is too short, want at least 1s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			token, err := b.tokens.Issue(tt.subject, tt.role, tt.ttl)
			require.Empty(t, token)
			e, ok := errs.As(err)
			require.True(t, ok)
			require.Equal(t, errs.BadUserInput, e.Code)
			require.Equal(t, tt.want, e.Message)
		})
	}
}

func BenchmarkVerify(b *testing.B) {
	bundle := setup(b)
	token, err := bundle.tokens.Issue("ana@example.com", RoleEditor, time.Hour)
	require.NoError(b, err)

	b.ReportAllocs()
	for b.Loop() {
		if _, err := bundle.tokens.Verify(token); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkIssue(b *testing.B) {
	bundle := setup(b)

	b.ReportAllocs()
	for b.Loop() {
		if _, err := bundle.tokens.Issue("ana@example.com", RoleEditor, time.Hour); err != nil {
			b.Fatal(err)
		}
	}
}
