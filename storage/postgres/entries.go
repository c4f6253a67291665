package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/errs"
)

const draftColumns = `d.entry_id::text, d.type_key, d.locale, d.slug, d.fields, d.variants, d.version,
	d.created_at, d.updated_at, d.updated_by,
	COALESCE(p.version, 0), COALESCE(p.draft_version, 0),
	COALESCE((SELECT max(v.version) FROM entry_versions v WHERE v.entry_id = d.entry_id AND v.locale = d.locale), 0)`

const (
	sqlDraft = `SELECT ` + draftColumns + `
		FROM entry_drafts d LEFT JOIN published_entries p USING (entry_id, locale)
		WHERE d.entry_id = $1 AND d.locale = $2`
	sqlDrafts = `SELECT ` + draftColumns + `
		FROM entry_drafts d LEFT JOIN published_entries p USING (entry_id, locale)
		WHERE d.entry_id = $1 ORDER BY d.locale`
	sqlInsertDocument = `INSERT INTO entries (id, type_key, created_by) VALUES ($1, $2, $3)`
	sqlInsertDraft    = `INSERT INTO entry_drafts (entry_id, locale, type_key, slug, fields, updated_by, variants)
		VALUES ($1, $2, $3, $4, $5, $6, COALESCE($7::jsonb, '[]'))`
	sqlUpdateDraft = `UPDATE entry_drafts SET slug = $3, fields = $4, variants = COALESCE($7::jsonb, variants),
			version = version + 1, updated_at = now(), updated_by = $5
		WHERE entry_id = $1 AND locale = $2 AND version = $6`
	sqlLockDraft   = `SELECT version, type_key FROM entry_drafts WHERE entry_id = $1 AND locale = $2 FOR UPDATE`
	sqlDeleteLinks = `DELETE FROM entry_links WHERE source_id = $1 AND locale = $2`
	sqlInsertLinks = `INSERT INTO entry_links (source_id, locale, target_id)
		SELECT $1, $2, t::uuid FROM unnest($3::text[]) AS t ON CONFLICT DO NOTHING`
	// Unique values are checked under a transaction-scoped advisory lock on
	// (type, field) so two concurrent saves cannot both take one value.
	sqlLockUnique  = `SELECT pg_advisory_xact_lock(hashtext('unique:' || $1 || ':' || $2))`
	sqlUniqueTaken = `SELECT EXISTS (SELECT 1 FROM entry_drafts
		WHERE type_key = $1 AND locale = $2 AND entry_id <> $3 AND fields -> $4 = $5::jsonb)`
	sqlEntryTypes = `SELECT id::text, type_key FROM entries WHERE id = ANY($1::uuid[])`
)

func scanDraft(row pgx.Row) (content.Entry, error) {
	var e content.Entry
	var fields, variants []byte
	err := row.Scan(&e.ID, &e.Type, &e.Locale, &e.Slug, &fields, &variants, &e.Version,
		&e.CreatedAt, &e.UpdatedAt, &e.UpdatedBy, &e.PublishedVersion, &e.PublishedDraftVersion, &e.LastPublishedVersion)
	if err != nil {
		return e, err
	}
	if err := json.Unmarshal(fields, &e.Fields); err != nil {
		return e, fmt.Errorf("decoding entry %s fields: %w", e.ID, err)
	}
	if err := json.Unmarshal(variants, &e.Variants); err != nil {
		return e, fmt.Errorf("decoding entry %s variants: %w", e.ID, err)
	}
	return e, nil
}

func draftIn(ctx context.Context, q pgx.Tx, id, locale string) (content.Entry, error) {
	e, err := scanDraft(q.QueryRow(ctx, sqlDraft, id, locale))
	return e, mapError(err, fmt.Sprintf("entry %s (%s)", id, locale))
}

// CreateEntry implements content.Store.
func (s *Store) CreateEntry(ctx context.Context, e content.Entry, newDocument bool, links []string, uniques []content.UniqueValue) (content.Entry, error) {
	var out content.Entry
	err := s.tx(ctx, func(tx pgx.Tx) error {
		if newDocument {
			if _, err := tx.Exec(ctx, sqlInsertDocument, e.ID, e.Type, e.UpdatedBy); err != nil {
				return mapError(err, "entry")
			}
		}
		if err := checkUniques(ctx, tx, e, uniques); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, sqlInsertDraft, e.ID, e.Locale, e.Type, e.Slug, e.Fields, e.UpdatedBy, variantsArg(e.Variants)); err != nil {
			return mapError(err, fmt.Sprintf("entry %s", e.ID))
		}
		if err := setLinks(ctx, tx, e.ID, e.Locale, links); err != nil {
			return err
		}
		var err error
		out, err = draftIn(ctx, tx, e.ID, e.Locale)
		return err
	})
	return out, err
}

