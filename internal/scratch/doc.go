// Package scratch gives each process a directory of its own for temporary
// files — upload spools, blob writes before their rename — and removes
// what processes that are gone left behind, without touching the files of
// a process that is still running, even one on another replica sharing the
// same data directory.
//
// A process's directory is root/<pid>-<random>; while the process lives it
// holds an exclusive lock (flock) on the directory's lock file. The lock is
// released by the kernel when the process ends, however it ends (SIGKILL,
// OOM kill, power loss of a peer over NFS), so a sweep that can take the
// lock knows the owner is gone and removes the whole directory at once —
// right after a crash, not an hour later. A sweep never removes a
// directory whose lock another process holds.
//
// What has no lock to ask — a directory still being set up (".new-*"),
// loose files from older versions that spooled straight into root, a
// directory on a file system without locks — is removed only when nothing
// in it was written for StaleAfter (1 h). Every upload request ends within
// the HTTP server's read and write timeouts (a minute), and a spool is
// written continuously while it is filled, so an hour without a write
// means nobody is using it.
//
// The owner sweeps at start and periodically (Dir.Sweep); each sweep also
// refreshes the owner's own directory time, so that even without locks a
// live process's empty directory never looks stale.
package scratch
