package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/errs"
)

const (
	sqlListTypes = `SELECT key, name, description, kind, fields, version, created_at, updated_at
		FROM content_types ORDER BY key`
	sqlInsertType = `INSERT INTO content_types (key, name, description, kind, fields)
		VALUES ($1, $2, $3, $4, $5)
		RETURNING key, name, description, kind, fields, version, created_at, updated_at`
	sqlUpdateType = `UPDATE content_types
		SET name = $2, description = $3, kind = $4, fields = $5, version = version + 1, updated_at = now()
		WHERE key = $1 AND version = $6
		RETURNING key, name, description, kind, fields, version, created_at, updated_at`
	sqlTypeVersion  = `SELECT version FROM content_types WHERE key = $1`
	sqlCountEntries = `SELECT count(*) FROM entries WHERE type_key = $1`
	sqlModelChanged = `WITH c AS (INSERT INTO content_changes (type_key, action) VALUES ($1, 'model') RETURNING epoch)
		SELECT pg_notify('` + ChangesChannel + `', json_build_object('epoch', epoch, 'action', 'model', 'type', $1::text)::text) FROM c`
)

func scanType(row pgx.Row) (content.ContentType, error) {
	var ct content.ContentType
	var kind string
	var fields []byte
	err := row.Scan(&ct.Key, &ct.Name, &ct.Description, &kind, &fields, &ct.Version, &ct.CreatedAt, &ct.UpdatedAt)
	if err != nil {
		return ct, err
	}
	ct.Kind = content.TypeKind(kind)
	if err := json.Unmarshal(fields, &ct.Fields); err != nil {
		return ct, fmt.Errorf("decoding fields of %q: %w", ct.Key, err)
	}
	return ct, nil
}

// ContentTypes implements content.Store.
func (s *Store) ContentTypes(ctx context.Context) ([]content.ContentType, error) {
	rows, err := s.pool.Query(ctx, sqlListTypes)
	if err != nil {
		return nil, fmt.Errorf("listing content types: %w", err)
	}
	defer rows.Close()
	var out []content.ContentType
	for rows.Next() {
		ct, err := scanType(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, ct)
	}
	return out, rows.Err()
}

// CreateContentType implements content.Store.
func (s *Store) CreateContentType(ctx context.Context, ct content.ContentType) (content.ContentType, error) {
	var out content.ContentType
	err := s.tx(ctx, func(tx pgx.Tx) error {
		fields, err := json.Marshal(ct.Fields)
		if err != nil {
			return err
		}
		out, err = scanType(tx.QueryRow(ctx, sqlInsertType, ct.Key, ct.Name, ct.Description, string(ct.Kind), fields))
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, sqlModelChanged, ct.Key)
		return err
	})
	return out, mapError(err, fmt.Sprintf("content type %q", ct.Key))
}

// UpdateContentType implements content.Store.
func (s *Store) UpdateContentType(ctx context.Context, ct content.ContentType, expectedVersion int) (content.ContentType, error) {
	var out content.ContentType
	err := s.tx(ctx, func(tx pgx.Tx) error {
		fields, err := json.Marshal(ct.Fields)
		if err != nil {
			return err
		}
		out, err = scanType(tx.QueryRow(ctx, sqlUpdateType, ct.Key, ct.Name, ct.Description, string(ct.Kind), fields, expectedVersion))
		if err == pgx.ErrNoRows {
			var cur int
			if err := tx.QueryRow(ctx, sqlTypeVersion, ct.Key).Scan(&cur); err != nil {
				return err
			}
			return errs.E(errs.Conflict, "content type %q is at version %d, not %d", ct.Key, cur, expectedVersion)
		}
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, sqlModelChanged, ct.Key)
		return err
	})
	return out, mapError(err, fmt.Sprintf("content type %q", ct.Key))
}

// CountEntries implements content.Store.
func (s *Store) CountEntries(ctx context.Context, typeKey string) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, sqlCountEntries, typeKey).Scan(&n)
	return n, mapError(err, "counting entries")
}
