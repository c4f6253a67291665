package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"

	"github.com/mosaichq/mosaic/errs"
)

// Scope is what an API key may do. Keys are for machines that read
// delivery content (websites, apps, kiosks); they never manage anything.
type Scope string

const (
	// ScopeDelivery reads published content at the server's clock: no
	// drafts, no `at`, no `preview`.
	ScopeDelivery Scope = "delivery"
	// ScopePreview may also set `at` and `preview` (permission preview), for
	// a staging site or a kiosk's preview screen.
	ScopePreview Scope = "preview"
	// ScopeEventsWrite may also report client events (POST /collect): the
	// key a website or app ships with to read content and measure.
	ScopeEventsWrite Scope = "events.write"
)

// scopeGrants is the API keys' half of the permission matrix (doc.go).
var scopeGrants = map[Scope]map[Permission]bool{
	ScopeDelivery: {},
	ScopePreview:  {PermPreview: true},
	// Not delivery's or preview's: a key handed out for reading must not
	// become a way to forge a site's measurements.
	ScopeEventsWrite: {PermEventsWrite: true},
}

// ParseScope returns the scope named s ("delivery", "preview" or
// "events.write").
func ParseScope(s string) (Scope, error) {
	if _, ok := scopeGrants[Scope(s)]; !ok {
		return "", errs.E(errs.BadUserInput, "unknown API key scope %q: want delivery, preview or events.write", s)
	}
	return Scope(s), nil
}

// ScopeAllows reports whether an API key with scope may use perm.
func ScopeAllows(scope Scope, perm Permission) bool { return scopeGrants[scope][perm] }

// APIKeyPrefix starts every API key, so a key is told from a JWT (which
// always starts "eyJ") at a glance, and secret scanners can find leaked ones.
const APIKeyPrefix = "mk_"

// apiKeyBytes of randomness: 256 bits, so that the key's SHA-256 (what the
// database keeps) cannot be reversed by guessing.
const apiKeyBytes = 32

// apiKeyLen is the length of a key: the prefix and 43 base64url characters.
var apiKeyLen = len(APIKeyPrefix) + base64.RawURLEncoding.EncodedLen(apiKeyBytes)

// KeyHash is the SHA-256 of an API key: what is stored and looked up.
type KeyHash [sha256.Size]byte

// ErrAPIKeyMalformed: the credential is not shaped like a Mosaic API key.
var ErrAPIKeyMalformed = errs.E(errs.Unauthenticated, "malformed API key")

// NewAPIKey returns a fresh random key (to show its owner once), its hash
// (to store) and its display prefix (to list).
func NewAPIKey() (key string, hash KeyHash, display string) {
	var b [apiKeyBytes]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go ≥ 1.24)
	key = APIKeyPrefix + base64.RawURLEncoding.EncodeToString(b[:])
	return key, sha256.Sum256([]byte(key)), DisplayPrefix(key)
}

// IsAPIKey reports whether credential claims to be an API key (by its
// prefix); [HashAPIKey] checks the rest.
func IsAPIKey(credential string) bool { return strings.HasPrefix(credential, APIKeyPrefix) }

// HashAPIKey checks key's shape and returns its hash. A key of the wrong
// length or alphabet is refused before any lookup.
func HashAPIKey(key string) (KeyHash, error) {
	if len(key) != apiKeyLen || !IsAPIKey(key) {
		return KeyHash{}, ErrAPIKeyMalformed
	}
	// isTokenText first: base64 decoders skip CR and LF, and a key must
	// have exactly one spelling.
	if body := key[len(APIKeyPrefix):]; !isTokenText(body) || strings.Contains(body, ".") {
		return KeyHash{}, ErrAPIKeyMalformed
	} else if _, err := base64.RawURLEncoding.Strict().DecodeString(body); err != nil {
		return KeyHash{}, ErrAPIKeyMalformed
	}
	return sha256.Sum256([]byte(key)), nil
}

// DisplayPrefix is the part of a key that lists show: enough to tell keys
// apart (48 bits), far too little to help guess the rest.
func DisplayPrefix(key string) string {
	n := len(APIKeyPrefix) + 8
	if len(key) < n {
		return key
	}
	return key[:n]
}
