package migrations

import (
	"context"
	"io/fs"

	"github.com/golang-migrate/migrate/v4"
)

// Test-only access to the machinery behind Up, for migration sets other
// than the embedded one.

var (
	Files    = files
	LatestIn = latestIn
	LockKey  = lockKey
)

func UpFS(ctx context.Context, databaseURL string, fsys fs.FS) error {
	return run(ctx, databaseURL, fsys, (*migrate.Migrate).Up)
}

// DownAll reverts every embedded migration.
func DownAll(ctx context.Context, databaseURL string) error {
	return run(ctx, databaseURL, files, (*migrate.Migrate).Down)
}
