package bundle

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func testSigner(t testing.TB, seed string, prev ...ed25519.PublicKey) *Signer {
	t.Helper()
	s, err := NewSigner([]byte(seed), prev...)
	require.NoError(t, err)
	return s
}

func signed(t testing.TB, s *Signer) []byte {
	t.Helper()
	at := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	bun := Bundle{Format: 1, Screen: "lobby", Channel: "kiosk", Locale: "en", Version: "1-abc", GeneratedAt: at,
		ExpiresAt: at.Add(DefaultHorizon), KeyID: s.KeyID(), Assets: []Asset{},
		Frames: []Frame{{ValidFrom: at, ValidUntil: at.Add(DefaultHorizon), Content: &Screen{ID: "e1", Slug: "lobby",
			Fields: map[string]any{"title": "Welcome — ünïcode <&>", "b": 1.5, "a": []any{"x"}}, Blocks: []Block{}}}}}
	b := &Builder{Signer: s}
	doc, err := b.sign(&bun)
	require.NoError(t, err)
	return doc
}

func TestSignVerify(t *testing.T) {
	s := testSigner(t, "0123456789abcdef0123456789abcdef")
	doc := signed(t, s)
	require.NoError(t, Verify(doc, s.PublicKeys()))

	// The signed bytes are the document without its last member.
	msg, sig, kid, err := SignedBytes(doc)
	require.NoError(t, err)
	require.Equal(t, s.KeyID(), kid)
	var m map[string]any
	require.NoError(t, json.Unmarshal(msg, &m))
	require.NotContains(t, m, "signature")
	require.True(t, ed25519.Verify(s.priv.Public().(ed25519.PublicKey), msg, sig))

	// Every single-byte change of the content is caught.
	for i := range len(doc) - 100 {
		bad := append([]byte(nil), doc...)
		bad[i] ^= 0x01
		require.Error(t, Verify(bad, s.PublicKeys()), "byte %d flipped", i)
	}
	// Another key does not verify it.
	other := testSigner(t, "ffffffffffffffffffffffffffffffff")
	require.Error(t, Verify(doc, other.PublicKeys()))
	// A signature that is not the last member is refused.
	_, _, _, err = SignedBytes([]byte(`{"signature":"AA","keyId":"x"}`))
	require.Error(t, err)
}

func TestRotationPublishesOldAndNew(t *testing.T) {
	old := testSigner(t, "0123456789abcdef0123456789abcdef")
	oldDoc := signed(t, old)
	oldPub := old.priv.Public().(ed25519.PublicKey)
	keys, err := ParsePublicKeys(" " + base64.StdEncoding.EncodeToString(oldPub) + " ,")
	require.NoError(t, err)
	cur := testSigner(t, "ffffffffffffffffffffffffffffffff", keys...)
	set := cur.PublicKeys()
	require.Len(t, set.Keys, 2)
	require.Equal(t, cur.KeyID(), set.Keys[0].Kid)
	require.Equal(t, old.KeyID(), set.Keys[1].Kid)
	require.Equal(t, "OKP", set.Keys[1].Kty)
	require.Equal(t, "Ed25519", set.Keys[1].Crv)
	require.NoError(t, Verify(oldDoc, set), "bundles signed before the rotation still verify")
	require.NoError(t, Verify(signed(t, cur), set))
}

func TestKeysFromConfig(t *testing.T) {
	_, err := ParseSeed("not base64!")
	require.Error(t, err)
	_, err = ParseSeed(base64.StdEncoding.EncodeToString([]byte("short")))
	require.Error(t, err)
	_, err = ParsePublicKeys("AAAA")
	require.Error(t, err)

	dir := filepath.Join(t.TempDir(), "data")
	seed, err := DevSeed(dir)
	require.NoError(t, err)
	fi, err := os.Stat(filepath.Join(dir, "bundle-key"))
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	again, err := DevSeed(dir)
	require.NoError(t, err)
	require.Equal(t, seed, again, "the dev key is kept")
}

func TestHorizonHours(t *testing.T) {
	d, err := HorizonHours(nil)
	require.NoError(t, err)
	require.Equal(t, DefaultHorizon, d)
	for _, bad := range []int{0, -1, 337} {
		_, err := HorizonHours(&bad)
		require.Error(t, err, bad)
	}
	h := 336
	d, err = HorizonHours(&h)
	require.NoError(t, err)
	require.Equal(t, MaxHorizon, d)
}
