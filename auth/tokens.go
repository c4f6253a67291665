package auth

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/mosaichq/mosaic/errs"
)

// Verifier turns a bearer token into a Principal. [*Tokens] verifies the HS256
// editor tokens Mosaic issues itself; a verifier for RS256/EdDSA tokens from
// an identity provider's JWKS can sit behind the same interface.
//
// Errors are *errs.Error with code UNAUTHENTICATED and a message safe to show
// the client.
type Verifier interface {
	Verify(token string) (Principal, error)
}

// VerifierFunc adapts a function to Verifier (handy for fakes in tests of
// other packages).
type VerifierFunc func(token string) (Principal, error)

// Verify calls f.
func (f VerifierFunc) Verify(token string) (Principal, error) { return f(token) }

// maxTokenBytes bounds what Verify will parse. Mosaic's tokens are ~300
// bytes; anything near this size is not one of them.
const maxTokenBytes = 8 << 10

const signingMethod = "HS256"

// claims is the JWT body: the registered claims plus the role.
type claims struct {
	Role string `json:"role"`
	jwt.RegisteredClaims
}

// Tokens issues and verifies editor tokens: HS256 JWTs carrying the editor's
// subject and role. It is safe for concurrent use.
type Tokens struct {
	cfg    Config
	parser *jwt.Parser
}

var _ Verifier = (*Tokens)(nil)

// NewTokens checks cfg, fills in defaults and returns a Tokens. The secret is
// copied, so the caller may wipe its slice.
func NewTokens(cfg Config) (*Tokens, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	cfg.Secret = append([]byte(nil), cfg.Secret...)
	parser := jwt.NewParser(
		jwt.WithValidMethods([]string{signingMethod}), // never "none", never an asymmetric alg fed our secret as a "public key"
		jwt.WithIssuer(cfg.Issuer),
		jwt.WithAudience(cfg.Audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(cfg.Leeway),
		jwt.WithTimeFunc(cfg.Now),
		// Strict base64 rejects signatures with non-zero trailing bits, so a
		// token has exactly one accepted spelling.
		jwt.WithStrictDecoding(),
	)
	return &Tokens{cfg: cfg, parser: parser}, nil
}

// Issue signs a token for subject with role, valid from now for ttl (the
// configured TTL when ttl is 0). Mistakes in the arguments are BAD_USER_INPUT:
// they come from `mosaic token` flags or the user-management API.
func (t *Tokens) Issue(subject string, role Role, ttl time.Duration) (string, error) {
	if strings.TrimSpace(subject) == "" {
		return "", errs.E(errs.BadUserInput, "token subject is empty")
	}
	if len(subject) > 256 {
		return "", errs.E(errs.BadUserInput, "token subject is %d bytes, want at most 256", len(subject))
	}
	if !role.Valid() {
		return "", errs.E(errs.BadUserInput, "unknown role %q: want admin, publisher, editor or viewer", role)
	}
	if ttl == 0 {
		ttl = t.cfg.TTL
	}
	if ttl < time.Second {
		return "", errs.E(errs.BadUserInput, "token lifetime %s is too short, want at least 1s", ttl)
	}

	var id [16]byte
	_, _ = rand.Read(id[:]) // crypto/rand.Read never fails (Go ≥ 1.24)

	now := t.cfg.Now()
	c := claims{
		Role: string(role),
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    t.cfg.Issuer,
			Subject:   subject,
			Audience:  jwt.ClaimStrings{t.cfg.Audience},
			ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
			NotBefore: jwt.NewNumericDate(now),
			IssuedAt:  jwt.NewNumericDate(now),
			ID:        hex.EncodeToString(id[:]),
		},
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(t.cfg.Secret)
	if err != nil {
		return "", fmt.Errorf("signing token for %q: %w", subject, err)
	}
	return s, nil
}

// Verify checks token's signature (HS256 only), issuer, audience, expiry
// (required), not-before and issued-at (with the configured leeway) and role,
// and returns who it names. Errors are the ErrToken... sentinels' code and
// message with the parser's error as cause; none mentions the secret.
func (t *Tokens) Verify(token string) (Principal, error) {
	if len(token) > maxTokenBytes {
		return Principal{}, fail(ErrTokenMalformed, fmt.Errorf("token is %d bytes, limit %d", len(token), maxTokenBytes))
	}
	if !isTokenText(token) {
		// base64 decoders skip CR/LF; refusing everything outside the JWS
		// compact alphabet keeps one accepted spelling per token.
		return Principal{}, fail(ErrTokenMalformed, errors.New("token has characters outside base64url and '.'"))
	}

	var c claims
	tok, err := t.parser.ParseWithClaims(token, &c, t.key)
	if err != nil {
		return Principal{}, verifyError(err, tok, []string{signingMethod}, c.ExpiresAt != nil, len(c.Audience) > 0)
	}
	if c.Subject == "" {
		return Principal{}, fail(ErrTokenNoSubject, nil)
	}
	role := Role(c.Role)
	if !role.Valid() {
		return Principal{}, fail(ErrTokenUnknownRole, fmt.Errorf("role claim %q", c.Role))
	}
	return Principal{
		Subject:   c.Subject,
		Role:      role,
		Kind:      KindEditorToken,
		TokenID:   c.ID,
		ExpiresAt: c.ExpiresAt.Time, // non-nil: WithExpirationRequired
	}, nil
}

func (t *Tokens) key(tok *jwt.Token) (any, error) {
	// WithValidMethods has already refused other algorithms; checking again
	// here keeps the secret from ever reaching a non-HMAC verifier should the
	// parser options change.
	if tok.Method != jwt.SigningMethodHS256 {
		return nil, fmt.Errorf("unexpected signing method %v", tok.Header["alg"])
	}
	return t.cfg.Secret, nil
}

// verifyError maps the parser's error to one client-safe reason. When several
// claims fail at once the first listed wins: expiry is the one a client can
// fix by fetching a new token.
func verifyError(err error, tok *jwt.Token, accepted []string, hasExp, hasAud bool) error {
	switch {
	case errors.Is(err, jwt.ErrTokenMalformed):
		return fail(ErrTokenMalformed, err)
	case errors.Is(err, jwt.ErrTokenUnverifiable):
		// Unknown or missing alg header.
		return fail(ErrTokenMethod, err)
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		if tok == nil || tok.Method == nil || !slices.Contains(accepted, tok.Method.Alg()) {
			return fail(ErrTokenMethod, err)
		}
		return fail(ErrTokenSignature, err)
	case errors.Is(err, jwt.ErrTokenExpired):
		return fail(ErrTokenExpired, err)
	case errors.Is(err, jwt.ErrTokenNotValidYet), errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		return fail(ErrTokenNotValidYet, err)
	case errors.Is(err, jwt.ErrTokenInvalidAudience):
		return fail(ErrTokenAudience, err)
	case errors.Is(err, jwt.ErrTokenInvalidIssuer):
		return fail(ErrTokenIssuer, err)
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		switch {
		case !hasExp:
			return fail(ErrTokenNoExpiry, err)
		case !hasAud:
			return fail(ErrTokenAudience, err)
		default:
			return fail(ErrTokenIssuer, err)
		}
	}
	return fail(ErrTokenMalformed, err)
}

// isTokenText reports whether s uses only the JWS compact serialization
// alphabet: base64url characters and '.'.
func isTokenText(s string) bool {
	for i := 0; i < len(s); i++ {
		switch b := s[i]; {
		case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9', b == '-', b == '_', b == '.':
		default:
			return false
		}
	}
	return true
}
