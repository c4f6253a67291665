package config

import "github.com/mosaichq/mosaic/bundle"

// bundleSettings are the settings of signed screen bundles (issue 9).
var bundleSettings = []setting{
	{"bundle-key", "MOSAIC_BUNDLE_KEY", "",
		"Ed25519 private key (base64 32-byte seed) signing screen bundles; every replica needs the same one; serve requires it. Empty (dev): a key generated once and kept in <data-dir>/bundle-key (0600)",
		func(c *Config, v string) error {
			if v != "" {
				if _, err := bundle.ParseSeed(v); err != nil {
					return err
				}
			}
			c.BundleKey = v
			return nil
		}},
	{"bundle-previous-keys", "MOSAIC_BUNDLE_PREVIOUS_KEYS", "",
		"comma-separated base64 Ed25519 public keys still published after a rotation, so bundles signed with them keep verifying",
		func(c *Config, v string) error {
			if _, err := bundle.ParsePublicKeys(v); err != nil {
				return err
			}
			c.BundlePreviousKeys = v
			return nil
		}},
}

func init() { settings = append(settings, bundleSettings...) }

// BundleSigner is the bundle signer the settings describe; without a
// configured key it uses (and on first use creates) one in the data dir.
func (c Config) BundleSigner() (*bundle.Signer, error) {
	prev, err := bundle.ParsePublicKeys(c.BundlePreviousKeys)
	if err != nil {
		return nil, err
	}
	var seed []byte
	if c.BundleKey != "" {
		seed, err = bundle.ParseSeed(c.BundleKey)
	} else {
		seed, err = bundle.DevSeed(c.DataDir)
	}
	if err != nil {
		return nil, err
	}
	return bundle.NewSigner(seed, prev...)
}
