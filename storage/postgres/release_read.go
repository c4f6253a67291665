package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/mosaichq/mosaic/campaign"
)

const (
	// Rows that may hold campaign variants: a "campaign" member anywhere in
	// their fields or own variants ($1 = '' for any campaign). The walk in
	// package campaign keeps only real variants.
	variantFilter = `(($1 = '' AND (jsonb_path_exists(fields, 'lax $.**.campaign') OR jsonb_path_exists(variants, 'lax $[*].campaign')))
		OR jsonb_path_exists(fields, 'lax $.**.campaign ? (@ == $k)', jsonb_build_object('k', $1::text))
		OR jsonb_path_exists(variants, 'lax $[*].campaign ? (@ == $k)', jsonb_build_object('k', $1::text)))`
	sqlVariantSources = `SELECT entry_id::text, type_key, slug, locale, 'published', fields, variants FROM published_entries
			WHERE ` + variantFilter + `
		UNION ALL
		SELECT entry_id::text, type_key, slug, locale, 'release', fields, variants FROM scheduled_publications
			WHERE ` + variantFilter + `
		UNION ALL
		SELECT entry_id::text, type_key, slug, locale, 'draft', fields, variants FROM entry_drafts
			WHERE $2 AND ` + variantFilter + `
		ORDER BY 1, 4, 5`

	sqlDueReleases = `SELECT DISTINCT entry_id::text, locale FROM scheduled_publications WHERE visible_from <= $1 ORDER BY 1, 2`
	sqlDueOfEntry  = `SELECT campaign_id::text, version, visible_from FROM scheduled_publications
		WHERE entry_id = $1 AND locale = $2 AND visible_from <= $3
		ORDER BY visible_from DESC, version DESC FOR UPDATE`
	// The newest due snapshot becomes the live publication unless a publish
	// made after it is live already.
	sqlMaterialize = `INSERT INTO published_entries (entry_id, locale, type_key, slug, version, draft_version, fields, variants, published_at)
		SELECT entry_id, locale, type_key, slug, version, draft_version, fields, variants, visible_from
		FROM scheduled_publications WHERE campaign_id = $1 AND entry_id = $2 AND locale = $3
		ON CONFLICT (entry_id, locale) DO UPDATE SET slug = EXCLUDED.slug, version = EXCLUDED.version,
			draft_version = EXCLUDED.draft_version, fields = EXCLUDED.fields, variants = EXCLUDED.variants,
			published_at = EXCLUDED.published_at
		WHERE published_entries.published_at < EXCLUDED.published_at
			OR (published_entries.published_at = EXCLUDED.published_at AND published_entries.version < EXCLUDED.version)`
	sqlDropDue = `DELETE FROM scheduled_publications WHERE entry_id = $1 AND locale = $2 AND visible_from <= $3`
)

// VariantSources implements campaign.Store.
func (cs *CampaignStore) VariantSources(ctx context.Context, key string, drafts bool) ([]campaign.VariantSource, error) {
	rows, err := cs.s.pool.Query(ctx, sqlVariantSources, key, drafts)
	if err != nil {
		return nil, fmt.Errorf("finding campaign variants: %w", err)
	}
	defer rows.Close()
	var out []campaign.VariantSource
	for rows.Next() {
		var v campaign.VariantSource
		var fields, variants []byte
		if err := rows.Scan(&v.EntryID, &v.Type, &v.Slug, &v.Locale, &v.Source, &fields, &variants); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(fields, &v.Fields); err != nil {
			return nil, fmt.Errorf("decoding %s fields: %w", v.EntryID, err)
		}
		if err := json.Unmarshal(variants, &v.Variants); err != nil {
			return nil, fmt.Errorf("decoding %s variants: %w", v.EntryID, err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Materialize implements campaign.Store. Each (entry, locale) is folded in
// its own transaction, locking its draft first as publish does, so it
// serialises with publishes and draft saves and never holds many locks.
func (cs *CampaignStore) Materialize(ctx context.Context, at time.Time) (int, error) {
	rows, err := cs.s.pool.Query(ctx, sqlDueReleases, at)
	if err != nil {
		return 0, fmt.Errorf("finding due releases: %w", err)
	}
	type due struct{ ID, Locale string }
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[due])
	if err != nil {
		return 0, fmt.Errorf("finding due releases: %w", err)
	}
	n := 0
	for _, d := range list {
		err := cs.s.tx(ctx, func(tx pgx.Tx) error {
			typeKey, err := lockDraft(ctx, tx, d.ID, d.Locale, 0)
			if err != nil {
				return err
			}
			var campaignID string
			var version int
			var visible time.Time
			if err := tx.QueryRow(ctx, sqlDueOfEntry, d.ID, d.Locale, at).Scan(&campaignID, &version, &visible); err != nil {
				if err == pgx.ErrNoRows {
					return nil // folded by someone else meanwhile
				}
				return err
			}
			tag, err := tx.Exec(ctx, sqlMaterialize, campaignID, d.ID, d.Locale)
			if err != nil {
				return mapError(err, fmt.Sprintf("release of entry %s (%s)", d.ID, d.Locale))
			}
			if tag.RowsAffected() > 0 {
				n++
				if err := recordChange(ctx, tx, d.ID, d.Locale, typeKey, "publish", visible); err != nil {
					return err
				}
			}
			_, err = tx.Exec(ctx, sqlDropDue, d.ID, d.Locale, at)
			return err
		})
		if err != nil {
			return n, err
		}
	}
	return n, nil
}
