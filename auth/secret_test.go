package auth

import (
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestLoadOrCreateSecret(t *testing.T) {
	t.Parallel()

	t.Run("CreatesThenReloads", func(t *testing.T) {
		t.Parallel()
		dir := filepath.Join(t.TempDir(), ".mosaic", "nested")
		path := filepath.Join(dir, "token-secret")

		first, err := LoadOrCreateSecret(path)
		require.NoError(t, err)
		require.Len(t, first, MinSecretBytes)

		second, err := LoadOrCreateSecret(path)
		require.NoError(t, err)
		require.Equal(t, first, second, "must be idempotent")

		raw, err := os.ReadFile(path)
		require.NoError(t, err)
		require.Equal(t, hex.EncodeToString(first)+"\n", string(raw))

		entries, err := os.ReadDir(dir)
		require.NoError(t, err)
		require.Len(t, entries, 1, "temporary file left behind")

		if runtime.GOOS != "windows" {
			fi, err := os.Stat(path)
			require.NoError(t, err)
			require.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
			fi, err = os.Stat(dir)
			require.NoError(t, err)
			require.Equal(t, os.FileMode(0o700), fi.Mode().Perm())
		}

		// The secret works for tokens, across two "processes".
		now := func() time.Time { return fixedNow }
		cli, err := NewTokens(Config{Secret: first, Now: now})
		require.NoError(t, err)
		server, err := NewTokens(Config{Secret: second, Now: now})
		require.NoError(t, err)
		token, err := cli.Issue("dev", RoleEditor, 0)
		require.NoError(t, err)
		_, err = server.Verify(token)
		require.NoError(t, err)
	})

	t.Run("ConcurrentCallersAgree", func(t *testing.T) {
		t.Parallel()
		path := filepath.Join(t.TempDir(), "token-secret")

		const n = 16
		got := make([][]byte, n)
		errors := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() { got[i], errors[i] = LoadOrCreateSecret(path) })
		}
		wg.Wait()
		for i := range n {
			require.NoError(t, errors[i])
			require.Equal(t, got[0], got[i])
		}
	})

	t.Run("ReadsExisting", func(t *testing.T) {
		t.Parallel()
		secret := []byte("0123456789abcdef0123456789abcdef!") // 33 bytes
		for name, text := range map[string]string{
			"Hex":          hex.EncodeToString(secret),
			"HexUpper":     strings.ToUpper(hex.EncodeToString(secret)),
			"Base64":       base64.StdEncoding.EncodeToString(secret),
			"Base64Raw":    base64.RawStdEncoding.EncodeToString(secret),
			"Base64URL":    base64.URLEncoding.EncodeToString(secret),
			"Base64RawURL": base64.RawURLEncoding.EncodeToString(secret),
			"Whitespace":   "\n  " + hex.EncodeToString(secret) + " \r\n",
		} {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				path := filepath.Join(t.TempDir(), "secret")
				require.NoError(t, os.WriteFile(path, []byte(text), 0o600))
				got, err := LoadOrCreateSecret(path)
				require.NoError(t, err)
				require.Equal(t, secret, got)
			})
		}
	})

	t.Run("RejectsBadFiles", func(t *testing.T) {
		t.Parallel()
		for name, tc := range map[string]struct{ text, want string }{
			"Empty":    {"\n", "file is empty; delete it to have a new secret generated"},
			"Short":    {hex.EncodeToString([]byte("too-short-secret")), "secret is 16 bytes, want at least 32"},
			"NotCoded": {"correct horse battery staple correct horse battery staple!", "content is neither hex nor base64"},
		} {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				path := filepath.Join(t.TempDir(), "secret")
				require.NoError(t, os.WriteFile(path, []byte(tc.text), 0o600))
				_, err := LoadOrCreateSecret(path)
				require.EqualError(t, err, "token secret "+path+": "+tc.want)
				if strings.TrimSpace(tc.text) != "" {
					require.NotContains(t, err.Error(), strings.TrimSpace(tc.text), "must not echo the secret")
				}
				// A bad file is reported, never silently replaced.
				raw, err := os.ReadFile(path)
				require.NoError(t, err)
				require.Equal(t, tc.text, string(raw))
			})
		}
	})

	t.Run("PathIsDirectory", func(t *testing.T) {
		t.Parallel()
		_, err := LoadOrCreateSecret(t.TempDir())
		require.Error(t, err)
		require.Contains(t, err.Error(), "reading token secret")
	})
}
