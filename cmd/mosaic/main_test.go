package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testdb"
)

func TestHelpListsEverySetting(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	require.NoError(t, run(context.Background(), nil, &out, &errOut))
	for _, c := range commands() {
		require.Contains(t, out.String(), c.name)
	}
	err := run(context.Background(), []string{"serve", "--help"}, &out, &errOut)
	require.Error(t, err)
	for _, env := range []string{"DATABASE_URL", "MOSAIC_ADDR", "MOSAIC_JWT_SECRET", "MOSAIC_LOCALES", "MOSAIC_MAX_BODY_BYTES"} {
		require.Contains(t, errOut.String(), env)
	}
}

func TestUnknownCommand(t *testing.T) {
	t.Parallel()
	err := run(context.Background(), []string{"frobnicate"}, io.Discard, io.Discard)
	require.ErrorContains(t, err, `unknown command "frobnicate"`)
}

func TestTokenIsValidForTheDataDirSecret(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"token", "--role", "publisher", "--data-dir", dir}, &out, io.Discard))
	sec, err := auth.LoadOrCreateSecret(filepath.Join(dir, "jwt-secret"))
	require.NoError(t, err)
	tokens, err := auth.NewTokens(auth.Config{Secret: sec})
	require.NoError(t, err)
	p, err := tokens.Verify(strings.TrimSpace(out.String()))
	require.NoError(t, err)
	require.Equal(t, auth.RolePublisher, p.Role)

	err = run(context.Background(), []string{"token", "--role", "overlord", "--data-dir", dir}, io.Discard, io.Discard)
	require.Error(t, err)
}

// testBundleKey is a valid MOSAIC_BUNDLE_KEY (32 bytes, base64).
const testBundleKey = "bW9zYWljLXRlc3QtYnVuZGxlLXNlZWQtMzItYnl0ZXM="

func TestServeRefusesToStartWithoutSecretOrDatabase(t *testing.T) {
	t.Parallel()
	err := run(context.Background(), []string{"serve", "--database-url", "postgres://127.0.0.1:1/x"}, io.Discard, io.Discard)
	require.ErrorContains(t, err, "MOSAIC_JWT_SECRET")
	err = run(context.Background(), []string{"serve", "--jwt-secret", strings.Repeat("s", 32), "--database-url", "postgres://127.0.0.1:1/x"}, io.Discard, io.Discard)
	require.ErrorContains(t, err, "MOSAIC_BUNDLE_KEY", "replicas must share one bundle key")
	err = run(context.Background(), []string{"serve", "--jwt-secret", strings.Repeat("s", 32), "--bundle-key", testBundleKey, "--database-url", ""}, io.Discard, io.Discard)
	require.ErrorContains(t, err, "DATABASE_URL")
	err = run(context.Background(), []string{"serve", "--max-body-bytes", "12"}, io.Discard, io.Discard)
	require.ErrorContains(t, err, "max-body-bytes")
}

func TestModelExportImportRoundTrip(t *testing.T) {
	t.Parallel()
	_, url := testdb.Schema(t)
	ctx := context.Background()
	dir := t.TempDir()
	args := func(extra ...string) []string {
		return append(extra, "--database-url", url, "--data-dir", dir)
	}
	require.NoError(t, run(ctx, args("seed"), io.Discard, io.Discard))
	var exported bytes.Buffer
	require.NoError(t, run(ctx, append([]string{"model", "export"}, args()...), &exported, io.Discard))
	var m struct {
		Types []struct{ Key string } `json:"types"`
	}
	require.NoError(t, json.Unmarshal(exported.Bytes(), &m))
	require.GreaterOrEqual(t, len(m.Types), 9)

	file := filepath.Join(dir, "model.json")
	require.NoError(t, os.WriteFile(file, exported.Bytes(), 0o600))
	var out bytes.Buffer
	require.NoError(t, run(ctx, append(append([]string{"model", "import"}, args()...), file), &out, io.Discard))
	require.Contains(t, out.String(), "created 0, updated 0")

	require.NoError(t, os.WriteFile(file, []byte(`{"mosaicModel": 1, "types": [{"key": "Bad"}]}`), 0o600))
	err := run(ctx, append(append([]string{"model", "import"}, args()...), file), io.Discard, io.Discard)
	require.ErrorContains(t, err, "BAD_USER_INPUT")
}

// TestDev runs the zero-setup mode for real: a private PostgreSQL cluster
// under a temporary data dir, migrations, the demo seed, a served query,
// and a clean stop on cancel.
func TestDev(t *testing.T) {
	t.Parallel()
	dir, err := os.MkdirTemp("", "mosaic-devtest-")
	require.NoError(t, err)
	require.NoError(t, os.Chmod(dir, 0o755)) // the postgres user must enter it when we are root
	t.Cleanup(func() { os.RemoveAll(dir) })
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"dev", "--addr", "127.0.0.1:0", "--data-dir", dir, "--log-level", "warn"}, pw, io.Discard)
		pw.Close()
	}()
	urlRe := regexp.MustCompile(`GraphQL\s+(http://\S+)`)
	var gql string
	scanner := bufio.NewScanner(pr)
	for scanner.Scan() {
		if m := urlRe.FindStringSubmatch(scanner.Text()); m != nil {
			gql = m[1]
			break
		}
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	require.NotEmpty(t, gql, "mosaic dev printed no GraphQL URL")

	body := `{"query":"{ entry(slug: \"home\", type: \"page\") { id blocks { type } } }"}`
	resp, err := http.Post(gql, "application/json", strings.NewReader(body))
	require.NoError(t, err)
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Contains(t, string(raw), `"type":"hero"`)

	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(30 * time.Second):
		t.Fatal("mosaic dev did not stop after cancel")
	}
	_, err = os.Stat(filepath.Join(dir, "pg", "postmaster.pid"))
	require.True(t, os.IsNotExist(err), "the private PostgreSQL still runs after mosaic dev stopped")
}
