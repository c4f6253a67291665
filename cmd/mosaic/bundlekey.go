package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/mosaichq/mosaic/bundle"
)

// runBundleKey makes a new screen-bundle signing key, or with --public
// prints the public half of the configured one: what a rotation needs in
// MOSAIC_BUNDLE_PREVIOUS_KEYS so screens keep trusting bundles signed
// before it.
func runBundleKey(_ context.Context, args []string, stdout, stderr io.Writer) error {
	var public bool
	cfg, _, err := parseConfig("bundle-key", args, stderr, func(fs *flag.FlagSet) {
		fs.BoolVar(&public, "public", false, "print the public key of the configured key (MOSAIC_BUNDLE_KEY, or dev's in the data dir)")
	})
	if err != nil {
		return err
	}
	if public {
		// Like token: print the key in use, never one made up here.
		if path := absPath(filepath.Join(cfg.DataDir, "bundle-key")); cfg.BundleKey == "" && !exists(path) {
			return fmt.Errorf("no bundle key: MOSAIC_BUNDLE_KEY is not set and there is no %s (made by the first mosaic dev): "+
				"set MOSAIC_BUNDLE_KEY, or point at the dev's data dir with --data-dir DIR", path)
		}
		s, err := cfg.BundleSigner()
		if err != nil {
			return err
		}
		k := s.PublicKeys().Keys[0]
		fmt.Fprintf(stdout, "%s\n# key id %s\n", k.X, k.Kid)
		return nil
	}
	seed := make([]byte, ed25519.SeedSize)
	if _, err := rand.Read(seed); err != nil {
		return err
	}
	pub := ed25519.NewKeyFromSeed(seed).Public().(ed25519.PublicKey)
	fmt.Fprintf(stdout, "MOSAIC_BUNDLE_KEY=%s\n# public key %s, key id %s: after the next rotation, keep it in MOSAIC_BUNDLE_PREVIOUS_KEYS\n",
		base64.StdEncoding.EncodeToString(seed), base64.RawURLEncoding.EncodeToString(pub), bundle.KeyID(pub))
	return nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
