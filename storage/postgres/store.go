package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/mosaichq/mosaic/errs"
)

// ChangesChannel is the NOTIFY channel of the change feed.
const ChangesChannel = "mosaic_changes"

// Store implements content.Store.
type Store struct {
	pool  *pgxpool.Pool
	reads *Reads // where routed reads go (reads_query.go); nil: the primary
}

// New returns a Store over pool.
func New(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }

// Pool exposes the pool for health checks.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// tx runs fn in a transaction, committing when it returns nil.
func (s *Store) tx(ctx context.Context, fn func(pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, s.pool, fn)
}

// mapError turns constraint violations into the domain's CONFLICT so a
// lost race reads the same as a failed pre-check.
func mapError(err error, what string) error {
	if err == nil {
		return nil
	}
	if _, ok := errs.As(err); ok {
		return err
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return errs.Wrap(errs.NotFound, err, "%s not found", what)
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505": // unique_violation
			switch pe.ConstraintName {
			case "entry_drafts_slug_key":
				return errs.Wrap(errs.Conflict, err, "slug is already used by another entry of this type in this locale")
			case "published_entries_slug_key":
				return errs.Wrap(errs.Conflict, err, "slug is already used by another published entry of this type in this locale")
			case "content_types_pkey":
				return errs.Wrap(errs.Conflict, err, "%s already exists", what)
			case "entry_drafts_pkey":
				return errs.Wrap(errs.Conflict, err, "%s already exists in this locale", what)
			}
			return errs.Wrap(errs.Conflict, err, "%s conflicts with an existing one", what)
		case "23503": // foreign_key_violation
			return errs.Wrap(errs.Conflict, err, "%s refers to something that does not exist", what)
		}
	}
	return fmt.Errorf("%s: %w", what, err)
}
