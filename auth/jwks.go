package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/time/rate"
)

// idpMethods are the algorithms accepted from an identity provider: its
// public keys are RSA or Ed25519. HS256 is never accepted here, so a public
// key can never be misused as an HMAC secret (the classic alg confusion).
var idpMethods = []string{"RS256", "EdDSA"}

// JWKSConfig configures tokens from an external identity provider.
type JWKSConfig struct {
	// URL serves the provider's JSON Web Key Set; https, or http on a
	// loopback address (tests, a sidecar).
	URL string
	// Issuer and Audience are required and checked exactly.
	Issuer   string
	Audience string
	// RoleClaim names the claim holding the Mosaic role, a dotted path for
	// nested claims ("realm_access.roles" in Keycloak). It may hold a string
	// or a list; from a list the most powerful known role wins. Default
	// "role".
	RoleClaim string
	// Leeway tolerates clock skew for exp, nbf and iat. Default 30s, at most 5m.
	Leeway time.Duration
	// RefreshInterval re-fetches the key set. Default 1h; keys with an
	// unknown kid also trigger a refresh, at most once a minute.
	RefreshInterval time.Duration
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// HTTPClient fetches the key set. Default: one with a 10s timeout.
	HTTPClient *http.Client
	// Logger receives refresh failures. Default: discarded.
	Logger *slog.Logger
}

func (c JWKSConfig) withDefaults() JWKSConfig {
	if c.RoleClaim == "" {
		c.RoleClaim = "role"
	}
	if c.Leeway == 0 {
		c.Leeway = 30 * time.Second
	}
	if c.RefreshInterval == 0 {
		c.RefreshInterval = time.Hour
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

func (c JWKSConfig) validate() error {
	u, err := url.Parse(c.URL)
	switch {
	case c.URL == "" || err != nil || u.Host == "":
		return fmt.Errorf("jwks config: URL %q is not an absolute URL", c.URL)
	case u.Scheme != "https" && !(u.Scheme == "http" && isLoopback(u.Hostname())):
		return fmt.Errorf("jwks config: URL %q must use https (http only on a loopback address)", c.URL)
	case c.Issuer == "":
		return errors.New("jwks config: Issuer is required: tokens from any issuer would be accepted")
	case c.Audience == "":
		return errors.New("jwks config: Audience is required: tokens minted for other applications would be accepted")
	case c.Leeway < 0 || c.Leeway > maxLeeway:
		return fmt.Errorf("jwks config: Leeway is %s, want between 0 and %s", c.Leeway, maxLeeway)
	}
	return nil
}

func isLoopback(host string) bool {
	return host == "localhost" || strings.HasPrefix(host, "127.") || host == "::1"
}

// JWKS verifies RS256 and EdDSA editor tokens signed by an identity
// provider, with keys from its JWKS URL (refreshed in the background).
type JWKS struct {
	cfg    JWKSConfig
	keys   keyfunc.Keyfunc
	parser *jwt.Parser
	stop   context.CancelFunc
}

var _ ContextVerifier = (*JWKS)(nil)

// NewJWKS fetches the key set once and starts refreshing it. A provider
// that is down at start is logged, not fatal: tokens are refused until the
// next successful refresh. Close stops the refresh.
func NewJWKS(cfg JWKSConfig) (*JWKS, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	ctx, stop := context.WithCancel(context.Background())
	keys, err := keyfunc.NewDefaultOverrideCtx(ctx, []string{cfg.URL}, keyfunc.Override{
		Client:          cfg.HTTPClient,
		HTTPTimeout:     10 * time.Second,
		RefreshInterval: cfg.RefreshInterval,
		// An unknown kid refreshes at most once a minute, and a request never
		// waits for the limiter: random kids cannot stall requests or hammer
		// the provider.
		RefreshUnknownKID: rate.NewLimiter(rate.Every(time.Minute), 1),
		RateLimitWaitMax:  time.Millisecond,
		RefreshErrorHandlerFunc: func(u string) func(context.Context, error) {
			return func(ctx context.Context, err error) {
				cfg.Logger.WarnContext(ctx, "refreshing the identity provider's JWKS", "url", u, "error", err)
			}
		},
	})
	if err != nil {
		stop()
		return nil, fmt.Errorf("jwks %s: %w", cfg.URL, err)
	}
	parser := jwt.NewParser(
		jwt.WithValidMethods(idpMethods),
		jwt.WithIssuer(cfg.Issuer),
		jwt.WithAudience(cfg.Audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(cfg.Leeway),
		jwt.WithTimeFunc(cfg.Now),
		jwt.WithStrictDecoding(),
	)
	return &JWKS{cfg: cfg, keys: keys, parser: parser, stop: stop}, nil
}

// Close stops the background refresh. Safe to call twice.
func (j *JWKS) Close() { j.stop() }

// Verify is VerifyContext without a request context.
func (j *JWKS) Verify(token string) (Principal, error) {
	return j.VerifyContext(context.Background(), token)
}

// VerifyContext checks token's signature against the provider's keys
// (RS256 or EdDSA only), iss, aud, exp (required), nbf and iat with leeway,
// and maps its role claim to a Mosaic role. Errors are the ErrToken...
// sentinels, as for [Tokens.Verify].
func (j *JWKS) VerifyContext(ctx context.Context, token string) (Principal, error) {
	if len(token) > maxTokenBytes {
		return Principal{}, fail(ErrTokenMalformed, fmt.Errorf("token is %d bytes, limit %d", len(token), maxTokenBytes))
	}
	if !isTokenText(token) {
		return Principal{}, fail(ErrTokenMalformed, errors.New("token has characters outside base64url and '.'"))
	}
	c := jwt.MapClaims{}
	tok, err := j.parser.ParseWithClaims(token, c, j.keys.KeyfuncCtx(ctx))
	if err != nil {
		if errors.Is(err, keyfunc.ErrKeyfunc) {
			// No key with the token's kid (or one for another algorithm).
			return Principal{}, fail(ErrTokenSignature, err)
		}
		_, hasExp := c["exp"]
		_, hasAud := c["aud"]
		return Principal{}, verifyError(err, tok, idpMethods, hasExp, hasAud)
	}
	sub, _ := c["sub"].(string)
	if sub == "" {
		return Principal{}, fail(ErrTokenNoSubject, nil)
	}
	role, ok := roleFromClaim(claimAt(c, j.cfg.RoleClaim))
	if !ok {
		return Principal{}, fail(ErrTokenUnknownRole, fmt.Errorf("claim %s holds no Mosaic role", j.cfg.RoleClaim))
	}
	p := Principal{Subject: sub, Role: role, Kind: KindIdPToken}
	p.TokenID, _ = c["jti"].(string)
	if exp, err := c.GetExpirationTime(); err == nil && exp != nil {
		p.ExpiresAt = exp.Time.UTC()
	}
	return p, nil
}

// claimAt walks a dotted path through nested claim objects.
func claimAt(c map[string]any, path string) any {
	var v any = c
	for part := range strings.SplitSeq(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[part]
	}
	return v
}

// roleFromClaim accepts a role name or a list of names, taking the most
// powerful known one from a list (providers list every group a user is in;
// names that are not Mosaic roles are ignored).
func roleFromClaim(v any) (Role, bool) {
	switch v := v.(type) {
	case string:
		r := Role(v)
		return r, r.Valid()
	case []any:
		for _, r := range Roles() {
			for _, x := range v {
				if s, _ := x.(string); Role(s) == r {
					return r, true
				}
			}
		}
	}
	return "", false
}
