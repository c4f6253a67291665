package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/mosaichq/mosaic/documents"
	"github.com/mosaichq/mosaic/errs"
)

const (
	documentColumns = `id, sha256, body, COALESCE(name, ''), trusted, created_by`
	// A trusted registration upgrades an APQ row with the same text; the
	// WHERE leaves a row holding other text alone, which the caller sees as
	// "not written" and refuses.
	sqlRegisterGraphQLDocument = `INSERT INTO graphql_documents (id, sha256, body, name, trusted, created_by)
		VALUES ($1, $2, $3, NULLIF($4, ''), true, $5)
		ON CONFLICT (id) DO UPDATE SET trusted = true, name = COALESCE(EXCLUDED.name, graphql_documents.name)
			WHERE graphql_documents.body = EXCLUDED.body
		RETURNING (xmax = 0) AS inserted, trusted`
	sqlAddAPQ = `INSERT INTO graphql_documents (id, sha256, body, trusted, created_by)
		VALUES ($1, $2, $3, false, $4) ON CONFLICT (id) DO NOTHING`
	// By id first; else a trusted document with that hash (a manifest whose
	// ids are not hashes, asked for by hash).
	sqlLookupGraphQLDocument = `SELECT ` + documentColumns + ` FROM graphql_documents WHERE id = $1
		UNION ALL (SELECT ` + documentColumns + ` FROM graphql_documents WHERE sha256 = $1 AND trusted AND id <> $1 ORDER BY id LIMIT 1)
		LIMIT 1`
	sqlListGraphQLDocuments = `SELECT ` + documentColumns + ` FROM graphql_documents
		WHERE ($1 = false OR trusted) AND id > $2 ORDER BY id LIMIT $3`
	sqlDeleteGraphQLDocument = `DELETE FROM graphql_documents WHERE id = $1`
)

// DocumentStore implements documents.Store.
type DocumentStore struct{ s *Store }

// Documents returns the GraphQL document registry's store.
func (s *Store) Documents() *DocumentStore { return &DocumentStore{s: s} }

// Register implements documents.Store.
func (d *DocumentStore) Register(ctx context.Context, docs []documents.Document) (int, error) {
	added := 0
	err := d.s.tx(ctx, func(tx pgx.Tx) error {
		added = 0
		for _, doc := range docs {
			var inserted, trusted bool
			err := tx.QueryRow(ctx, sqlRegisterGraphQLDocument, doc.ID, doc.SHA256, doc.Body, doc.Name, doc.CreatedBy).Scan(&inserted, &trusted)
			if errors.Is(err, pgx.ErrNoRows) {
				return &errs.Error{Code: errs.Conflict, Fields: []errs.FieldError{{Path: doc.ID, Message: "registered with other text"}},
					Message: fmt.Sprintf("document %q is already registered with other text: ids are immutable, give the changed document a new id (nothing was registered)", doc.ID)}
			}
			if err != nil {
				return fmt.Errorf("registering document %q: %w", doc.ID, err)
			}
			if inserted {
				added++
			}
		}
		return nil
	})
	return added, err
}

// AddAPQ implements documents.Store.
func (d *DocumentStore) AddAPQ(ctx context.Context, doc documents.Document) error {
	_, err := d.s.pool.Exec(ctx, sqlAddAPQ, doc.ID, doc.SHA256, doc.Body, doc.CreatedBy)
	return err
}

// Lookup implements documents.Store.
func (d *DocumentStore) Lookup(ctx context.Context, id string) (documents.Document, bool, error) {
	var doc documents.Document
	err := d.s.pool.QueryRow(ctx, sqlLookupGraphQLDocument, id).Scan(&doc.ID, &doc.SHA256, &doc.Body, &doc.Name, &doc.Trusted, &doc.CreatedBy)
	if errors.Is(err, pgx.ErrNoRows) {
		return documents.Document{}, false, nil
	}
	if err != nil {
		return documents.Document{}, false, fmt.Errorf("looking up document %q: %w", id, err)
	}
	return doc, true, nil
}

// List implements documents.Store.
func (d *DocumentStore) List(ctx context.Context, trustedOnly bool, after string, limit int) ([]documents.Document, error) {
	rows, err := d.s.pool.Query(ctx, sqlListGraphQLDocuments, trustedOnly, after, limit)
	if err != nil {
		return nil, fmt.Errorf("listing documents: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (documents.Document, error) {
		var doc documents.Document
		err := r.Scan(&doc.ID, &doc.SHA256, &doc.Body, &doc.Name, &doc.Trusted, &doc.CreatedBy)
		return doc, err
	})
	if err != nil {
		return nil, fmt.Errorf("listing documents: %w", err)
	}
	return out, nil
}

// Delete implements documents.Store.
func (d *DocumentStore) Delete(ctx context.Context, id string) (bool, error) {
	tag, err := d.s.pool.Exec(ctx, sqlDeleteGraphQLDocument, id)
	if err != nil {
		return false, fmt.Errorf("deleting document %q: %w", id, err)
	}
	return tag.RowsAffected() == 1, nil
}
