package testdb

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/mosaichq/mosaic/migrations"
)

// EnvVar names the environment variable holding the server's URL.
const EnvVar = "TEST_DATABASE_URL"

// staleAfter is when a test schema is certainly abandoned: far beyond any
// test binary's -timeout.
const staleAfter = 3 * time.Hour

// setupTimeout bounds creating and migrating a schema, and dropping it.
const setupTimeout = 2 * time.Minute

var (
	gcOnce sync.Once

	sharedOnce sync.Once
	sharedURL  string
	sharedErr  error
)

// URL returns TEST_DATABASE_URL, failing the test when it is unset.
func URL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(EnvVar)
	if u == "" {
		t.Fatalf("testdb: %s is not set. Run the tests with `make test` (or "+
			"`go run ./internal/tools/testenv -- go test ./...`), which starts a throwaway PostgreSQL and sets it.", EnvVar)
	}
	gcOnce.Do(func() { dropStaleSchemas(u) })
	return u
}

// Schema creates a fresh schema, migrated to the latest version, and
// returns a pool whose connections use it (via search_path) together with
// the pool's URL (for code that opens its own connections). The schema is
// dropped and the pool closed when the test ends.
func Schema(t testing.TB) (*pgxpool.Pool, string) {
	t.Helper()
	return newSchema(t, true)
}

// EmptySchema is Schema without the migrations, for tests of migrations.
func EmptySchema(t testing.TB) (*pgxpool.Pool, string) {
	t.Helper()
	return newSchema(t, false)
}

// Tx returns a transaction on this test process's shared migrated schema;
// it is rolled back, and its connection closed, when the test ends.
func Tx(t testing.TB) pgx.Tx {
	t.Helper()
	base := URL(t)
	sharedOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
		defer cancel()
		sharedURL, sharedErr = createSchema(ctx, base, schemaName()+"_tx", true)
	})
	if sharedErr != nil {
		t.Fatalf("testdb: creating the shared schema: %v", sharedErr)
	}
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	// A connection per test rather than a process-wide pool: a pool's
	// background goroutines would outlive the tests and trip goleak, and
	// opening a loopback connection costs a few milliseconds.
	conn, err := pgx.Connect(ctx, sharedURL)
	if err != nil {
		t.Fatalf("testdb: connecting: %v", err)
	}
	tx, err := conn.Begin(ctx)
	if err != nil {
		_ = conn.Close(ctx)
		t.Fatalf("testdb: beginning a transaction: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = tx.Rollback(ctx) // fails harmlessly if the test ended the transaction itself
		_ = conn.Close(ctx)
	})
	return tx
}

func newSchema(t testing.TB, migrate bool) (*pgxpool.Pool, string) {
	t.Helper()
	base := URL(t)
	name := schemaName()
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	// Registered first so that a failure half-way still drops the schema.
	t.Cleanup(func() {
		if err := dropSchema(base, name); err != nil {
			t.Errorf("testdb: dropping schema %s: %v", name, err)
		}
	})
	u, err := createSchema(ctx, base, name, migrate)
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	pool, err := pgxpool.New(ctx, u)
	if err != nil {
		t.Fatalf("testdb: opening a pool on schema %s: %v", name, err)
	}
	t.Cleanup(func() { closePool(t, pool) })
	return pool, u
}

// closePool closes pool, but does not let a connection the test never
// released (rows not closed, say) hang the run: pgxpool.Close waits for it.
func closePool(t testing.TB, pool *pgxpool.Pool) {
	done := make(chan struct{})
	go func() { pool.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Errorf("testdb: pool still has an acquired connection 30s after the test: " +
			"a connection, rows or transaction was not released")
	}
}

// schemaName makes a name that sorts by creation time and says when it was
// made, so that abandoned schemas can be recognised later.
func schemaName() string {
	return fmt.Sprintf("t_%x_%08x", time.Now().Unix(), rand.Uint32())
}

// createSchema creates schema name and returns base with search_path set to
// it, migrated if asked.
func createSchema(ctx context.Context, base, name string, migrate bool) (string, error) {
	u, err := withSearchPath(base, name)
	if err != nil {
		return "", err
	}
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		return "", fmt.Errorf("connecting to %s: %w", EnvVar, err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+pgx.Identifier{name}.Sanitize()); err != nil {
		return "", fmt.Errorf("creating schema %s: %w", name, err)
	}
	if migrate {
		if err := migrations.Up(ctx, u); err != nil {
			return "", fmt.Errorf("migrating schema %s: %w", name, err)
		}
	}
	return u, nil
}

func dropSchema(base, name string) error {
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{name}.Sanitize()+" CASCADE")
	return err
}

// dropStaleSchemas removes test schemas left by runs that were killed
// before their cleanups ran. Best effort: a failure here must not fail a
// test.
func dropStaleSchemas(base string) {
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		return
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT nspname FROM pg_namespace WHERE nspname ~ '^t_[0-9a-f]+_[0-9a-f]{8}'`)
	if err != nil {
		return
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return
	}
	for _, n := range names {
		hexTime, _, _ := strings.Cut(strings.TrimPrefix(n, "t_"), "_")
		created, err := strconv.ParseInt(hexTime, 16, 64)
		if err != nil || time.Since(time.Unix(created, 0)) < staleAfter {
			continue
		}
		_, _ = conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{n}.Sanitize()+" CASCADE")
	}
}

// withSearchPath sets the search_path runtime parameter, which pgx sends at
// connection start-up, so every connection made from the URL uses schema.
func withSearchPath(base, schema string) (string, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", fmt.Errorf("%s must be a postgres:// URL", EnvVar)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), nil
}
