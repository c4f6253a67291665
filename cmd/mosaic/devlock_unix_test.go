//go:build unix

package main

import (
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// A copy of the previous dev's lock descriptor, as a process forked just
// before it stopped holds until it execs, must not refuse the next dev.
func TestDevLockOutlivedByAForkedCopy(t *testing.T) {
	dir := t.TempDir()
	first, err := lockDev(dir)
	require.NoError(t, err)
	copyFd, err := syscall.Dup(int(first.f.Fd()))
	require.NoError(t, err)
	first.release()
	go func() {
		time.Sleep(300 * time.Millisecond)
		syscall.Close(copyFd)
	}()
	next, err := lockDev(dir)
	require.NoError(t, err, "the lock was let go; only a forked copy lingered")
	next.release()
}

// A dev that really runs still refuses the next one, naming itself.
func TestDevLockRefusesWhileHeld(t *testing.T) {
	dir := t.TempDir()
	first, err := lockDev(dir)
	require.NoError(t, err)
	defer first.release()
	first.write("http://127.0.0.1:1234")
	_, err = lockDev(dir)
	require.ErrorContains(t, err, "another mosaic dev (pid ")
	require.ErrorContains(t, err, "http://127.0.0.1:1234) is running on the data dir "+filepath.Clean(dir))
}
