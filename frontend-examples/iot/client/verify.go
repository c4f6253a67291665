package client

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
)

// Reasons a bundle is refused. They wrap into the errors Verify returns,
// so callers can tell a rotation (UnknownKeyError) from an attack.
var (
	ErrSignatureNotLast  = errors.New("bundle: the signature is not the document's last member")
	ErrSignatureEncoding = errors.New("bundle: the signature is not base64url")
	ErrBadSignature      = errors.New("bundle: bad signature")
	ErrMalformedKey      = errors.New("bundle: malformed public key")
)

// UnknownKeyError is a bundle signed with a key the key set lacks: after a
// rotation the set is stale, so the caller refetches it once.
type UnknownKeyError struct{ KeyID string }

func (e *UnknownKeyError) Error() string { return fmt.Sprintf("bundle: unknown key %q", e.KeyID) }

// JWK is one published public key (the shape of bundle.JWK on the server).
type JWK struct {
	Kid string `json:"kid"`
	Kty string `json:"kty"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Use string `json:"use,omitempty"`
	Alg string `json:"alg,omitempty"`
}

// KeySet is the document at /.well-known/mosaic-bundle-keys.json.
type KeySet struct {
	Keys []JWK `json:"keys"`
}

// Has reports whether the set names kid.
func (ks KeySet) Has(kid string) bool {
	for _, k := range ks.Keys {
		if k.Kid == kid {
			return true
		}
	}
	return false
}

// SignedBytes splits a served document into the signed bytes, the
// signature and the key id. The server signs its JSON encoding and then
// appends the signature as the last member, so removing exactly that
// suffix gives back the signed bytes without any re-encoding, which could
// differ byte for byte from the server's.
func SignedBytes(doc []byte) (msg, sig []byte, kid string, err error) {
	var head struct {
		KeyID     string `json:"keyId"`
		Signature string `json:"signature"`
	}
	if err := json.Unmarshal(doc, &head); err != nil {
		return nil, nil, "", fmt.Errorf("bundle: %w", err)
	}
	// Marshalling the value gives the escaping the server used; the
	// suffix must then match byte for byte, which also pins it as last.
	quoted, _ := json.Marshal(head.Signature)
	suffix := append(append([]byte(`,"signature":`), quoted...), '}')
	if head.Signature == "" || !bytes.HasSuffix(doc, suffix) {
		return nil, nil, "", ErrSignatureNotLast
	}
	sig, err = base64.RawURLEncoding.DecodeString(head.Signature)
	if err != nil {
		return nil, nil, "", ErrSignatureEncoding
	}
	msg = append(bytes.Clone(doc[:len(doc)-len(suffix)]), '}')
	return msg, sig, head.KeyID, nil
}

// Verify checks a served document against a key set: nil when its
// signature is valid for the Ed25519 key its keyId names.
func Verify(doc []byte, keys KeySet) error {
	msg, sig, kid, err := SignedBytes(doc)
	if err != nil {
		return err
	}
	for _, k := range keys.Keys {
		if k.Kid != kid {
			continue
		}
		if k.Kty != "OKP" || k.Crv != "Ed25519" {
			return fmt.Errorf("%w: %s/%s is not an Ed25519 key", ErrMalformedKey, k.Kty, k.Crv)
		}
		pub, err := base64.RawURLEncoding.DecodeString(k.X)
		if err != nil || len(pub) != ed25519.PublicKeySize {
			return ErrMalformedKey
		}
		// ed25519.Verify already says false for a short signature; the
		// explicit check names the reason in the log.
		if len(sig) != ed25519.SignatureSize {
			return fmt.Errorf("%w: %d bytes, want %d", ErrBadSignature, len(sig), ed25519.SignatureSize)
		}
		if !ed25519.Verify(ed25519.PublicKey(pub), msg, sig) {
			return ErrBadSignature
		}
		return nil
	}
	return &UnknownKeyError{KeyID: kid}
}
