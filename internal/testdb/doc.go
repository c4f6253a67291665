// Package testdb gives tests a real PostgreSQL database, isolated and fast.
//
// The server comes from TEST_DATABASE_URL, which `make test` sets (through
// internal/tools/testenv, which starts a throwaway cluster). Without it the
// tests fail rather than skip: a skipped database test is a test that
// silently never runs.
//
// Two kinds of isolation, as River's riverdbtest does:
//
//   - Tx(t): a transaction on a schema migrated once per test process,
//     rolled back when the test ends. The cheapest: use it for code that
//     reads and writes through a pgx.Tx (or an interface a Tx satisfies).
//     Parallel tests share the schema's tables, so give rows unique keys:
//     two transactions inserting the same unique key wait for each other.
//   - Schema(t): a fresh, migrated schema of its own and a pool whose
//     connections use it, dropped when the test ends. For code that
//     commits, runs its own transactions, or LISTENs.
//
// NewStandby(t) makes a hot standby of the test server (pg_basebackup -R,
// streaming), for tests of read replicas; Halt and Resume stop and start
// it in place.
//
// Fingerprint(t, pool) hashes every row of every table, for tests that
// prove a refusal or a crash wrote nothing.
//
// Schemas are named t_<creation time>_<random>; each test process drops
// those older than a few hours on its first use, so a killed run leaves no
// litter behind for long on a long-lived server.
package testdb
