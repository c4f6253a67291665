package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testdb"
)

func TestReindex(t *testing.T) {
	t.Parallel()
	_, url := testdb.Schema(t)
	ctx := context.Background()
	dir := t.TempDir()
	args := func(cmd string) []string { return []string{cmd, "--database-url", url, "--data-dir", dir} }
	require.NoError(t, run(ctx, args("seed"), io.Discard, io.Discard))
	var out, progress bytes.Buffer
	require.NoError(t, run(ctx, args("reindex"), &out, &progress))
	require.Regexp(t, `search index rebuilt: 18 documents \(entries × locales\) at content epoch \d+`, out.String())
	// Not a terminal: plain lines instead of a redrawn bar.
	require.Contains(t, progress.String(), "indexed 0 of 7 entries\n")
	require.Contains(t, progress.String(), "indexed 7 of 7 entries\n")

	// A running server holds its index: reindex says so instead of waiting.
	held, err := bleve.Open(filepath.Join(dir, "search", "index"))
	require.NoError(t, err)
	defer held.Close()
	err = run(ctx, args("reindex"), io.Discard, io.Discard)
	require.ErrorContains(t, err, "in use by another process")
}

// TestReindexFromAStandby: with MOSAIC_DATABASE_READ_URLS a rebuild reads
// from the standby, but never from before the epoch it records: here the
// standby stopped replaying before the seed, and the rebuild still has
// every document (from the primary, the standby being behind).
func TestReindexFromAStandby(t *testing.T) {
	t.Parallel()
	_, url := testdb.Schema(t)
	standby := testdb.NewStandby(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, standby.URL(url))
	require.NoError(t, err)
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, "SELECT pg_wal_replay_pause()")
	require.NoError(t, err)
	dir := t.TempDir()
	require.NoError(t, run(ctx, []string{"seed", "--database-url", url, "--data-dir", dir}, io.Discard, io.Discard))
	var out bytes.Buffer
	require.NoError(t, run(ctx, []string{"reindex", "--database-url", url, "--data-dir", dir,
		"--database-read-urls", standby.URL(url), "--database-read-max-lag", "1m"}, &out, io.Discard))
	require.Regexp(t, `search index rebuilt: 18 documents \(entries × locales\) at content epoch \d+`, out.String())
}

// TestSearchAcrossProcesses runs two `mosaic serve` processes on one
// database, each with its own data dir: a publish on one is searchable on
// both within a second, an unpublish disappears from both, and a process
// killed with SIGKILL repairs its index from the change log on restart.
func TestSearchAcrossProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs two servers")
	}
	t.Parallel()
	bin := filepath.Join(t.TempDir(), "mosaic")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	require.NoError(t, build.Run())
	_, dbURL := testdb.Schema(t)
	ctx := context.Background()
	require.NoError(t, run(ctx, []string{"seed", "--database-url", dbURL, "--data-dir", t.TempDir()}, io.Discard, io.Discard))
	secret := strings.Repeat("k", 32)
	env := append(os.Environ(), "DATABASE_URL="+dbURL, "MOSAIC_JWT_SECRET="+secret, "MOSAIC_BUNDLE_KEY="+testBundleKey)
	tokens, err := auth.NewTokens(auth.Config{Secret: []byte(secret)})
	require.NoError(t, err)
	token, err := tokens.Issue("test", auth.RolePublisher, time.Hour)
	require.NoError(t, err)

	dirB := t.TempDir()
	a, b := serve(t, bin, env, t.TempDir()), serve(t, bin, env, dirB)
	created := a.gql(t, token, `mutation { createEntry(input: {type: "product", slug: "lamp", fields: {name: "Northern lights lamp", sku: "LAMP-07", price: 40, currency: "EUR"}}) { id } }`)
	id := path(created, "createEntry", "id").(string)
	publish := `mutation($id: ID!) { publishEntry(id: $id) { status } }`
	found := func(s *server) bool {
		// With a token: public (key-less) delivery may be off.
		res := s.gql(t, token, `{ search(query: "northern") { total } }`)
		return path(res, "search", "total") == 1.0
	}
	eventuallyOn := func(what string, want bool, servers ...*server) {
		t.Helper()
		deadline := time.Now().Add(time.Second)
		for _, s := range servers {
			for found(s) != want {
				require.False(t, time.Now().After(deadline), "%s: not within a second on %s", what, s.url)
				time.Sleep(5 * time.Millisecond)
			}
		}
	}
	a.gql(t, token, publish, "id", id)
	eventuallyOn("publish", true, a, b)
	b.gql(t, token, `mutation($id: ID!) { unpublishEntry(id: $id) { status } }`, "id", id)
	eventuallyOn("unpublish", false, a, b)

	require.NoError(t, b.cmd.Process.Kill())
	_ = b.cmd.Wait()
	a.gql(t, token, publish, "id", id)
	b = serve(t, bin, env, dirB)
	require.True(t, found(b), "the restarted process caught up before it said it was ready")
}

// server is one `mosaic serve` process.
type server struct {
	cmd *exec.Cmd
	url string
}

// serve starts the binary on a free port and waits until /readyz passes,
// which includes the search index's first sync.
func serve(t *testing.T, bin string, env []string, dataDir string) *server {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--data-dir", dataDir)
	cmd.Env = env
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	})
	addr := regexp.MustCompile(`mosaic serving.*addr=(\S+)`)
	var url string
	scanner := bufio.NewScanner(stderr)
	for scanner.Scan() {
		if m := addr.FindStringSubmatch(scanner.Text()); m != nil {
			url = "http://" + m[1]
			break
		}
	}
	require.NotEmpty(t, url, "mosaic serve printed no address")
	go func() { _, _ = io.Copy(io.Discard, stderr) }()
	deadline := time.Now().Add(time.Minute)
	for {
		resp, err := http.Get(url + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return &server{cmd: cmd, url: url}
			}
		}
		require.False(t, time.Now().After(deadline), "mosaic serve never became ready")
		time.Sleep(20 * time.Millisecond)
	}
}

// gql posts a query with variables given as name, value pairs and returns
// its data, failing on any error.
func (s *server) gql(t *testing.T, token, query string, vars ...any) map[string]any {
	t.Helper()
	v := map[string]any{}
	for i := 0; i+1 < len(vars); i += 2 {
		v[vars[i].(string)] = vars[i+1]
	}
	body, _ := json.Marshal(map[string]any{"query": query, "variables": v})
	req, err := http.NewRequest(http.MethodPost, s.url+"/graphql", bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out struct {
		Data   map[string]any
		Errors []any
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	require.Empty(t, out.Errors)
	return out.Data
}

func path(v any, keys ...string) any {
	for _, k := range keys {
		m, _ := v.(map[string]any)
		v = m[k]
	}
	return v
}
