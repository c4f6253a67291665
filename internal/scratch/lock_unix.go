//go:build unix

package scratch

import (
	"errors"
	"os"
	"syscall"
)

// errNoLocks means the file system cannot lock (the age rule applies).
var errNoLocks = errors.New("the file system has no locks")

// tryLock takes an exclusive flock on f without waiting. It reports false
// when another open file holds it — in this process or another, since
// flock locks belong to the open file, not the process. The kernel drops
// the lock when the holder's last descriptor closes, also on SIGKILL.
func tryLock(f *os.File) (bool, error) {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		switch {
		case err == nil:
			return true, nil
		case errors.Is(err, syscall.EINTR):
			continue
		case errors.Is(err, syscall.EWOULDBLOCK):
			return false, nil
		case errors.Is(err, syscall.ENOLCK), errors.Is(err, syscall.ENOTSUP), errors.Is(err, syscall.EINVAL):
			return false, errNoLocks
		default:
			return false, err
		}
	}
}
