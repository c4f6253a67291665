// Package postgres implements Mosaic's domain stores on PostgreSQL with
// pgx/v5, and the LISTEN/NOTIFY change feed that tells every replica when
// published content or the model changed.
//
// All SQL lives in this package as constants (or, for list queries, is
// assembled from fixed fragments with every user value passed as a
// parameter). Domain errors come back as *errs.Error: NOT_FOUND for missing
// rows and CONFLICT for lost races and taken slugs.
package postgres
