package main

import (
	"bytes"
	"context"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/access"
	"github.com/mosaichq/mosaic/internal/testdb"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// TestUserAdd: the first admin of a fresh install, with a generated
// password or one from stdin, able to log in; the action is audited.
func TestUserAdd(t *testing.T) {
	t.Parallel()
	pool, url := testdb.Schema(t)
	ctx := context.Background()
	args := func(extra ...string) []string {
		return append(append([]string{"add"}, extra...), "--database-url", url, "--data-dir", t.TempDir())
	}
	var out bytes.Buffer
	require.NoError(t, runUserIn(ctx, args("--email", "Root@Example.com"), strings.NewReader(""), &out, io.Discard))
	m := regexp.MustCompile(`password \(shown once\): (\S+)`).FindStringSubmatch(out.String())
	require.NotNil(t, m, out.String())
	require.Contains(t, out.String(), "created admin user root@example.com")

	out.Reset()
	require.NoError(t, runUserIn(ctx, args("--email", "ed@example.com", "--role", "editor", "--password-stdin"),
		strings.NewReader("correct horse battery\n"), &out, io.Discard))
	require.NotContains(t, out.String(), "password")

	err := runUserIn(ctx, args("--email", "ed@example.com", "--password-stdin"), strings.NewReader("correct horse battery\n"), io.Discard, io.Discard)
	require.ErrorContains(t, err, "already exists")
	err = runUserIn(ctx, args("--email", "x@example.com", "--password-stdin"), strings.NewReader("short\n"), io.Discard, io.Discard)
	require.ErrorContains(t, err, "too short")
	require.Error(t, run(ctx, []string{"user"}, io.Discard, io.Discard))

	svc, err := access.New(access.Config{Store: postgres.New(pool).Access()})
	require.NoError(t, err)
	users, err := svc.Users(ctx)
	require.NoError(t, err)
	require.Len(t, users, 2)
	entries, _, err := svc.Audit(ctx, access.AuditQuery{Action: "createUser"})
	require.NoError(t, err)
	require.Len(t, entries, 2)
	require.Equal(t, "cli", entries[0].ActorKind)
}
