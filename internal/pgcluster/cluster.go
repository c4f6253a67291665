package pgcluster

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Superuser is the role initdb creates; it connects without a password
// (trust authentication, loopback only).
const Superuser = "mosaic"

// Options configure Start.
type Options struct {
	// DataDir is the cluster's data directory; it is created and initialised
	// when missing or empty, and reused otherwise. Empty is allowed only with
	// Ephemeral: Start then makes a temporary directory that Stop removes.
	DataDir string
	// Port to listen on, on 127.0.0.1 only. 0 picks a free port: for a
	// persistent cluster the one it used last time when still free, so that
	// its URL is stable from run to run.
	Port int
	// Ephemeral trades durability for speed, for throwaway clusters:
	// initdb --no-sync, and fsync, synchronous_commit and full_page_writes
	// off. Never set it for data you want to keep: a machine crash can
	// corrupt such a cluster.
	Ephemeral bool
	// Settings are extra server settings passed as -c name=value, e.g.
	// {"max_connections": "300"}.
	Settings map[string]string
	// BinDir overrides discovery of the PostgreSQL binaries.
	BinDir string
	// Logger receives a line per lifecycle step; nil discards them.
	Logger *slog.Logger
}

// Cluster is a running PostgreSQL cluster started (or reused) by Start.
type Cluster struct {
	bins      binaries
	user      runAs
	dataDir   string
	removeDir string // temporary directory made by Start, removed by Stop
	port      int
	reused    bool
	log       *slog.Logger
	users     *fileLock // shared while this process uses a persistent cluster (share.go)
	// A standby (standby.go): the primary it follows, its replication
	// slot there, and the options Resume starts it with again.
	primaryURL string
	slot       string
	opts       Options

	mu      sync.Mutex
	stopped bool
}

// Start makes sure a PostgreSQL cluster runs on opts.DataDir and returns it.
// It runs initdb when the directory is new; reuses a postmaster that runs
// already (another process's, or one left by a crashed run) when it answers
// on an acceptable port (see the package documentation); restarts it
// otherwise, unless another process uses it; and removes a stale
// postmaster.pid.
func Start(ctx context.Context, opts Options) (_ *Cluster, err error) {
	begin := time.Now()
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	bins, err := findBinaries(opts.BinDir)
	if err != nil {
		return nil, err
	}
	user, err := currentRunAs()
	if err != nil {
		return nil, err
	}
	c := &Cluster{bins: bins, user: user, log: log}

	if opts.DataDir == "" {
		if !opts.Ephemeral {
			return nil, errors.New("pgcluster: Options.DataDir is required unless Options.Ephemeral is set")
		}
		var dir string // not :=, which would shadow err for the deferred cleanup
		if dir, err = os.MkdirTemp("", "mosaic-pg-"); err != nil {
			return nil, fmt.Errorf("creating a temporary data directory: %w", err)
		}
		c.dataDir, c.removeDir = filepath.Join(dir, "data"), dir
		defer func() {
			if err != nil {
				_ = os.RemoveAll(dir)
			}
		}()
		if err := user.chown(dir); err != nil { // MkdirTemp makes it 0700
			return nil, err
		}
	} else if c.dataDir, err = filepath.Abs(opts.DataDir); err != nil {
		return nil, fmt.Errorf("data directory %s: %w", opts.DataDir, err)
	}

	if err := c.prepareDir(); err != nil {
		return nil, err
	}
	alone := true
	if c.removeDir == "" { // a persistent cluster may be shared (share.go)
		var mu *fileLock // not :=, which would shadow err for the deferred leave
		if mu, err = c.lockStartStop(); err != nil {
			return nil, err
		}
		defer mu.close()
		if alone, err = c.join(); err != nil {
			return nil, err
		}
		defer func() {
			if err != nil {
				_, _ = c.leave()
			}
		}()
	}
	initialised, err := c.initIfNeeded(ctx, opts.Ephemeral)
	if err != nil {
		return nil, err
	}

	switch state, info := inspect(c.dataDir); state {
	case stateRunning:
		if (opts.Port == 0 || opts.Port == info.port) && c.answers(ctx, info.port) {
			c.port, c.reused = info.port, true
			log.InfoContext(ctx, "reusing running PostgreSQL cluster", "dir", c.dataDir, "port", c.port, "shared", !alone)
			return c, nil
		}
		if !alone {
			return nil, fmt.Errorf("the PostgreSQL server in %s (pid %d, port %d) is in use by another process, "+
				"so it is not restarted here: it does not answer, or it listens on another port than %d; "+
				"stop the other process (mosaic dev) first", c.dataDir, info.pid, info.port, opts.Port)
		}
		log.InfoContext(ctx, "restarting PostgreSQL cluster left running", "dir", c.dataDir, "pid", info.pid, "port", info.port)
		if err := c.stopServer(ctx); err != nil {
			return nil, err
		}
	case stateStale:
		log.InfoContext(ctx, "removing stale postmaster.pid", "dir", c.dataDir, "pid", info.pid)
		if err := removeStalePIDFile(c.dataDir); err != nil {
			return nil, err
		}
	}

	if err := c.startServer(ctx, opts); err != nil {
		// pg_ctl can give up (timeout, cancelled context) on a postmaster
		// that still comes up: never leave one behind.
		_ = c.stopServer(context.WithoutCancel(ctx))
		return nil, err
	}
	log.InfoContext(ctx, "PostgreSQL cluster started", "dir", c.dataDir, "port", c.port,
		"initdb", initialised, "took", time.Since(begin).Round(time.Millisecond))
	return c, nil
}

