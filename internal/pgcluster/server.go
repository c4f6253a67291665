package pgcluster

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

const (
	logFileName  = "mosaic-server.log"
	portFileName = "mosaic.port" // last port of a persistent cluster
	// maxSocketPath is sizeof(sun_path) minus the NUL; PostgreSQL refuses a
	// longer socket path.
	maxSocketPath = 107
	// pgCtlWait bounds pg_ctl's own waiting for start and stop.
	pgCtlWait = "60"
)

var errPortInUse = errors.New("port already in use")

// startServer starts the postmaster, retrying on another port when a port
// we picked ourselves was taken in the meantime (parallel test processes
// pick ports at the same time).
func (c *Cluster) startServer(ctx context.Context, opts Options) error {
	for attempt := 1; ; attempt++ {
		port := opts.Port
		if port == 0 {
			var err error
			if port, err = c.choosePort(opts.Ephemeral || attempt > 1); err != nil {
				return err
			}
		}
		err := c.pgCtlStart(ctx, port, opts)
		if err == nil {
			c.port = port
			if !opts.Ephemeral {
				// Best effort: only makes the next run's URL the same.
				_ = os.WriteFile(filepath.Join(c.dataDir, portFileName), []byte(strconv.Itoa(port)+"\n"), 0o644)
			}
			return nil
		}
		if opts.Port != 0 || attempt == 3 || !errors.Is(err, errPortInUse) {
			return err
		}
		c.log.InfoContext(ctx, "port taken, retrying on another", "port", port)
	}
}

// choosePort returns the port a persistent cluster used last time when it
// is still free, else any free loopback port.
func (c *Cluster) choosePort(fresh bool) (int, error) {
	if !fresh {
		if b, err := os.ReadFile(filepath.Join(c.dataDir, portFileName)); err == nil {
			if p, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && p > 0 && portFree(p) {
				return p, nil
			}
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("finding a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func portFree(p int) bool {
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
	if err != nil {
		return false
	}
	_ = l.Close()
	return true
}

func (c *Cluster) pgCtlStart(ctx context.Context, port int, opts Options) error {
	logPath := filepath.Join(c.dataDir, logFileName)
	// Keep the previous run's log for post-mortems, and start this one
	// afresh so that the lines quoted in an error are this run's.
	if err := os.Rename(logPath, logPath+".1"); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("rotating %s: %w", logPath, err)
	}
	// pg_ctl runs the server through /bin/sh, so -o is a shell string.
	serverArgs := []string{"-p", strconv.Itoa(port), "-c", "listen_addresses=127.0.0.1"}
	if len(c.dataDir)+len("/.s.PGSQL.")+len(strconv.Itoa(port)) <= maxSocketPath {
		serverArgs = append(serverArgs, "-k", shQuote(c.dataDir))
	} else {
		serverArgs = append(serverArgs, "-c", "unix_socket_directories=''")
	}
	if opts.Ephemeral {
		serverArgs = append(serverArgs, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
	}
	for _, k := range slices.Sorted(maps.Keys(opts.Settings)) {
		serverArgs = append(serverArgs, "-c", shQuote(k+"="+opts.Settings[k]))
	}
	out, err := c.run(ctx, c.bins.pgCtl, "start", "-D", c.dataDir, "-w", "-t", pgCtlWait,
		"-l", logPath, "-o", strings.Join(serverArgs, " "))
	if err == nil {
		return nil
	}
	tail := logTail(logPath, 15)
	if strings.Contains(tail, "could not bind") || strings.Contains(tail, "already in use") {
		err = fmt.Errorf("%w: %w", errPortInUse, err)
	}
	return fmt.Errorf("starting PostgreSQL on port %d (pg_ctl start): %w\n%s\nlast lines of %s:\n%s",
		port, err, strings.TrimSpace(string(out)), logPath, tail)
}

// stopServer stops the postmaster on c.dataDir if one runs: fast mode
// first (sessions terminated, shutdown checkpoint), immediate mode if that
// fails. A stale postmaster.pid is removed.
func (c *Cluster) stopServer(ctx context.Context) error {
	switch state, _ := inspect(c.dataDir); state {
	case stateStopped:
		return nil
	case stateStale:
		return removeStalePIDFile(c.dataDir)
	}
	out, err := c.run(ctx, c.bins.pgCtl, "stop", "-D", c.dataDir, "-m", "fast", "-w", "-t", pgCtlWait)
	if err == nil {
		return nil
	}
	if state, _ := inspect(c.dataDir); state != stateRunning {
		return nil // it went away on its own (or was stopped by someone else)
	}
	c.log.WarnContext(ctx, "fast shutdown failed, trying immediate", "dir", c.dataDir, "error", err, "output", string(out))
	if out, err := c.run(context.WithoutCancel(ctx), c.bins.pgCtl, "stop", "-D", c.dataDir, "-m", "immediate", "-w", "-t", pgCtlWait); err != nil {
		return fmt.Errorf("stopping PostgreSQL in %s: %w\n%s", c.dataDir, err, out)
	}
	return nil
}

// answers reports whether the server on port accepts connections and serves
// our data directory (and not some other cluster that took the port). It
// waits a little for a server that is still starting up.
func (c *Cluster) answers(ctx context.Context, port int) bool {
	if port <= 0 {
		return false
	}
	want, err := filepath.EvalSymlinks(c.dataDir)
	if err != nil {
		want = c.dataDir
	}
	deadline := time.Now().Add(3 * time.Second)
	for {
		if dir, err := serverDataDir(ctx, port); err == nil {
			if real, err := filepath.EvalSymlinks(dir); err == nil {
				dir = real
			}
			return dir == want
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return false
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func serverDataDir(ctx context.Context, port int) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, buildURL(port, "postgres"))
	if err != nil {
		return "", err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var dir string
	err = conn.QueryRow(ctx, "SHOW data_directory").Scan(&dir)
	return dir, err
}

// shQuote quotes s for /bin/sh.
func shQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// logTail returns the last n lines of the server log, or a note why not.
func logTail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "(" + err.Error() + ")"
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
