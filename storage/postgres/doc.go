// Package postgres implements Mosaic's domain stores on PostgreSQL with
// pgx/v5, and the LISTEN/NOTIFY change feed that tells every replica when
// published content or the model changed.
//
// All SQL lives in this package as constants (or, for list queries, is
// assembled from fixed fragments with every user value passed as a
// parameter). Domain errors come back as *errs.Error: NOT_FOUND for missing
// rows and CONFLICT for lost races and taken slugs.
//
// # Read replicas
//
// Reads (reads.go) sends published reads, the search index's rebuild and
// catch-up reads, and reports to streaming-replication standbys
// (MOSAIC_DATABASE_READ_URLS); writes, the reads inside a request that
// wrote, drafts and everything else stay on the primary. A standby serves
// a read only if its health check (every CheckEvery) found it answering,
// in recovery and within MaxLag of the primary, and it has replayed the
// read's floor: the primary's WAL position at the last change
// notification, and the position after the editor's last write, carried by
// the request (session.go: read-your-writes by LSN, not by time). A read a
// standby fails is run again on the primary, so a standby going away fails
// no request.
package postgres
