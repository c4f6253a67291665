package client

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestAgainstMosaic runs the client against a real `mosaic dev` (private
// PostgreSQL, demo content): it must show the seeded winter sale on time,
// switch back at its end with the server stopped, and reconnect by itself
// when the server returns.
func TestAgainstMosaic(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test: builds and runs `mosaic dev` with a private PostgreSQL; run without -short")
	}
	if os.Getenv("DATABASE_URL") == "" && !havePostgres() {
		t.Fatal("PostgreSQL server binaries (initdb, pg_ctl, postgres) not found: install them " +
			"(Debian: apt-get install postgresql-15) or run with -short to skip this test")
	}
	repo, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	// Not t.TempDir: its parents are 0700, and mosaic dev's PostgreSQL runs
	// as the postgres user when the test runs as root.
	dir, err := os.MkdirTemp("", "mosaic-iot-it-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// make test-iot passes the binary it just built; alone, build one.
	bin := os.Getenv("MOSAIC_BIN")
	if bin == "" {
		bin = filepath.Join(dir, "mosaic")
		build := exec.Command("go", "build", "-C", repo, "-o", bin, "./cmd/mosaic")
		if out, err := build.CombinedOutput(); err != nil {
			t.Fatalf("building mosaic: %v\n%s", err, out)
		}
	}
	data := filepath.Join(dir, "data")
	if err := os.Mkdir(data, 0o755); err != nil {
		t.Fatal(err)
	}
	// Port 0, and the address mosaic printed: a port found free here and
	// bound there could be taken in between.
	srv := startMosaic(t, bin, "127.0.0.1:0", data)
	addr := srv.addr
	api := "http://" + addr

	type seen struct {
		Change
		arrived time.Time
	}
	changes := make(chan seen, 64)
	logs := &logBuffer{}
	c, err := New(Config{API: api, Screen: "lobby", Channel: "kiosk", Device: "kiosk", Locale: "en", ID: "it-unit",
		StateDir: filepath.Join(dir, "state"), Horizon: 72, Assets: true, Log: logs.logger(),
		OnChange: func(ch Change) { changes <- seen{ch, time.Now()} }})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = c.Run(ctx); close(done) }()
	t.Cleanup(func() {
		cancel()
		<-done
		if t.Failed() || os.Getenv("IOT_TEST_LOG") != "" {
			t.Logf("client log:\n%s", logs)
		}
	})
	next := func(what string, within time.Duration) seen {
		t.Helper()
		select {
		case s := <-changes:
			t.Logf("printed: %s", s.Change)
			return s
		case <-time.After(within):
			t.Fatalf("no change printed within %s (%s)", within, what)
			return seen{}
		}
	}

	first := next("the current frame", 15*time.Second)
	if first.Cause != "start" || first.Variant != "kiosk" || !strings.Contains(first.Title, "Tap the screen") {
		t.Fatalf("first frame: %+v", first.Change)
	}
	// The unit reports the frame it shows soon after showing it, not a
	// whole heartbeat interval (30 s) later: the fleet view has it ONLINE.
	eventually(t, 15*time.Second, "the fleet to list the unit ONLINE on its first frame", func() bool {
		var fleet struct {
			ScreenFleet []struct{ ScreenID, State, Frame, Client string } `json:"screenFleet"`
		}
		graphql(t, api, srv.token, `{ screenFleet(screen: "lobby") { screenId state frame client } }`, nil, &fleet)
		for _, u := range fleet.ScreenFleet {
			if u.ScreenID == "it-unit" {
				return u.State == "ONLINE" && u.Frame == first.Frame && u.Client == UserAgent
			}
		}
		return false
	})

	// Schedule the seeded winter sale: starts in 3 s, 4 s long (the server
	// needs up to ~2 s to stop, and must be down before the end).
	var camp struct {
		Campaign struct{ ID string } `json:"campaign"`
	}
	graphql(t, api, srv.token, `{ campaign(key: "winter-sale") { id } }`, nil, &camp)
	startsAt := time.Now().Add(3 * time.Second).UTC().Truncate(time.Millisecond)
	var sched struct {
		ScheduleCampaign struct{ StartsAt, EndsAt time.Time } `json:"scheduleCampaign"`
	}
	graphql(t, api, srv.token, `mutation($id: ID!, $s: DateTime!, $e: DateTime!) {
		scheduleCampaign(id: $id, startsAt: $s, endsAt: $e) { startsAt endsAt } }`,
		map[string]any{"id": camp.Campaign.ID, "s": startsAt, "e": startsAt.Add(4 * time.Second)}, &sched)
	startsAt, endsAt := sched.ScheduleCampaign.StartsAt, sched.ScheduleCampaign.EndsAt

	sale := next("the sale", 6*time.Second)
	if sale.Variant != "winter-sale" || !strings.Contains(sale.Title, "Winter sale") || sale.Cause != "boundary" {
		t.Fatalf("at startsAt: %+v", sale.Change)
	}
	// A boundary switch (not a refetch) near startsAt: bounds for a loaded
	// machine, not a timing figure (those are in bench/RESULTS.md).
	if d := sale.arrived.Sub(startsAt); d < -500*time.Millisecond || d > 2*time.Second {
		t.Fatalf("the sale showed %s after startsAt", d)
	}

	srv.stop(t)
	if now := time.Now(); !now.Before(endsAt) {
		t.Fatalf("mosaic stopped only %s after endsAt: cannot test switching while it is down", now.Sub(endsAt))
	}
	stopped := c.Stats()

	back := next("the end of the sale, server down", time.Until(endsAt)+3*time.Second)
	if back.Variant != "kiosk" || !strings.Contains(back.Title, "Tap the screen") {
		t.Fatalf("at endsAt: %+v", back.Change)
	}
	if back.Cause != "boundary" {
		t.Fatalf("at endsAt, not a boundary switch: %+v", back.Change)
	}
	if d := back.arrived.Sub(endsAt); d < -500*time.Millisecond || d > 2*time.Second {
		t.Fatalf("switched back %s after endsAt", d)
	}
	if s := c.Stats(); s.Fetched+s.NotModified != stopped.Fetched+stopped.NotModified {
		t.Fatal("the bundle was fetched while the server was down")
	}

	// The server returns on the same port and data: the client finds it
	// again on its own (its event stream and a revalidation succeed).
	startMosaic(t, bin, addr, data)
	eventually(t, 40*time.Second, "the client to reconnect", func() bool {
		s := c.Stats()
		return s.Streams > stopped.Streams && s.Fetched+s.NotModified > stopped.Fetched+stopped.NotModified
	})
	select {
	case s := <-changes:
		t.Fatalf("a change after the reconnect, with nothing changed: %s", s.Change)
	default:
	}
}

