package testdb

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Fingerprint is every table of the pool's schema (its search path) with
// its row count and a hash of every row, so "nothing changed" means
// nothing, not "these counts did not move". Compare two with require.Equal.
func Fingerprint(t testing.TB, pool *pgxpool.Pool) map[string]string {
	t.Helper()
	ctx := context.Background()
	rows, err := pool.Query(ctx, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations'`)
	if err != nil {
		t.Fatalf("testdb: listing tables: %v", err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(tables) == 0 {
		t.Fatalf("testdb: listing tables: %v (%d found)", err, len(tables))
	}
	// One round trip for all tables: some tests fingerprint hundreds of times.
	parts := make([]string, len(tables))
	for i, table := range tables {
		parts[i] = `SELECT ` + quoteLiteral(table) + `, count(*)::text || ':' || COALESCE(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM ` +
			pgx.Identifier{table}.Sanitize() + ` t`
	}
	rows, err = pool.Query(ctx, strings.Join(parts, " UNION ALL "))
	if err != nil {
		t.Fatalf("testdb: fingerprinting: %v", err)
	}
	out := map[string]string{}
	for rows.Next() {
		var table, fp string
		if err := rows.Scan(&table, &fp); err != nil {
			t.Fatalf("testdb: fingerprinting: %v", err)
		}
		out[table] = fp
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("testdb: fingerprinting: %v", err)
	}
	return out
}

func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
