package pgcluster

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// dataDir returns a not-yet-existing data directory path the postgres user
// can reach when the tests run as root: t.TempDir makes 0700 directories.
func dataDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, d := range []string{dir, filepath.Dir(dir)} {
		require.NoError(t, os.Chmod(d, 0o755))
	}
	return filepath.Join(dir, "pg")
}

func start(t *testing.T, opts Options) *Cluster {
	t.Helper()
	c, err := Start(t.Context(), opts)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, c.Stop(context.Background())) })
	return c
}

func query(t *testing.T, url, sql string, dest ...any) {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), url)
	require.NoError(t, err)
	defer conn.Close(context.Background())
	if len(dest) == 0 {
		_, err = conn.Exec(t.Context(), sql)
	} else {
		err = conn.QueryRow(t.Context(), sql).Scan(dest...)
	}
	require.NoError(t, err)
}

func TestEphemeral(t *testing.T) {
	t.Parallel()
	begin := time.Now()
	c, err := Start(t.Context(), Options{Ephemeral: true})
	require.NoError(t, err)
	t.Logf("ephemeral cluster started in %v", time.Since(begin))
	dir := c.DataDir()

	var fsync string
	query(t, c.URL("postgres"), "SHOW fsync", &fsync)
	require.Equal(t, "off", fsync)

	require.NoError(t, c.CreateDatabase(t.Context(), "some-db"))
	require.NoError(t, c.CreateDatabase(t.Context(), "some-db"), "CreateDatabase is idempotent")
	var db string
	query(t, c.URL("some-db"), "SELECT current_database()", &db)
	require.Equal(t, "some-db", db)

	begin = time.Now()
	require.NoError(t, c.Stop(t.Context()))
	t.Logf("stopped in %v", time.Since(begin))
	require.NoError(t, c.Stop(t.Context()), "Stop is safe twice")
	require.NoDirExists(t, dir, "Stop removes the temporary directory")
}

func TestPersistentRestartKeepsDataAndPort(t *testing.T) {
	t.Parallel()
	dir := dataDir(t)
	c, err := Start(t.Context(), Options{DataDir: dir})
	require.NoError(t, err)
	require.False(t, c.Reused())
	query(t, c.URL("postgres"), "CREATE TABLE kept (id int)")
	port := c.Port()
	require.NoError(t, c.Stop(t.Context()))
	require.NoFileExists(t, filepath.Join(dir, pidFileName))

	c = start(t, Options{DataDir: dir})
	require.False(t, c.Reused(), "the server was stopped: nothing to reuse")
	require.Equal(t, port, c.Port(), "a persistent cluster keeps its port while it is free")
	var n int
	query(t, c.URL("postgres"), "SELECT count(*) FROM kept", &n)
}

// crash makes c look like the cluster of a process that died without
// calling Stop: the kernel drops its locks, and nothing stops its server.
func crash(c *Cluster) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stopped = true
	if c.users != nil {
		c.users.close()
		c.users = nil
	}
}

func TestReuseAfterCrashedRun(t *testing.T) {
	t.Parallel()
	dir := dataDir(t)
	// A run that crashed: its cluster is left running, never stopped.
	orphan, err := Start(t.Context(), Options{DataDir: dir})
	require.NoError(t, err)
	crash(orphan)

	c, err := Start(t.Context(), Options{DataDir: dir})
	require.NoError(t, err)
	require.True(t, c.Reused())
	require.Equal(t, orphan.Port(), c.Port())
	var one int
	query(t, c.URL("postgres"), "SELECT 1", &one)
	crash(c)

	// Asking for another port restarts the server there: nobody uses it.
	other, err := (&Cluster{}).choosePort(true)
	require.NoError(t, err)
	moved := start(t, Options{DataDir: dir, Port: other})
	require.False(t, moved.Reused())
	require.Equal(t, other, moved.Port())
	query(t, moved.URL("postgres"), "SELECT 1", &one)
	require.NoError(t, moved.Stop(t.Context()))
	require.NoFileExists(t, filepath.Join(dir, pidFileName), "the last user stops the server")
}

