package bundle

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Signer holds the current signing key and the public keys still
// published (previous keys after a rotation).
type Signer struct {
	priv     ed25519.PrivateKey
	keyID    string
	previous []ed25519.PublicKey
}

// KeyID derives a key's id from its public key: the first 16 base64url
// characters of its SHA-256.
func KeyID(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return base64.RawURLEncoding.EncodeToString(sum[:])[:16]
}

// NewSigner signs with the Ed25519 seed and also publishes previous.
func NewSigner(seed []byte, previous ...ed25519.PublicKey) (*Signer, error) {
	if len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("an Ed25519 seed is %d bytes, got %d", ed25519.SeedSize, len(seed))
	}
	priv := ed25519.NewKeyFromSeed(seed)
	return &Signer{priv: priv, keyID: KeyID(priv.Public().(ed25519.PublicKey)), previous: previous}, nil
}

// ParseSeed decodes a base64 (standard or URL, padded or not) seed.
func ParseSeed(s string) ([]byte, error) { return decode64(s, ed25519.SeedSize, "seed") }

// ParsePublicKeys decodes a comma-separated list of base64 public keys.
func ParsePublicKeys(s string) ([]ed25519.PublicKey, error) {
	var out []ed25519.PublicKey
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		b, err := decode64(p, ed25519.PublicKeySize, "public key")
		if err != nil {
			return nil, err
		}
		out = append(out, ed25519.PublicKey(b))
	}
	return out, nil
}

func decode64(s string, size int, what string) ([]byte, error) {
	s = strings.TrimRight(strings.TrimSpace(s), "=")
	b, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil {
		b, err = base64.RawURLEncoding.DecodeString(s)
	}
	if err != nil {
		return nil, fmt.Errorf("the %s is not base64", what)
	}
	if len(b) != size {
		return nil, fmt.Errorf("an Ed25519 %s is %d bytes, got %d", what, size, len(b))
	}
	return b, nil
}

// DevSeed returns the seed kept in dir/bundle-key (0600), creating it on
// first use: a development instance signs with a stable key.
func DevSeed(dir string) ([]byte, error) {
	path := filepath.Join(dir, "bundle-key")
	if b, err := os.ReadFile(path); err == nil {
		return ParseSeed(string(b))
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	seed := make([]byte, ed25519.SeedSize)
	if _, err := rand.Read(seed); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, []byte(base64.StdEncoding.EncodeToString(seed)+"\n"), 0o600); err != nil {
		return nil, err
	}
	return seed, nil
}

// KeyID is the id of the current signing key.
func (s *Signer) KeyID() string { return s.keyID }

// Sign signs msg with the current key (base64url, no padding).
func (s *Signer) Sign(msg []byte) string {
	return base64.RawURLEncoding.EncodeToString(ed25519.Sign(s.priv, msg))
}

// JWK is one published public key.
type JWK struct {
	Kid string `json:"kid"`
	Kty string `json:"kty"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Use string `json:"use"`
	Alg string `json:"alg"`
}

// KeySet is the document at /.well-known/mosaic-bundle-keys.json.
type KeySet struct {
	Keys []JWK `json:"keys"`
}

// PublicKeys lists the current key first, then the previous ones.
func (s *Signer) PublicKeys() KeySet {
	pubs := append([]ed25519.PublicKey{s.priv.Public().(ed25519.PublicKey)}, s.previous...)
	out := KeySet{Keys: []JWK{}}
	for _, p := range pubs {
		out.Keys = append(out.Keys, JWK{Kid: KeyID(p), Kty: "OKP", Crv: "Ed25519",
			X: base64.RawURLEncoding.EncodeToString(p), Use: "sig", Alg: "EdDSA"})
	}
	return out
}

// Verify checks a signed document (Document.JSON) against a key set: it
// returns nil when the signature is valid for the key its keyId names.
func Verify(doc []byte, keys KeySet) error {
	msg, sig, kid, err := SignedBytes(doc)
	if err != nil {
		return err
	}
	for _, k := range keys.Keys {
		if k.Kid != kid {
			continue
		}
		pub, err := base64.RawURLEncoding.DecodeString(k.X)
		if err != nil || len(pub) != ed25519.PublicKeySize {
			return errors.New("bundle: malformed public key")
		}
		if !ed25519.Verify(ed25519.PublicKey(pub), msg, sig) {
			return errors.New("bundle: bad signature")
		}
		return nil
	}
	return fmt.Errorf("bundle: unknown key %q", kid)
}
