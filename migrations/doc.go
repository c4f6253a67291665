// Package migrations holds Mosaic's database schema as SQL migrations,
// embedded in the binary and applied with golang-migrate
// (`mosaic migrate`, on start, and by internal/testdb for every test schema).
//
// # Writing a migration
//
// Add a pair of files NNNNNN_name.up.sql and NNNNNN_name.down.sql, with a
// version NNNNNN greater than every existing one (TestFileNames checks the
// names: golang-migrate silently ignores a file it cannot parse).
//
//   - A file is sent as one multi-statement query, which PostgreSQL runs as
//     one implicit transaction: a file applies entirely or not at all. Do
//     not write BEGIN/COMMIT. A statement that cannot run in a transaction
//     (CREATE INDEX CONCURRENTLY) must be alone in its own file.
//   - Never qualify names with a schema (no `public.`): objects are created
//     in the first schema of the connection's search_path, which is how
//     tests get an isolated copy of the schema each. For the same reason
//     avoid CREATE EXTENSION (extensions are per database); gen_random_uuid()
//     is built in.
//   - Migrations are never edited once merged: add a new one.
//
// # Running them
//
// Up applies what is pending. Concurrent Up calls against the same database
// and schema (several replicas starting at once) are safe: they queue on a
// PostgreSQL advisory lock, and all but the first find nothing to do. The
// bookkeeping table schema_migrations lives in the same schema as the
// migrated objects.
//
// A migration that fails leaves the schema "dirty" at its version (its own
// changes are rolled back, see above, but golang-migrate cannot know that).
// Up then refuses to run until someone looks: fix the cause, then
// `UPDATE schema_migrations SET version = <last good version>, dirty = false`.
package migrations
