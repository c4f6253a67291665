// Package pgcluster runs a private PostgreSQL cluster from the PostgreSQL
// binaries installed on the machine, so that neither `mosaic dev` nor the test
// suite needs a database server set up by hand.
//
// Two uses share the code:
//
//   - `mosaic dev` keeps a persistent cluster in ./.mosaic/pg. It is reused
//     across runs: initdb runs only the first time, and the port is remembered
//     in the data directory so that the URL stays the same from run to run.
//   - the test environment (internal/tools/testenv) starts an ephemeral
//     cluster in a fresh temporary directory with fsync off and removes the
//     directory in Stop.
//   - tests of read replicas make a hot standby of the test cluster with
//     StartStandby (pg_basebackup -R through a replication slot) and halt
//     and resume it (standby.go).
//
// # Root
//
// PostgreSQL refuses to run as root. When the process runs as root (CI, most
// containers) every PostgreSQL program is started as the `postgres` system
// user through SysProcAttr.Credential, and the data directory is chowned to
// it. That user must be able to traverse every ancestor of the data
// directory: Start checks it up front and says which directory is in the way,
// rather than letting initdb fail with a less helpful message.
//
// # Sharing
//
// Several processes may use one persistent cluster at once (`mosaic dev`
// serving, `mosaic user add` or `mosaic model import` beside it). Each holds
// a shared flock on <DataDir>.users while it does; Stop stops the server only
// for the last of them, and Start refuses to restart a server another
// process uses. Start and Stop are serialised by <DataDir>.lock. A process
// therefore never stops a database from under another (share.go).
//
// # Crashes
//
// A run that crashed can leave either a postmaster that is still running or
// a postmaster.pid whose process is gone (or whose PID now belongs to another
// program). Start handles both: a postmaster that still runs on this data
// directory and answers is reused (if it listens on the requested port, or
// any port was allowed); one that does not answer, or listens elsewhere, is
// stopped and started again when no other process uses it; a stale
// postmaster.pid is removed. The crashed process's locks died with it, so
// the next run is the server's last user and stops it on exit. A crash
// therefore never wedges the next run.
//
// # Unix sockets
//
// Clients connect over TCP on 127.0.0.1. The Unix socket is put inside the
// data directory when the path fits in sun_path (so `psql -h <datadir>` works
// and nothing is written to /var/run/postgresql, which belongs to the
// system's own clusters); when the path is too long the socket is disabled.
package pgcluster
