package main

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
	"strconv"
	"strings"
	"syscall"
	"time"
)

// mosaic is a `mosaic dev` process this script started.
type mosaic struct {
	bin, dir string
	cmd      *exec.Cmd
	base     string // http://127.0.0.1:port
	dbURL    string
	token    string // admin
	log      *bytes.Buffer
}

// startMosaic runs bin dev on a fresh data dir with env added, and waits
// until it answers.
func startMosaic(ctx context.Context, bin, addr string, env []string) (*mosaic, error) {
	dir, err := os.MkdirTemp("", "mosaic-load-")
	if err != nil {
		return nil, err
	}
	// PostgreSQL runs as the postgres user when we are root: it must reach
	// the data dir.
	if err := os.Chmod(dir, 0o755); err != nil {
		return nil, err
	}
	m := &mosaic{bin: bin, dir: dir, log: &bytes.Buffer{}}
	m.cmd = exec.Command(bin, "dev", "--addr", addr, "--data-dir", dir)
	m.cmd.Env = append(os.Environ(), env...)
	m.cmd.Stderr = m.log
	// If this script dies, mosaic gets the Ctrl-C it would have got.
	m.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGINT}
	out, err := m.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := m.cmd.Start(); err != nil {
		return nil, err
	}
	ready := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(out)
		sent := false
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			switch {
			case strings.HasPrefix(line, "GraphQL "):
				m.base = strings.TrimSuffix(strings.TrimSpace(strings.TrimPrefix(line, "GraphQL")), "/graphql")
			case strings.HasPrefix(line, "Database "):
				m.dbURL = strings.TrimSpace(strings.TrimPrefix(line, "Database"))
			case strings.HasPrefix(line, "Press Ctrl-C") && !sent:
				ready <- nil
				sent = true
			}
		}
		if !sent {
			ready <- errors.New("mosaic dev exited before it was ready")
		}
	}()
	select {
	case err = <-ready:
	case <-time.After(3 * time.Minute):
		err = errors.New("mosaic dev not ready after 3 minutes")
	case <-ctx.Done():
		err = ctx.Err()
	}
	if err == nil && (m.base == "" || m.dbURL == "") {
		err = errors.New("mosaic dev printed no GraphQL or Database address")
	}
	if err == nil {
		m.token, err = m.adminToken(ctx)
	}
	if err != nil {
		m.stop()
		return nil, fmt.Errorf("%w\n%s", err, m.log.String())
	}
	return m, nil
}

func (m *mosaic) adminToken(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, m.bin, "token", "--role", "admin", "--data-dir", m.dir).Output()
	if err != nil {
		return "", fmt.Errorf("mosaic token: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// stop sends the Ctrl-C `mosaic dev` expects (it stops its PostgreSQL
// cluster), waits, and removes the data dir.
func (m *mosaic) stop() {
	if m.cmd.Process != nil {
		_ = m.cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = m.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			_ = m.cmd.Process.Kill()
			<-done
		}
	}
	_ = os.RemoveAll(m.dir)
}

func (m *mosaic) pid() int { return m.cmd.Process.Pid }

// graphql runs a management operation with the admin token.
func (m *mosaic) graphql(ctx context.Context, query string, vars map[string]any, out any) error {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, m.base+"/graphql", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+m.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var r struct {
		Data   json.RawMessage `json:"data"`
		Errors []any           `json:"errors"`
	}
	if err := json.Unmarshal(raw, &r); err != nil || len(r.Errors) > 0 {
		return fmt.Errorf("graphql %.60q: %s", query, raw)
	}
	if out != nil {
		return json.Unmarshal(r.Data, out)
	}
	return nil
}

// postmaster is the PID of the dev cluster's PostgreSQL server.
func (m *mosaic) postmaster() int {
	matches, _ := filepath.Glob(filepath.Join(m.dir, "*", "postmaster.pid"))
	matches2, _ := filepath.Glob(filepath.Join(m.dir, "*", "*", "postmaster.pid"))
	for _, p := range append(matches, matches2...) {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		line, _, _ := strings.Cut(string(b), "\n")
		if pid, err := strconv.Atoi(strings.TrimSpace(line)); err == nil {
			return pid
		}
	}
	return 0
}

// procCPU is a process's user+system CPU time.
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// Fields after the command name (which may hold spaces) in parens.
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	k, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+k) * time.Second / 100 // USER_HZ is 100 on Linux
}

func parentOf(pid int) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	ppid, _ := strconv.Atoi(f[1])
	return ppid
}

// treeCPU is the CPU time of pid and its children (PostgreSQL's backends).
func treeCPU(pid int) time.Duration {
	if pid == 0 {
		return 0
	}
	total := procCPU(pid)
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		child, err := strconv.Atoi(e.Name())
		if err == nil && parentOf(child) == pid {
			total += procCPU(child)
		}
	}
	return total
}

// memory is a process's resident set now and at its peak, in MB.
//
// anon is RssAnon: the resident size less the binary's and other files'
// pages (mosaic's binary is ~90 MB, ~60 MB of it resident once serving),
// which is what the heap, the caches and the stacks take.
func memory(pid int) (rss, hwm, anon float64) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
		switch k {
		case "VmRSS":
			rss = kb / 1024
		case "VmHWM":
			hwm = kb / 1024
		case "RssAnon":
			anon = kb / 1024
		}
	}
	return rss, hwm, anon
}

func loadAvg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}
