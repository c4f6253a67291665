package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/content"
)

// devRun is a `mosaic dev` run in-process on a data dir of its own.
type devRun struct {
	*server
	dir    string
	cancel context.CancelFunc
	done   chan error
}

// startDev runs `mosaic dev` on a data dir of its own until the test
// ends, and returns once it printed its address (it is serving then).
func startDev(t *testing.T) *devRun {
	t.Helper()
	dir, err := os.MkdirTemp("", "mosaic-devtest-")
	require.NoError(t, err)
	require.NoError(t, os.Chmod(dir, 0o755)) // the postgres user must enter it when we are root
	t.Cleanup(func() { os.RemoveAll(dir) })
	d := launchDev(t, "--data-dir", dir, "--log-level", "warn")
	d.dir = dir
	return d
}

// launchDev runs `mosaic dev` with flags (a data dir among them) until
// stopped or the test ends, and returns once it is serving.
func launchDev(t *testing.T, flags ...string) *devRun {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	d := &devRun{cancel: cancel, done: make(chan error, 1)}
	go func() {
		d.done <- run(ctx, append([]string{"dev", "--addr", "127.0.0.1:0"}, flags...), pw, io.Discard)
		pw.Close()
	}()
	t.Cleanup(func() { d.stop(t) })
	urlRe := regexp.MustCompile(`GraphQL\s+(http://\S+)/graphql`)
	scanner := bufio.NewScanner(pr)
	for scanner.Scan() {
		if m := urlRe.FindStringSubmatch(scanner.Text()); m != nil {
			d.server = &server{url: m[1]}
			break
		}
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	if d.server == nil {
		cancel()
		d.cancel = nil
		t.Fatalf("mosaic dev printed no GraphQL URL: %v", <-d.done)
	}
	return d
}

// stop ends the dev run (once) and checks it stopped cleanly.
func (d *devRun) stop(t *testing.T) {
	t.Helper()
	if d.cancel == nil {
		return
	}
	d.cancel()
	d.cancel = nil
	select {
	case err := <-d.done:
		require.NoError(t, err)
	case <-time.After(30 * time.Second):
		t.Fatal("mosaic dev did not stop after cancel")
	}
}

// answers checks that the dev server still serves content from its
// database: what a helper that stopped the database would break.
func (d *devRun) answers(t *testing.T, after string) {
	t.Helper()
	data := d.gql(t, "", `{ entry(slug: "home", type: "page") { id } }`)
	require.NotEmpty(t, path(data, "entry", "id"), "mosaic dev stopped answering after %s", after)
}

// TestHelpersBesideDev: user add, model export and import, seed and token
// work while `mosaic dev` runs on the same data dir, and the server goes
// on answering (they share its database and never stop it); a second dev
// and a reindex refuse, naming the running one; the database stops with
// the dev.
func TestHelpersBesideDev(t *testing.T) {
	t.Parallel()
	dev := startDev(t)
	ctx := context.Background()
	at := []string{"--data-dir", dev.dir}

	var out bytes.Buffer
	require.NoError(t, runUserIn(ctx, append([]string{"add", "--email", "beside@example.com", "--password-stdin"}, at...),
		strings.NewReader("correct horse battery\n"), &out, io.Discard))
	dev.answers(t, "user add")
	login := dev.gql(t, "", `mutation { login(email: "beside@example.com", password: "correct horse battery") { token } }`)
	require.NotEmpty(t, path(login, "login", "token"), "the user was added to the running server's database")

	var exported bytes.Buffer
	require.NoError(t, run(ctx, append([]string{"model", "export"}, at...), &exported, io.Discard))
	dev.answers(t, "model export")

	m, err := content.ParseModel(exported.Bytes())
	require.NoError(t, err)
	extra := m.Types[0]
	extra.Key, extra.Name = "besidenote", "Note added beside dev"
	m.Types = append(m.Types, extra)
	raw, err := json.Marshal(m)
	require.NoError(t, err)
	file := filepath.Join(t.TempDir(), "model.json")
	require.NoError(t, os.WriteFile(file, raw, 0o600))

	out.Reset()
	// The flag after the file: accepted where it stands.
	require.NoError(t, run(ctx, append([]string{"model", "import", file, "--dry-run"}, at...), &out, io.Discard))
	var rep content.ImportReport
	require.NoError(t, json.Unmarshal(out.Bytes(), &rep), out.String())
	require.Equal(t, []string{"besidenote"}, rep.Created)
	dev.answers(t, "model import --dry-run")

	out.Reset()
	require.NoError(t, run(ctx, append([]string{"model", "import", file}, at...), &out, io.Discard))
	require.Contains(t, out.String(), "created 1, updated 0")
	dev.answers(t, "model import")

	require.NoError(t, run(ctx, append([]string{"seed"}, at...), io.Discard, io.Discard))
	dev.answers(t, "seed")

	// A token from `mosaic token` is the running server's: it sees the
	// imported type with it.
	out.Reset()
	require.NoError(t, run(ctx, append([]string{"token", "--role", "editor"}, at...), &out, io.Discard))
	token := strings.TrimSpace(out.String())
	require.Eventually(t, func() bool {
		return path(dev.gql(t, token, `{ contentType(key: "besidenote") { key } }`), "contentType", "key") == "besidenote"
	}, 10*time.Second, 20*time.Millisecond, "the running server never saw the imported type")

	running := fmt.Sprintf("another mosaic dev (pid %d, %s) is running on the data dir %s", os.Getpid(), dev.url, dev.dir)
	err = run(ctx, []string{"dev", "--addr", "127.0.0.1:0", "--data-dir", dev.dir}, io.Discard, io.Discard)
	require.ErrorContains(t, err, running)
	dev.answers(t, "a second dev was refused")

	err = run(ctx, append([]string{"reindex"}, at...), io.Discard, io.Discard)
	require.ErrorContains(t, err, fmt.Sprintf("mosaic dev (pid %d, %s) is running", os.Getpid(), dev.url))
	dev.answers(t, "reindex was refused")

	dev.stop(t)
	require.NoFileExists(t, filepath.Join(dev.dir, "pg", "postmaster.pid"), "the last user stops the database")
	l, err := lockDev(dev.dir)
	require.NoError(t, err, "the data dir is free again for the next dev")
	l.release()
}
