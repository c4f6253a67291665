package migrations

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"sync"

	"github.com/golang-migrate/migrate/v4"
	pgxmigrate "github.com/golang-migrate/migrate/v4/database/pgx/v5"
	"github.com/golang-migrate/migrate/v4/source"
	"github.com/golang-migrate/migrate/v4/source/iofs"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

//go:embed *.sql
var files embed.FS

// table is golang-migrate's bookkeeping table, created in the current schema.
const table = "schema_migrations"

// Querier is what StatusOf needs: *pgx.Conn, *pgxpool.Pool and pgx.Tx all
// qualify.
type Querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Up applies every pending migration to the database at databaseURL (a
// postgres:// URL or key=value DSN, as pgx accepts). The URL may carry a
// search_path parameter: the migrations, and their bookkeeping table, go to
// its first schema, which must exist.
//
// Cancelling ctx stops Up while it waits for another migrator, or between
// two migrations; a statement already running is not interrupted.
func Up(ctx context.Context, databaseURL string) error {
	return run(ctx, databaseURL, files, (*migrate.Migrate).Up)
}

// Latest is the version of the newest embedded migration.
func Latest() uint { return latest() }

var latest = sync.OnceValue(func() uint {
	v, err := latestIn(files)
	if err != nil {
		panic(err) // the embedded files are checked by TestFileNames
	}
	return v
})

func latestIn(fsys fs.FS) (uint, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return 0, err
	}
	var v uint
	for _, e := range entries {
		m, err := source.DefaultParse(e.Name())
		if err != nil {
			return 0, fmt.Errorf("migration file %s: %w", e.Name(), err)
		}
		v = max(v, m.Version)
	}
	return v, nil
}

// Status reports the version the database schema is at (0: none applied),
// whether the last migration failed half-way (dirty), and the latest
// version this binary knows. The schema is current when
// current == latest && !dirty.
func Status(ctx context.Context, databaseURL string) (current uint, dirty bool, latest uint, err error) {
	conn, err := pgx.Connect(ctx, databaseURL)
	if err != nil {
		return 0, false, 0, fmt.Errorf("connecting to read the migration status: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	return StatusOf(ctx, conn)
}

// StatusOf is Status over an existing connection or pool, for health checks
// that should not open a connection per probe. It never takes a lock, so it
// answers while a migration runs, and it issues no failing statement, so it
// is safe inside a transaction.
func StatusOf(ctx context.Context, q Querier) (current uint, dirty bool, latest uint, err error) {
	var schema *string
	var exists bool
	err = q.QueryRow(ctx, `SELECT s, s IS NOT NULL AND to_regclass(format('%I.%I', s, $1::text)) IS NOT NULL
		FROM current_schema() AS s`, table).Scan(&schema, &exists)
	if err != nil {
		return 0, false, 0, fmt.Errorf("reading the migration status: %w", err)
	}
	if schema == nil {
		return 0, false, 0, errNoSchema
	}
	if !exists {
		return 0, false, Latest(), nil
	}
	var v int64
	err = q.QueryRow(ctx, "SELECT version, dirty FROM "+pgx.Identifier{*schema, table}.Sanitize()+" LIMIT 1").Scan(&v, &dirty)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return 0, false, Latest(), nil
	case err != nil:
		return 0, false, 0, fmt.Errorf("reading the migration status: %w", err)
	case v < 0: // golang-migrate's "no version" marker, left by a failed first migration
		return 0, dirty, Latest(), nil
	}
	return uint(v), dirty, Latest(), nil
}

var errNoSchema = errors.New("no schema to migrate: the first schema of the search_path does not exist (create it first)")

// run opens golang-migrate on databaseURL and fsys, calls step and closes
// everything. golang-migrate's own lock waits without a context (and gives
// up after 15 s), so run first takes an advisory lock of its own, waiting
// under ctx as long as ctx allows: concurrent migrators queue here, and
// golang-migrate's lock is then uncontended.
func run(ctx context.Context, databaseURL string, fsys fs.FS, step func(*migrate.Migrate) error) error {
	cfg, err := pgx.ParseConfig(databaseURL)
	if err != nil {
		return fmt.Errorf("migrations: parsing the database URL: %w", err)
	}
	lockConn, err := pgx.ConnectConfig(ctx, cfg.Copy())
	if err != nil {
		return fmt.Errorf("migrations: connecting: %w", err)
	}
	defer lockConn.Close(context.WithoutCancel(ctx)) // also releases the lock
	var db string
	var schema *string
	if err := lockConn.QueryRow(ctx, "SELECT current_database(), current_schema()").Scan(&db, &schema); err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if schema == nil {
		return fmt.Errorf("migrations: %w", errNoSchema)
	}
	if _, err := lockConn.Exec(ctx, "SELECT pg_advisory_lock($1)", lockKey(db, *schema)); err != nil {
		return fmt.Errorf("migrations: waiting for other migrators of schema %s: %w", *schema, err)
	}

	src, err := iofs.New(fsys, ".")
	if err != nil {
		return fmt.Errorf("migrations: reading the migration files: %w", err)
	}
	// WithInstance rather than a pgx5:// URL: pgx parses the URL (or DSN)
	// exactly as the rest of Mosaic does, runtime parameters included.
	sqlDB := stdlib.OpenDB(*cfg.Copy())
	driver, err := pgxmigrate.WithInstance(sqlDB, &pgxmigrate.Config{
		DatabaseName:    db,
		SchemaName:      *schema,
		MigrationsTable: table,
	})
	if err != nil {
		_ = src.Close()
		_ = sqlDB.Close()
		return fmt.Errorf("migrations: preparing schema %s: %w", *schema, err)
	}
	m, err := migrate.NewWithInstance("iofs", src, "pgx5", driver)
	if err != nil {
		_ = src.Close()
		_ = driver.Close()
		return fmt.Errorf("migrations: %w", err)
	}
	defer m.Close()
	// golang-migrate checks GracefulStop between migrations.
	stop := context.AfterFunc(ctx, func() { m.GracefulStop <- true })
	defer stop()

	err = step(m)
	var dirty migrate.ErrDirty
	switch {
	case errors.Is(err, migrate.ErrNoChange):
		err = nil
	case errors.As(err, &dirty):
		return fmt.Errorf("migrations: schema %s is dirty at version %d: that migration failed earlier "+
			"(its statements were rolled back); fix it, then UPDATE %s SET version = <previous version>, dirty = false: %w",
			*schema, dirty.Version, table, err)
	case err != nil:
		return fmt.Errorf("migrations: schema %s: %w", *schema, err)
	}
	if ctx.Err() != nil {
		return fmt.Errorf("migrations: stopped before the last migration: %w", context.Cause(ctx))
	}
	return nil
}

// lockKey derives the advisory lock key from the database and schema, so
// that test schemas migrate in parallel while migrators of one schema queue.
func lockKey(db, schema string) int64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte("mosaic/migrations\x00" + db + "\x00" + schema))
	return int64(h.Sum64())
}
