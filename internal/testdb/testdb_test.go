package testdb

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/mosaichq/mosaic/migrations"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func schemaExists(t *testing.T, name string) bool {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), URL(t))
	require.NoError(t, err)
	defer conn.Close(context.Background())
	var ok bool
	require.NoError(t, conn.QueryRow(t.Context(),
		"SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)", name).Scan(&ok))
	return ok
}

func TestSchema(t *testing.T) {
	t.Parallel()
	var name string
	t.Run("isolated and migrated", func(t *testing.T) {
		pool, u := Schema(t)
		require.NoError(t, pool.QueryRow(t.Context(), "SELECT current_schema()").Scan(&name))
		require.True(t, strings.HasPrefix(name, "t_"), name)
		require.Contains(t, u, "search_path="+name)

		current, dirty, latest, err := migrations.StatusOf(t.Context(), pool)
		require.NoError(t, err)
		require.False(t, dirty)
		require.Equal(t, latest, current)

		// A table made here is invisible from another test schema.
		_, err = pool.Exec(t.Context(), "CREATE TABLE only_here (id int)")
		require.NoError(t, err)
		other, _ := EmptySchema(t)
		var found *string
		require.NoError(t, other.QueryRow(t.Context(), "SELECT to_regclass('only_here')::text").Scan(&found))
		require.Nil(t, found)
	})
	require.False(t, schemaExists(t, name), "the schema is dropped when the test ends")
}

func TestSchemaSurvivesPoolClosedByTest(t *testing.T) {
	t.Parallel()
	pool, _ := Schema(t)
	pool.Close() // the cleanup must still drop the schema, and not hang
}

func TestTx(t *testing.T) {
	t.Parallel()
	const table = "tx_probe"
	var schema string
	t.Run("writes", func(t *testing.T) {
		tx := Tx(t)
		require.NoError(t, tx.QueryRow(t.Context(), "SELECT current_schema()").Scan(&schema))
		_, err := tx.Exec(t.Context(), "CREATE TABLE "+table+" (id int)")
		require.NoError(t, err)
		current, _, latest, err := migrations.StatusOf(t.Context(), tx)
		require.NoError(t, err)
		require.Equal(t, latest, current)
	})
	t.Run("shares the schema and sees nothing of the rolled back test", func(t *testing.T) {
		tx := Tx(t)
		var s string
		var found *string
		require.NoError(t, tx.QueryRow(t.Context(), "SELECT current_schema(), to_regclass($1)::text", table).Scan(&s, &found))
		require.Equal(t, schema, s)
		require.Nil(t, found)
	})
}

func TestTxParallel(t *testing.T) {
	t.Parallel()
	for i := range 8 {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			tx := Tx(t)
			_, err := tx.Exec(t.Context(), fmt.Sprintf("CREATE TABLE parallel_%d (id int)", i))
			require.NoError(t, err)
		})
	}
}

// fatalTB records Fatalf instead of ending the test, to test that path.
type fatalTB struct {
	testing.TB
	msg string
}

func (f *fatalTB) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	panic(f)
}

func TestURLUnsetFailsWithInstructions(t *testing.T) {
	t.Setenv(EnvVar, "")
	f := &fatalTB{TB: t}
	func() {
		defer func() { require.Equal(t, f, recover()) }()
		URL(f)
	}()
	require.Contains(t, f.msg, "make test")
}

// BenchmarkSchema measures what Schema costs a test: create, migrate, drop.
func BenchmarkSchema(b *testing.B) {
	base := URL(b)
	for b.Loop() {
		name := schemaName()
		_, err := createSchema(b.Context(), base, name, true)
		require.NoError(b, err)
		require.NoError(b, dropSchema(base, name))
	}
}

// BenchmarkTx measures what Tx costs a test once the shared schema exists.
func BenchmarkTx(b *testing.B) {
	Tx(b) // the shared schema is migrated once per process
	for b.Loop() {
		conn, err := pgx.Connect(b.Context(), sharedURL)
		require.NoError(b, err)
		tx, err := conn.Begin(b.Context())
		require.NoError(b, err)
		require.NoError(b, tx.Rollback(b.Context()))
		require.NoError(b, conn.Close(b.Context()))
	}
}
