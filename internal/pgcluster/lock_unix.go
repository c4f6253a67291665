//go:build unix

package pgcluster

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// fileLock is an flock(2) lock on a file. The kernel drops it when the
// process dies, so a crashed run never leaves a lock behind.
type fileLock struct{ f *os.File }

func openLock(path string) (*fileLock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("opening lock file: %w", err)
	}
	return &fileLock{f: f}, nil
}

// lock waits for the lock, exclusive or shared. Converting a held lock is
// allowed (and, as flock(2) says, not atomic).
func (l *fileLock) lock(exclusive bool) error {
	for {
		err := syscall.Flock(int(l.f.Fd()), how(exclusive))
		if !errors.Is(err, syscall.EINTR) {
			if err != nil {
				return fmt.Errorf("locking %s: %w", l.f.Name(), err)
			}
			return nil
		}
	}
}

// tryLock takes the lock if nobody holds a conflicting one, and says so.
func (l *fileLock) tryLock(exclusive bool) (bool, error) {
	for {
		err := syscall.Flock(int(l.f.Fd()), how(exclusive)|syscall.LOCK_NB)
		switch {
		case err == nil:
			return true, nil
		case errors.Is(err, syscall.EWOULDBLOCK):
			return false, nil
		case !errors.Is(err, syscall.EINTR):
			return false, fmt.Errorf("locking %s: %w", l.f.Name(), err)
		}
	}
}

// close releases the lock.
func (l *fileLock) close() { _ = l.f.Close() }

func how(exclusive bool) int {
	if exclusive {
		return syscall.LOCK_EX
	}
	return syscall.LOCK_SH
}
