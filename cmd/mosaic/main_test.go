package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

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
	sec, err := auth.LoadOrCreateSecret(filepath.Join(dir, "jwt-secret")) // as mosaic dev does
	require.NoError(t, err)
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"token", "--role", "publisher", "--data-dir", dir}, &out, io.Discard))
	tokens, err := auth.NewTokens(auth.Config{Secret: sec})
	require.NoError(t, err)
	p, err := tokens.Verify(strings.TrimSpace(out.String()))
	require.NoError(t, err)
	require.Equal(t, auth.RolePublisher, p.Role)

	err = run(context.Background(), []string{"token", "--role", "overlord", "--data-dir", dir}, io.Discard, io.Discard)
	require.Error(t, err)
}

// TestTokenRefusesWithoutSecret: in a directory with no data dir (not where
// mosaic dev runs), token makes no secret of its own — a token signed with
// it would be refused — and says where it looked and how to point at the
// right one.
func TestTokenRefusesWithoutSecret(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "elsewhere", ".mosaic")
	var out bytes.Buffer
	err := run(context.Background(), []string{"token", "--data-dir", dir, "--jwt-secret", ""}, &out, io.Discard)
	require.ErrorContains(t, err, "no token secret: MOSAIC_JWT_SECRET is not set and there is no "+filepath.Join(dir, "jwt-secret"))
	require.ErrorContains(t, err, "--data-dir DIR")
	require.Empty(t, out.String(), "no token printed")
	require.NoDirExists(t, dir, "nothing created")

	// The server's secret given explicitly works anywhere.
	secret := strings.Repeat("k", 32)
	require.NoError(t, run(context.Background(), []string{"token", "--data-dir", dir, "--jwt-secret", secret}, &out, io.Discard))
	tokens, err := auth.NewTokens(auth.Config{Secret: []byte(secret)})
	require.NoError(t, err)
	_, err = tokens.Verify(strings.TrimSpace(out.String()))
	require.NoError(t, err)
}

// testBundleKey is a valid MOSAIC_BUNDLE_KEY (32 bytes, base64).
const testBundleKey = "bW9zYWljLXRlc3QtYnVuZGxlLXNlZWQtMzItYnl0ZXM="

// TestServeReportsEveryMissingSettingAtOnce: one start names every
// missing and invalid setting, not the first one only.
func TestServeReportsEveryMissingSettingAtOnce(t *testing.T) {
	t.Parallel()
	none := []string{"serve", "--jwt-secret", "", "--bundle-key", "", "--database-url", ""}
	err := run(context.Background(), append(none, "--max-body-bytes", "12", "--token-ttl", "soon"), io.Discard, io.Discard)
	require.ErrorContains(t, err, "5 settings need attention:")
	for _, want := range []string{"MOSAIC_JWT_SECRET", "MOSAIC_BUNDLE_KEY", "DATABASE_URL", "max-body-bytes", `--token-ttl / MOSAIC_TOKEN_TTL: invalid value "soon"`} {
		require.ErrorContains(t, err, want)
	}

	err = run(context.Background(), []string{"serve", "--jwt-secret", "short", "--bundle-key", testBundleKey, "--database-url", "postgres://127.0.0.1:1/x"}, io.Discard, io.Discard)
	require.EqualError(t, err, "MOSAIC_JWT_SECRET must be at least 32 bytes, got 5", "one problem reads as one line")
	err = run(context.Background(), []string{"serve", "--jwt-secret", strings.Repeat("s", 32), "--bundle-key", testBundleKey, "--database-url", "postgres://127.0.0.1:1/x"}, io.Discard, io.Discard)
	require.Error(t, err)
	require.NotContains(t, err.Error(), "settings need attention", "complete settings get as far as the database")
}

// TestVersion: `mosaic version` and `mosaic --version` print the module
// version and the commit, and say "(devel)" and "unknown" when the build
// carries neither (go test, go run, -buildvcs=false).
func TestVersion(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"version"}, {"--version"}, {"-version"}} {
		var out bytes.Buffer
		require.NoError(t, run(context.Background(), args, &out, io.Discard), args)
		require.Regexp(t, `^mosaic \S+ \(commit \S+.*go1\.`, out.String(), args)
	}
	require.Error(t, run(context.Background(), []string{"version", "extra"}, io.Discard, io.Discard))

	require.Equal(t, "mosaic (devel) (commit unknown, "+runtime.Version()+" "+runtime.GOOS+"/"+runtime.GOARCH+")",
		versionLine(nil, false))
	info := &debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "3fdddd694ae7f997bd1381f0e3143319804e79b5"},
		{Key: "vcs.time", Value: "2026-12-06T02:23:36Z"}, {Key: "vcs.modified", Value: "true"}}}
	require.True(t, strings.HasPrefix(versionLine(info, true), "mosaic v1.4.0 (commit 3fdddd694ae7, 2026-12-06T02:23:36Z, with local changes, go1."))
}

// TestSubcommandHelpShowsItsOwnFlags: each subcommand's --help lists its
// own flags above the shared settings, with its usage line.
func TestSubcommandHelpShowsItsOwnFlags(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"token", "--help"}, []string{"usage: mosaic token [flags]", "flags of mosaic token:", "--role", "--subject", `(default "editor")`}},
		{[]string{"model", "import", "-h"}, []string{"usage: mosaic model import [flags] FILE", "--dry-run", "--allow-drop"}},
		{[]string{"user", "add", "--help"}, []string{"usage: mosaic user add --email EMAIL [flags]", "--email", "--password-stdin"}},
		{[]string{"bundle-key", "--help"}, []string{"--public"}},
		{[]string{"dev", "--help"}, []string{"flags of mosaic dev:", "--reset-demo"}},
	} {
		var errOut bytes.Buffer
		err := run(context.Background(), tc.args, io.Discard, &errOut)
		require.ErrorIs(t, err, flag.ErrHelp, tc.args)
		help := errOut.String()
		for _, w := range tc.want {
			require.Contains(t, help, w, tc.args)
		}
		require.Less(t, strings.Index(help, tc.want[len(tc.want)-1]), strings.Index(help, "MOSAIC_ADDR"), "own flags first")
		require.Contains(t, help, "MOSAIC_DATA_DIR", "the shared settings follow")
	}
	var errOut bytes.Buffer
	require.ErrorIs(t, run(context.Background(), []string{"migrate", "--help"}, io.Discard, &errOut), flag.ErrHelp)
	require.NotContains(t, errOut.String(), "flags of", "migrate has no flags of its own")
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
	dev := startDev(t)
	gql := dev.url + "/graphql"

	body := `{"query":"{ entry(slug: \"home\", type: \"page\") { id blocks { type } } }"}`
	resp, err := http.Post(gql, "application/json", strings.NewReader(body))
	require.NoError(t, err)
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Contains(t, string(raw), `"type":"hero"`)

	dev.stop(t)
	_, err = os.Stat(filepath.Join(dev.dir, "pg", "postmaster.pid"))
	require.True(t, os.IsNotExist(err), "the private PostgreSQL still runs after mosaic dev stopped")
}
