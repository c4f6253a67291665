package replicas

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// StartTimeout bounds a process's start (migrations included).
const StartTimeout = 60 * time.Second

var (
	buildMu  sync.Mutex
	buildDir string
)

// Build compiles ./cmd/mosaic once per test binary and returns its path.
// Every test of the binary shares it, so it lives in a directory of its
// own rather than one test's TempDir; Cleanup (from TestMain) removes it.
func Build(t testing.TB) string {
	t.Helper()
	buildMu.Lock()
	defer buildMu.Unlock()
	if buildDir != "" {
		return filepath.Join(buildDir, "mosaic")
	}
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "mosaic-replicas-")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "build", "-o", filepath.Join(dir, "mosaic"), "./cmd/mosaic")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		_ = os.RemoveAll(dir)
		t.Fatalf("go build ./cmd/mosaic: %v\n%s", err, out)
	}
	buildDir = dir
	return filepath.Join(dir, "mosaic")
}

// Cleanup removes what Build made; call it from TestMain after m.Run.
func Cleanup() {
	buildMu.Lock()
	defer buildMu.Unlock()
	if buildDir != "" {
		_ = os.RemoveAll(buildDir)
		buildDir = ""
	}
}

func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("finding the module: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("not inside the mosaic module")
	}
	return filepath.Dir(gomod), nil
}

// Config is what every process of a set shares.
type Config struct {
	Bin         string
	DatabaseURL string
	Secret      string
	// BundleKey is MOSAIC_BUNDLE_KEY, shared by every process (serve
	// requires one); "" uses DefaultBundleKey.
	BundleKey string
	// Env adds MOSAIC_* settings (e.g. MOSAIC_EVENTS_HEARTBEAT=1s).
	Env []string
}

// DefaultBundleKey is the bundle signing seed processes share unless
// Config.BundleKey says otherwise.
const DefaultBundleKey = "bW9zYWljLXRlc3QtYnVuZGxlLXNlZWQtMzItYnl0ZXM="

func (c Config) bundleKey() string {
	if c.BundleKey != "" {
		return c.BundleKey
	}
	return DefaultBundleKey
}

// Run runs a one-shot subcommand (seed, migrate) against cfg's database.
func Run(t testing.TB, cfg Config, args ...string) {
	t.Helper()
	cmd := exec.Command(cfg.Bin, args...)
	cmd.Env = append(os.Environ(), "DATABASE_URL="+cfg.DatabaseURL, "MOSAIC_JWT_SECRET="+cfg.Secret,
		"MOSAIC_DATA_DIR="+t.TempDir())
	cmd.Env = append(cmd.Env, cfg.Env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("mosaic %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// Process is one running `mosaic serve`.
type Process struct {
	Name string
	// URL is http://127.0.0.1:<port>.
	URL string

	cmd    *exec.Cmd
	exited chan struct{}
	mu     sync.Mutex
	lines  []map[string]any
	raw    bytes.Buffer
}

// Start runs `mosaic serve` on a free loopback port with a data dir of its
// own, and returns once it answers /readyz. The process is killed when the
// test ends, if still running.
func Start(t testing.TB, cfg Config, name string) *Process {
	t.Helper()
	return StartIn(t, cfg, name, t.TempDir())
}

// StartIn is Start with the data dir given: a process restarted after a
// crash in the data dir the killed one used.
func StartIn(t testing.TB, cfg Config, name, dataDir string) *Process {
	t.Helper()
	p := &Process{Name: name, exited: make(chan struct{})}
	p.cmd = exec.Command(cfg.Bin, "serve")
	p.cmd.Env = append(os.Environ(),
		"DATABASE_URL="+cfg.DatabaseURL, "MOSAIC_JWT_SECRET="+cfg.Secret, "MOSAIC_BUNDLE_KEY="+cfg.bundleKey(), "MOSAIC_ADDR=127.0.0.1:0",
		"MOSAIC_DATA_DIR="+dataDir, "MOSAIC_LOG_FORMAT=json", "MOSAIC_LOG_LEVEL=info")
	p.cmd.Env = append(p.cmd.Env, cfg.Env...)
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", name, err)
	}
	addr := make(chan string, 1)
	go p.readLog(stderr, addr)
	go func() { _ = p.cmd.Wait(); close(p.exited) }()
	t.Cleanup(func() { p.Stop(10 * time.Second) })

	select {
	case a := <-addr:
		p.URL = "http://" + a
	case <-p.exited:
		t.Fatalf("%s exited during start-up:\n%s", name, p.Log())
	case <-time.After(StartTimeout):
		t.Fatalf("%s did not start within %s:\n%s", name, StartTimeout, p.Log())
	}
	deadline := time.Now().Add(StartTimeout)
	for {
		resp, err := http.Get(p.URL + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never became ready:\n%s", name, p.Log())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (p *Process) readLog(r io.Reader, addr chan<- string) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var line map[string]any
		_ = json.Unmarshal(sc.Bytes(), &line)
		p.mu.Lock()
		p.raw.Write(sc.Bytes())
		p.raw.WriteByte('\n')
		if line != nil {
			p.lines = append(p.lines, line)
		}
		p.mu.Unlock()
		if line["msg"] == "mosaic serving" {
			a, _ := line["addr"].(string)
			addr <- a
		}
	}
}

// Log is everything the process logged.
func (p *Process) Log() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.raw.String()
}

// Logged reports whether the process logged a line with message msg.
func (p *Process) Logged(msg string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, l := range p.lines {
		if l["msg"] == msg {
			return true
		}
	}
	return false
}

// Kill ends the process with SIGKILL, as a crash would, and waits.
func (p *Process) Kill() {
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.exited
}

// Stop asks the process to shut down (SIGTERM) and kills it after grace.
func (p *Process) Stop(grace time.Duration) {
	select {
	case <-p.exited:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(grace):
		p.Kill()
	}
}

// GraphQL posts a query with a bearer token and returns data, failing on
// any GraphQL error.
func (p *Process) GraphQL(ctx context.Context, token, query string, vars map[string]any) (map[string]any, error) {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.URL+"/graphql", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out struct {
		Data   map[string]any   `json:"data"`
		Errors []map[string]any `json:"errors"`
	}
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("HTTP %d, not JSON: %s", resp.StatusCode, raw)
	}
	if len(out.Errors) > 0 {
		return out.Data, fmt.Errorf("GraphQL errors: %v", out.Errors)
	}
	return out.Data, nil
}