// URL returns a connection URL for database dbname as the superuser.
func (c *Cluster) URL(dbname string) string { return buildURL(c.port, dbname) }

func buildURL(port int, dbname string) string {
	u := url.URL{
		Scheme:   "postgres",
		User:     url.User(Superuser),
		Host:     net.JoinHostPort("127.0.0.1", strconv.Itoa(port)),
		Path:     "/" + dbname,
		RawQuery: "sslmode=disable",
	}
	return u.String()
}

// Port is the TCP port the cluster listens on, on 127.0.0.1.
func (c *Cluster) Port() int { return c.port }

// DataDir is the cluster's absolute data directory.
func (c *Cluster) DataDir() string { return c.dataDir }

// Reused reports whether Start found this cluster already running.
func (c *Cluster) Reused() bool { return c.reused }

// CreateDatabase creates database name unless it exists. Concurrent calls
// for the same name are fine.
func (c *Cluster) CreateDatabase(ctx context.Context, name string) error {
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		return fmt.Errorf("connecting to create database %q: %w", name, err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return fmt.Errorf("looking up database %q: %w", name, err)
	}
	if exists {
		return nil
	}
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42P04" { // duplicate_database: lost a race, fine
		return nil
	}
	if err != nil {
		return fmt.Errorf("creating database %q: %w", name, err)
	}
	return nil
}

// Stop shuts the server down (pg_ctl stop -m fast: open sessions are
// terminated, no data is lost) and, for a cluster in a temporary directory,
// removes the directory. A persistent cluster that another process still
// uses is left running for it (share.go): this process only lets go.
// Calling it again does nothing.
func (c *Cluster) Stop(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped {
		return nil
	}
	c.stopped = true
	begin := time.Now()
	if c.removeDir == "" {
		mu, err := c.lockStartStop()
		if err != nil {
			return err
		}
		defer mu.close()
		last, err := c.leave()
		if err != nil {
			return err
		}
		if !last {
			c.log.InfoContext(ctx, "PostgreSQL cluster left running: another process uses it", "dir", c.dataDir, "port", c.port)
			return nil
		}
	}
	err := c.stopServer(ctx)
	if err == nil {
		err = c.dropSlot(ctx)
	}
	if c.removeDir != "" {
		if rmErr := os.RemoveAll(c.removeDir); rmErr != nil {
			err = errors.Join(err, fmt.Errorf("removing %s: %w", c.removeDir, rmErr))
		}
	}
	c.log.InfoContext(ctx, "PostgreSQL cluster stopped", "dir", c.dataDir, "took", time.Since(begin).Round(time.Millisecond), "error", err)
	return err
}

