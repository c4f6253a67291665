package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"flag"
	"fmt"
	"io"

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