// UpdateDraft implements content.Store.
func (s *Store) UpdateDraft(ctx context.Context, e content.Entry, expectedVersion int, links []string, uniques []content.UniqueValue) (content.Entry, error) {
	var out content.Entry
	err := s.tx(ctx, func(tx pgx.Tx) error {
		if err := checkUniques(ctx, tx, e, uniques); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, sqlUpdateDraft, e.ID, e.Locale, e.Slug, e.Fields, e.UpdatedBy, expectedVersion, variantsArg(e.Variants))
		if err != nil {
			return mapError(err, fmt.Sprintf("entry %s", e.ID))
		}
		if tag.RowsAffected() == 0 {
			cur, err := draftIn(ctx, tx, e.ID, e.Locale)
			if err != nil {
				return err
			}
			return errs.E(errs.Conflict, "entry %s (%s) is at version %d, not %d: reload and reapply your change",
				e.ID, e.Locale, cur.Version, expectedVersion)
		}
		if err := setLinks(ctx, tx, e.ID, e.Locale, links); err != nil {
			return err
		}
		if err := refreshSnapshots(ctx, tx, e.ID, e.Locale, e.UpdatedAt, e.UpdatedBy); err != nil {
			return err
		}
		out, err = draftIn(ctx, tx, e.ID, e.Locale)
		return err
	})
	return out, err
}

func checkUniques(ctx context.Context, tx pgx.Tx, e content.Entry, uniques []content.UniqueValue) error {
	for _, u := range uniques {
		if _, err := tx.Exec(ctx, sqlLockUnique, e.Type, u.Field); err != nil {
			return fmt.Errorf("locking unique %s.%s: %w", e.Type, u.Field, err)
		}
		val, err := json.Marshal(u.Value)
		if err != nil {
			return err
		}
		var taken bool
		if err := tx.QueryRow(ctx, sqlUniqueTaken, e.Type, e.Locale, e.ID, u.Field, string(val)).Scan(&taken); err != nil {
			return fmt.Errorf("checking unique %s.%s: %w", e.Type, u.Field, err)
		}
		if taken {
			return &errs.Error{Code: errs.Conflict, Message: fmt.Sprintf("another %s entry already has %s = %s", e.Type, u.Field, val),
				Fields: []errs.FieldError{{Path: "fields." + u.Field, Message: "must be unique"}}}
		}
	}
	return nil
}

func setLinks(ctx context.Context, tx pgx.Tx, id, locale string, links []string) error {
	if _, err := tx.Exec(ctx, sqlDeleteLinks, id, locale); err != nil {
		return fmt.Errorf("clearing links of %s: %w", id, err)
	}
	if len(links) == 0 {
		return nil
	}
	if _, err := tx.Exec(ctx, sqlInsertLinks, id, locale, links); err != nil {
		return fmt.Errorf("saving links of %s: %w", id, err)
	}
	return nil
}

// Draft implements content.Store.
func (s *Store) Draft(ctx context.Context, id, locale string) (content.Entry, error) {
	e, err := scanDraft(s.pool.QueryRow(ctx, sqlDraft, id, locale))
	return e, mapError(err, fmt.Sprintf("entry %s (%s)", id, locale))
}

// Drafts implements content.Store.
func (s *Store) Drafts(ctx context.Context, id string) ([]content.Entry, error) {
	return s.queryDrafts(ctx, sqlDrafts, id)
}

// ListDrafts implements content.Store: the search is a substring pattern
// (its own % and _ taken literally), the order one of listDraftsSQL's.
func (s *Store) ListDrafts(ctx context.Context, q content.DraftQuery) ([]content.Entry, error) {
	sql, ok := listDraftsSQL[q.Sort]
	if !ok {
		return nil, fmt.Errorf("listing drafts: no query for order %+v", q.Sort)
	}
	pattern := ""
	if q.Search != "" {
		pattern = "%" + likeEscaper.Replace(q.Search) + "%"
	}
	return s.queryDrafts(ctx, sql, q.Type, q.Locale, q.After, q.Limit, pattern, string(q.Status))
}

func (s *Store) queryDrafts(ctx context.Context, sql string, args ...any) ([]content.Entry, error) {
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("listing drafts: %w", err)
	}
	defer rows.Close()
	var out []content.Entry
	for rows.Next() {
		e, err := scanDraft(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// EntryTypes implements content.Store.
func (s *Store) EntryTypes(ctx context.Context, ids []string) (map[string]string, error) {
	rows, err := s.pool.Query(ctx, sqlEntryTypes, ids)
	if err != nil {
		return nil, fmt.Errorf("looking up entry types: %w", err)
	}
	defer rows.Close()
	out := make(map[string]string, len(ids))
	for rows.Next() {
		var id, typ string
		if err := rows.Scan(&id, &typ); err != nil {
			return nil, err
		}
		out[id] = typ
	}
	return out, rows.Err()
}

// variantsArg passes nil variants as SQL NULL ("keep what is stored"; []
// for a new row) rather than as the JSON value null.
func variantsArg(v []any) any {
	if v == nil {
		return nil
	}
	return v
}
