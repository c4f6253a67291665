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
	sqlTypeVersion = `SELECT version FROM content_types WHERE key = $1`
	sqlLockType    = `SELECT version FROM content_types WHERE key = $1 FOR UPDATE`
	sqlDeleteType  = `DELETE FROM content_types WHERE key = $1`
	// Entries holding a block of type $1 anywhere (nested, in variants) in
	// their draft or a published version; rare, so a jsonpath scan is fine.
	sqlEntriesWithBlock = `SELECT count(DISTINCT entry_id) FROM (
			SELECT entry_id, fields, variants FROM entry_drafts
			UNION ALL SELECT entry_id, fields, variants FROM entry_versions) r
		WHERE jsonb_path_exists(jsonb_build_array(r.fields, r.variants), 'lax $.** ? (@.type == $t)', jsonb_build_object('t', $1::text), true)`
	sqlCountEntries = `SELECT count(*) FROM entries WHERE type_key = $1`
	// Entries holding a value (not null) for each of the fields $2 of type
	// $1, in a draft or any published version (scheduled ones reference
	// versions too): in their own fields and their variants' overrides,
	// and — for a block type ($3) — inside blocks of that type nested in
	// any entry, block variants included. The empty grouping set adds the
	// row (NULL, distinct entries over all fields). A model change is rare:
	// scanning with jsonpath is fine.
	sqlFieldValueCounts = `WITH keys AS (SELECT DISTINCT unnest($2::text[]) AS k),
		content_rows AS (
			SELECT d.entry_id, d.type_key, d.fields, d.variants FROM entry_drafts d WHERE d.type_key = $1 OR $3
			UNION ALL
			SELECT v.entry_id, e.type_key, v.fields, v.variants FROM entry_versions v JOIN entries e ON e.id = v.entry_id
			WHERE e.type_key = $1 OR $3
		)
		SELECT keys.k, count(DISTINCT r.entry_id) FROM keys JOIN content_rows r ON
			(r.type_key = $1 AND (
				jsonb_path_exists(r.fields, '$.keyvalue() ? (@.key == $k && @.value != null)', jsonb_build_object('k', keys.k), true)
				OR jsonb_path_exists(r.variants, 'lax $[*].fields.keyvalue() ? (@.key == $k && @.value != null)', jsonb_build_object('k', keys.k), true)))
			OR ($3 AND jsonb_path_exists(jsonb_build_array(r.fields, r.variants),
				'lax $.** ? (@.type == $t) ? (exists(@.fields.keyvalue() ? (@.key == $k && @.value != null)) || exists(@.variants[*].fields.keyvalue() ? (@.key == $k && @.value != null)))',
				jsonb_build_object('k', keys.k, 't', $1::text), true))
		GROUP BY GROUPING SETS ((keys.k), ())`
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

// DeleteContentType implements content.Store.
func (s *Store) DeleteContentType(ctx context.Context, key string, expectedVersion int) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		var version int
		if err := tx.QueryRow(ctx, sqlLockType, key).Scan(&version); err != nil {
			return mapError(err, fmt.Sprintf("content type %q", key))
		}
		if version != expectedVersion {
			return errs.E(errs.Conflict, "content type %q is at version %d, not %d: reload it", key, version, expectedVersion)
		}
		var entries, holders int
		if err := tx.QueryRow(ctx, sqlCountEntries, key).Scan(&entries); err != nil {
			return fmt.Errorf("counting entries of %q: %w", key, err)
		}
		if entries > 0 {
			return errs.E(errs.Conflict, "content type %q has %d entries: delete them first", key, entries)
		}
		if err := tx.QueryRow(ctx, sqlEntriesWithBlock, key).Scan(&holders); err != nil {
			return fmt.Errorf("counting entries holding %q blocks: %w", key, err)
		}
		if holders > 0 {
			return errs.E(errs.Conflict, "%d entries hold %q blocks (in a draft or a published version): remove them first", holders, key)
		}
		if _, err := tx.Exec(ctx, sqlDeleteType, key); err != nil {
			return mapError(err, fmt.Sprintf("content type %q", key))
		}
		_, err := tx.Exec(ctx, sqlModelChanged, key)
		return err
	})
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

// FieldValueCounts implements content.Store.
func (s *Store) FieldValueCounts(ctx context.Context, typeKey string, block bool, keys []string) (map[string]int, int, error) {
	rows, err := s.pool.Query(ctx, sqlFieldValueCounts, typeKey, keys, block)
	if err != nil {
		return nil, 0, fmt.Errorf("counting field values: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	total := 0
	for rows.Next() {
		var key *string
		var n int
		if err := rows.Scan(&key, &n); err != nil {
			return nil, 0, fmt.Errorf("counting field values: %w", err)
		}
		if key == nil {
			total = n
		} else {
			out[*key] = n
		}
	}
	return out, total, rows.Err()
}
