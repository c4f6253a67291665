//go:build !unix

package pgcluster

// Start fails before locking on these systems (errUnsupported): the lock
// only has to compile.
type fileLock struct{}

func openLock(string) (*fileLock, error)     { return nil, errUnsupported }
func (*fileLock) lock(bool) error            { return errUnsupported }
func (*fileLock) tryLock(bool) (bool, error) { return false, errUnsupported }
func (*fileLock) close()                     {}