type mosaicProc struct {
	cmd    *exec.Cmd
	addr   string // host:port it listens on, as it printed it
	token  string
	stderr *logBuffer
	exited chan struct{}
}

// startMosaic runs `mosaic dev` as frontend-examples/tests/harness.mjs
// does and waits for the editor token it prints.
func startMosaic(t *testing.T, bin, addr, data string) *mosaicProc {
	t.Helper()
	p := &mosaicProc{stderr: &logBuffer{}, exited: make(chan struct{})}
	p.cmd = exec.Command(bin, "dev", "--addr", addr, "--data-dir", data, "--log-level", "warn")
	p.cmd.Stderr = p.stderr
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	tokens := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		afterLabel := false
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if home, ok := strings.CutPrefix(line, "Home"); ok && p.addr == "" {
				p.addr = strings.TrimSuffix(strings.TrimPrefix(strings.Fields(home)[0], "http://"), "/")
			}
			if afterLabel && line != "" {
				tokens <- line
				afterLabel = false
			}
			if strings.HasPrefix(line, "Editor token") {
				afterLabel = true
			}
		}
		_ = p.cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() { p.stop(t) })
	select {
	case p.token = <-tokens:
		return p
	case <-p.exited:
		t.Fatalf("mosaic dev exited before it was ready:\n%s", p.stderr)
	case <-time.After(60 * time.Second):
		t.Fatalf("mosaic dev was not ready in 60 s:\n%s", p.stderr)
	}
	return nil
}

// stop sends SIGINT, as Ctrl-C would, and waits for the exit.
func (p *mosaicProc) stop(t *testing.T) {
	select {
	case <-p.exited:
		return
	default:
	}
	_ = p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.exited:
	case <-time.After(20 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.exited
		t.Errorf("mosaic dev did not stop on SIGINT within 20 s:\n%s", p.stderr)
	}
}

func graphql(t *testing.T, api, token, query string, vars map[string]any, out any) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, api+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var res struct {
		Data   json.RawMessage `json:"data"`
		Errors []struct {
			Message string `json:"message"`
		} `json:"errors"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		t.Fatalf("GraphQL answer (HTTP %d): %v", resp.StatusCode, err)
	}
	if len(res.Errors) > 0 {
		t.Fatalf("GraphQL: %s", res.Errors[0].Message)
	}
	if err := json.Unmarshal(res.Data, out); err != nil {
		t.Fatal(err)
	}
}

// havePostgres looks where mosaic dev looks (internal/pgcluster).
func havePostgres() bool {
	if _, err := exec.LookPath("initdb"); err == nil {
		return true
	}
	for _, g := range []string{"/usr/lib/postgresql/*/bin/initdb", "/usr/pgsql-*/bin/initdb",
		"/opt/homebrew/opt/postgresql@*/bin/initdb", "/usr/local/opt/postgresql@*/bin/initdb"} {
		if m, _ := filepath.Glob(g); len(m) > 0 {
			return true
		}
	}
	return false
}
