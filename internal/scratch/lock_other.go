//go:build !unix

package scratch

import (
	"errors"
	"os"
)

// errNoLocks means the file system cannot lock (the age rule applies).
var errNoLocks = errors.New("the file system has no locks")

// tryLock: without flock, every directory is judged by its age.
func tryLock(*os.File) (bool, error) { return false, errNoLocks }