// TestSharedClusterStopsWithLastUser: a second process on a running cluster
// (a helper command beside `mosaic dev`) never stops it from under the
// first, nor restarts it elsewhere; the last one out stops it.
func TestSharedClusterStopsWithLastUser(t *testing.T) {
	t.Parallel()
	dir := dataDir(t)
	owner, err := Start(t.Context(), Options{DataDir: dir})
	require.NoError(t, err)
	require.False(t, owner.Reused())

	helper, err := Start(t.Context(), Options{DataDir: dir})
	require.NoError(t, err)
	require.True(t, helper.Reused())
	require.NoError(t, helper.Stop(t.Context()))
	var one int
	query(t, owner.URL("postgres"), "SELECT 1", &one) // still served

	other, err := (&Cluster{}).choosePort(true)
	require.NoError(t, err)
	_, err = Start(t.Context(), Options{DataDir: dir, Port: other})
	require.ErrorContains(t, err, "in use by another process")
	query(t, owner.URL("postgres"), "SELECT 1", &one) // the refusal left it alone

	// The helper joined first and leaves last: it stops the server.
	helper, err = Start(t.Context(), Options{DataDir: dir})
	require.NoError(t, err)
	require.NoError(t, owner.Stop(t.Context()))
	query(t, helper.URL("postgres"), "SELECT 1", &one)
	require.NoError(t, helper.Stop(t.Context()))
	require.NoFileExists(t, filepath.Join(dir, pidFileName))
}

func TestStalePIDFile(t *testing.T) {
	t.Parallel()
	dir := dataDir(t)
	crashed, err := Start(t.Context(), Options{DataDir: dir})
	require.NoError(t, err)
	crash(crashed)

	// Crash: SIGKILL the postmaster, so its postmaster.pid stays behind.
	info, err := readPIDFile(dir)
	require.NoError(t, err)
	require.NoError(t, syscall.Kill(info.pid, syscall.SIGKILL))
	require.Eventually(t, func() bool { return !processAlive(info.pid) }, 10*time.Second, 20*time.Millisecond)
	require.FileExists(t, filepath.Join(dir, pidFileName))

	c := start(t, Options{DataDir: dir})
	require.False(t, c.Reused())
	var one int
	query(t, c.URL("postgres"), "SELECT 1", &one)
	require.NoError(t, c.Stop(t.Context()))

	// A postmaster.pid whose PID now belongs to another program (here: this
	// test binary) must not wedge the next start either.
	pidFile := filepath.Join(dir, pidFileName)
	require.NoError(t, os.WriteFile(pidFile, []byte(strconv.Itoa(os.Getpid())+"\n"+dir+"\n"), 0o600))
	c = start(t, Options{DataDir: dir})
	query(t, c.URL("postgres"), "SELECT 1", &one)
}

func TestStartErrors(t *testing.T) {
	t.Parallel()
	t.Run("no binaries", func(t *testing.T) {
		t.Parallel()
		_, err := Start(t.Context(), Options{Ephemeral: true, BinDir: t.TempDir()})
		require.ErrorIs(t, err, ErrNoBinaries)
		require.ErrorContains(t, err, "apt-get install postgresql")
		require.ErrorContains(t, err, "DATABASE_URL")
	})
	t.Run("data dir required", func(t *testing.T) {
		t.Parallel()
		_, err := Start(t.Context(), Options{})
		require.ErrorContains(t, err, "DataDir is required")
	})
	t.Run("foreign non-empty dir", func(t *testing.T) {
		t.Parallel()
		dir := dataDir(t)
		require.NoError(t, os.MkdirAll(dir, 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "notes.txt"), nil, 0o644))
		_, err := Start(t.Context(), Options{DataDir: dir})
		require.ErrorContains(t, err, "neither empty nor a PostgreSQL data directory")
	})
	t.Run("not traversable by postgres", func(t *testing.T) {
		t.Parallel()
		if os.Geteuid() != 0 {
			t.Skip("only root switches to the postgres user")
		}
		// t.TempDir is 0755 inside a 0700 directory owned by root.
		dir := t.TempDir()
		_, err := Start(t.Context(), Options{DataDir: filepath.Join(dir, "pg")})
		require.ErrorContains(t, err, "which cannot enter "+filepath.Dir(dir)+" ")

	})
}

func TestVersionOfPath(t *testing.T) {
	t.Parallel()
	require.Equal(t, 16, versionOfPath("/usr/lib/postgresql/16/bin"))
	require.Equal(t, 9, versionOfPath("/usr/lib/postgresql/9/bin"))
	require.Equal(t, 15, versionOfPath("/opt/homebrew/opt/postgresql@15/bin"))
	require.Equal(t, 17, versionOfPath("/usr/pgsql-17/bin"))
	require.Equal(t, 0, versionOfPath("/usr/bin"))
}

func TestCleanEnv(t *testing.T) {
	t.Parallel()
	got := cleanEnv([]string{"PATH=/bin", "PGPORT=1", "PGDATA=/x", "HOME=/root"})
	require.Equal(t, []string{"PATH=/bin", "HOME=/root"}, got)
}
