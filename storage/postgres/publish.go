package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/errs"
)

const (
	sqlNextVersion   = `SELECT COALESCE(max(version), 0) + 1 FROM entry_versions WHERE entry_id = $1 AND locale = $2`
	sqlInsertVersion = `INSERT INTO entry_versions (entry_id, locale, version, slug, fields, variants, published_at, published_by)
		SELECT entry_id, locale, $3, slug, fields, variants, $4, $5 FROM entry_drafts WHERE entry_id = $1 AND locale = $2`
	sqlUpsertPublished = `INSERT INTO published_entries (entry_id, locale, type_key, slug, version, draft_version, fields, variants, published_at)
		SELECT entry_id, locale, type_key, slug, $3, version, fields, variants, $4 FROM entry_drafts WHERE entry_id = $1 AND locale = $2
		ON CONFLICT (entry_id, locale) DO UPDATE SET slug = EXCLUDED.slug, version = EXCLUDED.version,
			draft_version = EXCLUDED.draft_version, fields = EXCLUDED.fields, variants = EXCLUDED.variants,
			published_at = EXCLUDED.published_at`
	// A publish of a draft the live publication already shows (same slug,
	// fields and variants, and no release visible now that is newer) makes
	// no new version: it only marks that draft version as published, so a
	// retried or repeated publish answers what the first one did.
	sqlAlreadyLive = `UPDATE published_entries p SET draft_version = d.version
		FROM entry_drafts d
		WHERE p.entry_id = $1 AND p.locale = $2 AND d.entry_id = p.entry_id AND d.locale = p.locale
			AND p.slug = d.slug AND p.fields = d.fields AND p.variants = d.variants
			AND NOT EXISTS (SELECT 1 FROM scheduled_publications s
				WHERE s.entry_id = p.entry_id AND s.locale = p.locale AND s.visible_from <= $3
					AND (s.visible_from > p.published_at OR (s.visible_from = p.published_at AND s.version > p.version)))`
	sqlDeletePublished = `DELETE FROM published_entries WHERE entry_id = $1 AND locale = $2`
	sqlRestoreDraft    = `UPDATE entry_drafts d SET slug = v.slug, fields = v.fields, variants = v.variants,
			version = d.version + 1, updated_at = now(), updated_by = $4
		FROM entry_versions v
		WHERE d.entry_id = $1 AND d.locale = $2 AND v.entry_id = d.entry_id AND v.locale = d.locale AND v.version = $3`
	// Inbound links are those of drafts (entry_links) and those of live
	// publications, which may still point at what a later draft dropped.
	// Live rows are searched for the id as a JSON string anywhere in their
	// fields: deletes are rare, and a false positive can only refuse one.
	sqlInboundLinks = `SELECT id FROM (
			SELECT source_id::text AS id FROM entry_links WHERE target_id = $1 AND source_id <> $1
			UNION
			SELECT entry_id::text FROM published_entries
			WHERE entry_id <> $1 AND jsonb_path_exists(fields, 'strict $.** ? (@ == $id)', jsonb_build_object('id', $1::text))
		) s ORDER BY 1 LIMIT 5`
	sqlDeleteDocument = `DELETE FROM entries WHERE id = $1 RETURNING type_key`
	sqlVersions       = `SELECT entry_id::text, locale, version, slug, fields, variants, published_at, published_by
		FROM entry_versions WHERE entry_id = $1 AND locale = $2 ORDER BY version DESC`
	sqlVersion = `SELECT entry_id::text, locale, version, slug, fields, variants, published_at, published_by
		FROM entry_versions WHERE entry_id = $1 AND locale = $2 AND version = $3`
	// The change row and its NOTIFY commit with the write: every replica
	// hears of exactly the changes that happened.
	sqlRecordChange = `WITH c AS (INSERT INTO content_changes (entry_id, locale, type_key, action, at)
			VALUES ($1, $2, $3, $4, $5) RETURNING epoch)
		SELECT pg_notify('` + ChangesChannel + `', json_build_object('epoch', epoch, 'action', $4::text,
			'entry', $1::text, 'locale', $2::text, 'type', $3::text)::text) FROM c`
	sqlEpoch = `SELECT COALESCE(max(epoch), 0) FROM content_changes`
	// Releases that have not started yet and would publish the entry.
	sqlPendingReleasesOf = `SELECT DISTINCT c.key FROM campaign_release_items r JOIN campaigns c ON c.id = r.campaign_id
		WHERE r.entry_id = $1 AND c.archived_at IS NULL AND c.stopped_at IS NULL AND (c.starts_at IS NULL OR c.starts_at > $2)
		ORDER BY 1`
)