// prepareDir creates the data directory's parent and checks that the
// postgres user can reach it when we are root.
func (c *Cluster) prepareDir() error {
	parent := filepath.Dir(c.dataDir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("creating the parent of data directory %s: %w", c.dataDir, err)
	}
	return c.user.checkTraversable(parent)
}

// initIfNeeded runs initdb when the data directory is missing or empty, and
// checks that an existing one matches the binaries' major version.
//
// initdb works in a sibling directory renamed into place when complete: a
// run killed half-way through initdb (Ctrl-C on the first `mosaic dev`)
// must not leave a data directory that looks initialised but is not.
func (c *Cluster) initIfNeeded(ctx context.Context, ephemeral bool) (bool, error) {
	major, err := c.bins.majorVersion(ctx)
	if err != nil {
		return false, err
	}
	pgVersion, err := os.ReadFile(filepath.Join(c.dataDir, "PG_VERSION"))
	if err == nil {
		if have := strings.TrimSpace(string(pgVersion)); have != major {
			return false, fmt.Errorf("data directory %s was made by PostgreSQL %s but the binaries in %s are PostgreSQL %s: "+
				"remove the directory (its data is lost), or install PostgreSQL %s", c.dataDir, have, c.bins.dir, major, have)
		}
		return false, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return false, fmt.Errorf("reading PG_VERSION: %w", err)
	}
	entries, err := os.ReadDir(c.dataDir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return false, fmt.Errorf("reading data directory: %w", err)
	}
	if len(entries) > 0 {
		return false, fmt.Errorf("%s is neither empty nor a PostgreSQL data directory: remove it or choose another directory", c.dataDir)
	}

	tmp := c.dataDir + ".initdb"
	if err := os.RemoveAll(tmp); err != nil { // left by a run killed during initdb
		return false, fmt.Errorf("removing %s: %w", tmp, err)
	}
	if err := os.Mkdir(tmp, 0o700); err != nil {
		return false, fmt.Errorf("creating %s: %w", tmp, err)
	}
	if err := c.user.chown(tmp); err != nil {
		return false, err
	}
	args := []string{"-D", tmp, "--auth=trust", "--username=" + Superuser, "--encoding=UTF8", "--locale=C"}
	if ephemeral {
		args = append(args, "--no-sync")
	}
	if out, err := c.run(ctx, c.bins.initdb, args...); err != nil {
		_ = os.RemoveAll(tmp)
		return false, fmt.Errorf("initdb %s: %w\n%s", c.dataDir, err, out)
	}
	if err := os.Remove(c.dataDir); err != nil && !errors.Is(err, os.ErrNotExist) {
		return false, fmt.Errorf("replacing empty data directory %s: %w", c.dataDir, err)
	}
	if err := os.Rename(tmp, c.dataDir); err != nil {
		return false, fmt.Errorf("moving the new cluster into place: %w", err)
	}
	return true, nil
}

// run runs a PostgreSQL program as c.user and returns its combined output.
func (c *Cluster) run(ctx context.Context, name string, args ...string) ([]byte, error) {
	cmd := c.user.command(ctx, name, args...)
	// pg_ctl start hands its output to the log file, but if anything ever
	// kept our pipe open Wait would block for the server's lifetime.
	cmd.WaitDelay = 5 * time.Second
	return cmd.CombinedOutput()
}

// cleanEnv drops PG* variables: PGPORT, PGDATA or PGOPTIONS inherited from
// the user's shell would silently change what pg_ctl and the server do.
func cleanEnv(env []string) []string {
	out := env[:0:0]
	for _, kv := range env {
		if !strings.HasPrefix(kv, "PG") {
			out = append(out, kv)
		}
	}
	return out
}
