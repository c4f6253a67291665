//go:build !unix

package pgcluster

import (
	"context"
	"errors"
	"os/exec"
)

// The private cluster is only supported where PostgreSQL's pg_ctl behaves
// like on Unix; elsewhere Start fails and users set DATABASE_URL.
var errUnsupported = errors.New("a private PostgreSQL cluster is only supported on Linux and macOS: set DATABASE_URL")

type runAs struct{ name string }

func currentRunAs() (runAs, error) { return runAs{}, errUnsupported }
func (runAs) switched() bool       { return false }
func (runAs) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	return exec.CommandContext(ctx, name, args...)
}
func (runAs) chown(string) error            { return nil }
func (runAs) checkTraversable(string) error { return nil }
func processAlive(int) bool                 { return false }