// lockDraft locks (id, locale) for the rest of the transaction and checks
// its version when expected > 0.
func lockDraft(ctx context.Context, tx pgx.Tx, id, locale string, expected int) (typeKey string, err error) {
	var version int
	if err := tx.QueryRow(ctx, sqlLockDraft, id, locale).Scan(&version, &typeKey); err != nil {
		return "", mapError(err, fmt.Sprintf("entry %s (%s)", id, locale))
	}
	if expected > 0 && version != expected {
		return "", errs.E(errs.Conflict, "entry %s (%s) is at version %d, not %d: reload and reapply your change",
			id, locale, version, expected)
	}
	return typeKey, nil
}

func publishLocked(ctx context.Context, tx pgx.Tx, id, locale, typeKey, actor string, at time.Time) error {
	var next int
	if err := tx.QueryRow(ctx, sqlNextVersion, id, locale).Scan(&next); err != nil {
		return fmt.Errorf("numbering version: %w", err)
	}
	if _, err := tx.Exec(ctx, sqlInsertVersion, id, locale, next, at, actor); err != nil {
		return mapError(err, "version")
	}
	if _, err := tx.Exec(ctx, sqlUpsertPublished, id, locale, next, at); err != nil {
		return mapError(err, fmt.Sprintf("entry %s", id))
	}
	return recordChange(ctx, tx, id, locale, typeKey, "publish", at)
}

func recordChange(ctx context.Context, tx pgx.Tx, id, locale, typeKey, action string, at time.Time) error {
	if _, err := tx.Exec(ctx, sqlRecordChange, id, locale, typeKey, action, at); err != nil {
		return fmt.Errorf("recording %s of %s: %w", action, id, err)
	}
	return nil
}

// Publish implements content.Store.
func (s *Store) Publish(ctx context.Context, id, locale string, draftVersion int, actor string, at time.Time) (content.Entry, error) {
	var out content.Entry
	err := s.tx(ctx, func(tx pgx.Tx) error {
		typeKey, err := lockDraft(ctx, tx, id, locale, draftVersion)
		if err != nil {
			return err
		}
		// The draft lock serialises concurrent publishes: the first makes
		// the version, the others find it live and make none.
		tag, err := tx.Exec(ctx, sqlAlreadyLive, id, locale, at)
		if err != nil {
			return fmt.Errorf("comparing %s with its publication: %w", id, err)
		}
		if tag.RowsAffected() == 0 {
			if err := publishLocked(ctx, tx, id, locale, typeKey, actor, at); err != nil {
				return err
			}
		}
		out, err = draftIn(ctx, tx, id, locale)
		return err
	})
	return out, err
}

// Unpublish implements content.Store.
func (s *Store) Unpublish(ctx context.Context, id, locale, actor string, at time.Time) (content.Entry, error) {
	var out content.Entry
	err := s.tx(ctx, func(tx pgx.Tx) error {
		typeKey, err := lockDraft(ctx, tx, id, locale, 0)
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, sqlDeletePublished, id, locale)
		if err != nil {
			return fmt.Errorf("unpublishing %s: %w", id, err)
		}
		// A release visible by now is a publication too: withdraw it.
		// Releases still to come keep their snapshot and publish it at
		// their start, as scheduled.
		due, err := tx.Exec(ctx, sqlDropDue, id, locale, at)
		if err != nil {
			return fmt.Errorf("unpublishing %s: %w", id, err)
		}
		if tag.RowsAffected()+due.RowsAffected() == 0 {
			return errs.E(errs.Conflict, "entry %s (%s) is not published", id, locale)
		}
		if err := recordChange(ctx, tx, id, locale, typeKey, "unpublish", at); err != nil {
			return err
		}
		out, err = draftIn(ctx, tx, id, locale)
		return err
	})
	return out, err
}

