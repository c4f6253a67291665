package auth

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// LoadOrCreateSecret returns the token secret stored at path, creating the
// file with MinSecretBytes random bytes (hex, mode 0600; missing parent
// directories 0700) when it does not exist. `mosaic dev` and `mosaic token`
// both call it with the same path, so a token printed by
// `mosaic token --role editor` is valid for the running dev server.
//
// An existing file may hold the secret as hex or base64 (standard or URL
// alphabet, padded or not; hex is tried first), surrounded by whitespace. It
// must decode to at least MinSecretBytes bytes.
//
// Concurrent callers (two processes starting at once) get the same secret:
// the file appears atomically with its full content, and only once.
func LoadOrCreateSecret(path string) ([]byte, error) {
	secret, err := readSecret(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return secret, err
	}

	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("creating directory for token secret: %w", err)
	}
	secret = make([]byte, MinSecretBytes)
	_, _ = rand.Read(secret) // crypto/rand.Read never fails (Go ≥ 1.24)
	if err := publishFile(path, []byte(hex.EncodeToString(secret)+"\n")); err != nil {
		if errors.Is(err, fs.ErrExist) {
			// Another process won the race; use its secret.
			return readSecret(path)
		}
		return nil, fmt.Errorf("creating token secret %s: %w", path, err)
	}
	return secret, nil
}

// publishFile writes data to a temporary file (0600) next to path and links
// it into place, so readers never see a partial file and an existing path is
// never replaced (fs.ErrExist instead).
func publishFile(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	// CreateTemp already uses 0600; say so explicitly in case that changes.
	if err := os.Chmod(tmp.Name(), 0o600); err != nil {
		return err
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return err
		}
		// A filesystem without hard links: fall back to an exclusive create,
		// which still never replaces an existing secret.
		return writeExclusive(path, data)
	}
	return nil
}

func writeExclusive(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func readSecret(path string) ([]byte, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("reading token secret: %w", err)
	}
	secret, err := decodeSecret(bytes.TrimSpace(raw))
	if err != nil {
		// Never echo the file's content: it is (meant to be) the secret.
		return nil, fmt.Errorf("token secret %s: %w", path, err)
	}
	return secret, nil
}

func decodeSecret(text []byte) ([]byte, error) {
	if len(text) == 0 {
		return nil, errors.New("file is empty; delete it to have a new secret generated")
	}
	var secret []byte
	if b, err := hex.DecodeString(string(text)); err == nil {
		secret = b
	} else {
		for _, enc := range []*base64.Encoding{
			base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding,
		} {
			if b, err := enc.DecodeString(string(text)); err == nil {
				secret = b
				break
			}
		}
	}
	if secret == nil {
		return nil, errors.New("content is neither hex nor base64")
	}
	if len(secret) < MinSecretBytes {
		return nil, fmt.Errorf("secret is %d bytes, want at least %d", len(secret), MinSecretBytes)
	}
	return secret, nil
}
