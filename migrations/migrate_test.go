package migrations_test

import (
	"context"
	"io/fs"
	"net/url"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/golang-migrate/migrate/v4/source"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/mosaichq/mosaic/internal/testdb"
	"github.com/mosaichq/mosaic/migrations"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestFileNames guards against golang-migrate silently ignoring a file
// whose name it cannot parse, and against an up without its down.
func TestFileNames(t *testing.T) {
	t.Parallel()
	entries, err := fs.ReadDir(migrations.Files, ".")
	require.NoError(t, err)
	require.NotEmpty(t, entries)
	dirs := map[uint][]string{}
	for _, e := range entries {
		m, err := source.DefaultParse(e.Name())
		require.NoError(t, err, "migration file %s: want NNNNNN_name.up.sql or .down.sql", e.Name())
		require.True(t, strings.HasSuffix(e.Name(), ".sql"), e.Name())
		dirs[m.Version] = append(dirs[m.Version], string(m.Direction))
	}
	for v, d := range dirs {
		require.ElementsMatch(t, []string{"up", "down"}, d, "version %d needs exactly one .up.sql and one .down.sql", v)
	}
	latest, err := migrations.LatestIn(migrations.Files)
	require.NoError(t, err)
	require.Equal(t, latest, migrations.Latest())
	require.NotZero(t, migrations.Latest())
}

func tableIn(t *testing.T, pool *pgxpool.Pool, schema, table string) bool {
	t.Helper()
	var ok bool
	require.NoError(t, pool.QueryRow(t.Context(),
		"SELECT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = $2)", schema, table).Scan(&ok))
	return ok
}

func TestUpInSearchPathSchema(t *testing.T) {
	t.Parallel()
	pool, u := testdb.EmptySchema(t)
	var schema string
	require.NoError(t, pool.QueryRow(t.Context(), "SELECT current_schema()").Scan(&schema))

	current, dirty, latest, err := migrations.Status(t.Context(), u)
	require.NoError(t, err)
	require.Equal(t, uint(0), current)
	require.False(t, dirty)
	require.Equal(t, migrations.Latest(), latest)

	require.NoError(t, migrations.Up(t.Context(), u))
	current, dirty, latest, err = migrations.Status(t.Context(), u)
	require.NoError(t, err)
	require.Equal(t, latest, current)
	require.False(t, dirty)
	require.True(t, tableIn(t, pool, schema, "schema_migrations"), "bookkeeping lives in the search_path schema")
	require.False(t, tableIn(t, pool, "public", "schema_migrations"))

	require.NoError(t, migrations.Up(t.Context(), u), "Up with nothing to do is fine")
}

// TestDownAndUpAgain checks every .down.sql undoes its .up.sql.
func TestDownAndUpAgain(t *testing.T) {
	t.Parallel()
	pool, u := testdb.Schema(t)
	var schema string
	require.NoError(t, pool.QueryRow(t.Context(), "SELECT current_schema()").Scan(&schema))
	require.NoError(t, migrations.DownAll(t.Context(), u))
	var left []string
	rows, err := pool.Query(t.Context(), `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = $1 AND c.relname NOT LIKE 'schema\_migrations%' ORDER BY 1`, schema)
	require.NoError(t, err)
	for rows.Next() {
		var n string
		require.NoError(t, rows.Scan(&n))
		left = append(left, n)
	}
	require.NoError(t, rows.Err())
	require.Empty(t, left, "the down migrations leave these behind")
	require.NoError(t, migrations.Up(t.Context(), u))
}

// slowSet is a migration set that is not idempotent (CREATE TABLE without
// IF NOT EXISTS) and slow enough for concurrent migrators to overlap.
var slowSet = fstest.MapFS{
	"1_a.up.sql":   {Data: []byte("CREATE TABLE a (id int); SELECT pg_sleep(0.3);")},
	"1_a.down.sql": {Data: []byte("DROP TABLE a;")},
	"2_b.up.sql":   {Data: []byte("CREATE TABLE b (id int);")},
	"2_b.down.sql": {Data: []byte("DROP TABLE b;")},
}

func TestConcurrentUp(t *testing.T) {
	t.Parallel()
	pool, u := testdb.EmptySchema(t)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() { errs[i] = migrations.UpFS(t.Context(), u, slowSet) })
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	var version int
	var dirty bool
	require.NoError(t, pool.QueryRow(t.Context(), "SELECT version, dirty FROM schema_migrations").Scan(&version, &dirty))
	require.Equal(t, 2, version)
	require.False(t, dirty)
}

func TestFailedMigrationIsAtomicAndDirty(t *testing.T) {
	t.Parallel()
	pool, u := testdb.EmptySchema(t)
	broken := fstest.MapFS{
		"1_ok.up.sql":       {Data: []byte("CREATE TABLE ok (id int);")},
		"1_ok.down.sql":     {Data: []byte("DROP TABLE ok;")},
		"2_broken.up.sql":   {Data: []byte("CREATE TABLE half (id int);\nSELECT 1/0;")},
		"2_broken.down.sql": {Data: []byte("DROP TABLE half;")},
	}
	require.ErrorContains(t, migrations.UpFS(t.Context(), u, broken), "division by zero")
	var half *string
	require.NoError(t, pool.QueryRow(t.Context(), "SELECT to_regclass('half')::text").Scan(&half))
	require.Nil(t, half, "a failing file is rolled back as a whole")

	var version int
	var dirty bool
	require.NoError(t, pool.QueryRow(t.Context(), "SELECT version, dirty FROM schema_migrations").Scan(&version, &dirty))
	require.Equal(t, 2, version)
	require.True(t, dirty)
	err := migrations.UpFS(t.Context(), u, broken)
	require.ErrorContains(t, err, "is dirty at version 2")
}

func TestUpWaitsUnderContext(t *testing.T) {
	t.Parallel()
	pool, u := testdb.EmptySchema(t)
	// Play a migrator that holds the lock for ever.
	conn, err := pool.Acquire(t.Context())
	require.NoError(t, err)
	defer conn.Release()
	var db, schema string
	require.NoError(t, conn.QueryRow(t.Context(), "SELECT current_database(), current_schema()").Scan(&db, &schema))
	_, err = conn.Exec(t.Context(), "SELECT pg_advisory_lock($1)", migrations.LockKey(db, schema))
	require.NoError(t, err)

	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	err = migrations.UpFS(ctx, u, slowSet)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.ErrorContains(t, err, "waiting for other migrators")
	_, err = conn.Exec(t.Context(), "SELECT pg_advisory_unlock_all()")
	require.NoError(t, err)
}

func TestMissingSchema(t *testing.T) {
	t.Parallel()
	parsed, err := url.Parse(testdb.URL(t))
	require.NoError(t, err)
	q := parsed.Query()
	q.Set("search_path", "no_such_schema")
	parsed.RawQuery = q.Encode()
	u := parsed.String()
	require.ErrorContains(t, migrations.Up(t.Context(), u), "search_path does not exist")
	_, _, _, err = migrations.Status(t.Context(), u)
	require.ErrorContains(t, err, "search_path does not exist")
}