// Rollback implements content.Store.
func (s *Store) Rollback(ctx context.Context, id, locale string, version, expectedDraftVersion int, links []string, uniques []content.UniqueValue, actor string, at time.Time) (content.Entry, error) {
	var out content.Entry
	err := s.tx(ctx, func(tx pgx.Tx) error {
		typeKey, err := lockDraft(ctx, tx, id, locale, expectedDraftVersion)
		if err != nil {
			return err
		}
		if err := checkUniques(ctx, tx, content.Entry{ID: id, Type: typeKey, Locale: locale}, uniques); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, sqlRestoreDraft, id, locale, version, actor)
		if err != nil {
			return mapError(err, fmt.Sprintf("entry %s", id))
		}
		if tag.RowsAffected() == 0 {
			return errs.E(errs.NotFound, "entry %s (%s) has no version %d", id, locale, version)
		}
		if err := setLinks(ctx, tx, id, locale, links); err != nil {
			return err
		}
		if err := refreshSnapshots(ctx, tx, id, locale, at, actor); err != nil {
			return err
		}
		if err := publishLocked(ctx, tx, id, locale, typeKey, actor, at); err != nil {
			return err
		}
		out, err = draftIn(ctx, tx, id, locale)
		return err
	})
	return out, err
}

// DeleteEntry implements content.Store.
func (s *Store) DeleteEntry(ctx context.Context, id, actor string, at time.Time) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, sqlInboundLinks, id)
		if err != nil {
			return fmt.Errorf("finding links to %s: %w", id, err)
		}
		from, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return fmt.Errorf("finding links to %s: %w", id, err)
		}
		if len(from) > 0 {
			return errs.E(errs.Conflict, "entry %s is still used by %s: remove those links first", id, strings.Join(from, ", "))
		}
		var releases []string
		rows, err = tx.Query(ctx, sqlPendingReleasesOf, id, at)
		if err == nil {
			releases, err = pgx.CollectRows(rows, pgx.RowTo[string])
		}
		if err != nil {
			return fmt.Errorf("finding releases of %s: %w", id, err)
		}
		if len(releases) > 0 {
			return errs.E(errs.Conflict, "entry %s is in the release of campaign %s: remove it from the release first",
				id, strings.Join(releases, ", "))
		}
		var typeKey string
		if err := tx.QueryRow(ctx, sqlDeleteDocument, id).Scan(&typeKey); err != nil {
			return mapError(err, fmt.Sprintf("entry %s", id))
		}
		return recordChange(ctx, tx, id, "", typeKey, "delete", at)
	})
}

func scanVersion(row pgx.Row) (content.Version, error) {
	var v content.Version
	var fields, variants []byte
	if err := row.Scan(&v.EntryID, &v.Locale, &v.Version, &v.Slug, &fields, &variants, &v.PublishedAt, &v.PublishedBy); err != nil {
		return v, err
	}
	if err := json.Unmarshal(fields, &v.Fields); err != nil {
		return v, err
	}
	return v, json.Unmarshal(variants, &v.Variants)
}

// Versions implements content.Store.
func (s *Store) Versions(ctx context.Context, id, locale string) ([]content.Version, error) {
	rows, err := s.pool.Query(ctx, sqlVersions, id, locale)
	if err != nil {
		return nil, fmt.Errorf("listing versions of %s: %w", id, err)
	}
	defer rows.Close()
	var out []content.Version
	for rows.Next() {
		v, err := scanVersion(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Version implements content.Store.
func (s *Store) Version(ctx context.Context, id, locale string, version int) (content.Version, error) {
	v, err := scanVersion(s.pool.QueryRow(ctx, sqlVersion, id, locale, version))
	return v, mapError(err, fmt.Sprintf("version %d of entry %s (%s)", version, id, locale))
}

// Epoch implements content.Store.
func (s *Store) Epoch(ctx context.Context) (int64, error) {
	var n int64
	err := s.pool.QueryRow(ctx, sqlEpoch).Scan(&n)
	if err == nil {
		// Whoever reads the epoch (the search index, before a rebuild or a
		// catch-up) then reads the content as of it: from here on, routed
		// reads come from a standby that has replayed at least this far.
		s.reads.Advance(ctx)
	}
	return n, mapError(err, "content epoch")
}
