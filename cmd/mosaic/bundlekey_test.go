package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/bundle"
)

// bundle-key makes a key serve accepts, and --public prints the public key
// a rotation keeps in MOSAIC_BUNDLE_PREVIOUS_KEYS: a signer with a new key
// and that one publishes both.
func TestBundleKeyForRotation(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"bundle-key"}, &out, io.Discard))
	line, _, _ := strings.Cut(out.String(), "\n")
	seed, ok := strings.CutPrefix(line, "MOSAIC_BUNDLE_KEY=")
	require.True(t, ok, out.String())
	parsed, err := bundle.ParseSeed(seed)
	require.NoError(t, err)
	old, err := bundle.NewSigner(parsed)
	require.NoError(t, err)
	require.Contains(t, out.String(), "key id "+old.KeyID())

	var pub bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"bundle-key", "--public", "--bundle-key", seed}, &pub, io.Discard))
	first, _, _ := strings.Cut(pub.String(), "\n")
	prev, err := bundle.ParsePublicKeys(first)
	require.NoError(t, err)
	rotated, err := bundle.NewSigner([]byte("0123456789abcdef0123456789abcdef"), prev...)
	require.NoError(t, err)
	keys := rotated.PublicKeys()
	require.Len(t, keys.Keys, 2)
	require.Equal(t, old.KeyID(), keys.Keys[1].Kid, "the old key is still published")

	err = run(context.Background(), []string{"bundle-key", "--public", "--bundle-key", "not-a-key"}, io.Discard, io.Discard)
	require.Error(t, err)

	// No key configured and none in the data dir: nothing is made up.
	dir := filepath.Join(t.TempDir(), "elsewhere")
	err = run(context.Background(), []string{"bundle-key", "--public", "--bundle-key", "", "--data-dir", dir}, io.Discard, io.Discard)
	require.ErrorContains(t, err, "there is no "+filepath.Join(dir, "bundle-key"))
	require.NoDirExists(t, dir)
}
