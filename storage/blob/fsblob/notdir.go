package fsblob

import "syscall"

// errNotDir is what opening "a/b" reports when "a" is a file: for a blob
// store that is just a missing object.
var errNotDir error = syscall.ENOTDIR
