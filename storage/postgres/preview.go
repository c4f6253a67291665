package postgres

import (
	"context"
	"fmt"

	"github.com/mosaichq/mosaic/content"
)

// Preview reads the latest drafts in the shape of published rows, so that
// delivery merges and personalizes them exactly as it does published
// content. A draft's "published at" is its last save (updated_at); its
// version is the draft version. Drafts are not scheduled: there is no
// instant to read them at.
const draftRowColumns = `entry_id, locale, type_key, slug, version, fields, variants, updated_at AS published_at`

var (
	sqlDraftsBySlug = `WITH ids AS (
			SELECT entry_id FROM entry_drafts
			WHERE slug = $2 AND locale = ANY($3::text[]) AND ($1 = '' OR type_key = $1))
		SELECT ` + publishedColumns + ` FROM (SELECT ` + draftRowColumns + ` FROM entry_drafts
			WHERE entry_id IN (SELECT entry_id FROM ids) AND locale = ANY($3::text[])) p`
	sqlDraftsByIDs = `SELECT ` + publishedColumns + ` FROM (SELECT ` + draftRowColumns + ` FROM entry_drafts
			WHERE entry_id = ANY($1::uuid[]) AND locale = ANY($2::text[])) p`
	// The drafts of one type in the list's locales; %s is the instant
	// parameter, unused by drafts but kept so the list's arguments match.
	draftsOfType = `SELECT ` + draftRowColumns + ` FROM entry_drafts
			WHERE type_key = $1 AND (locale = ANY($2::text[]) OR locale = $3) AND %s::timestamptz IS NOT NULL`
)

// DraftsBySlug implements content.Store.
func (s *Store) DraftsBySlug(ctx context.Context, typeKey, slug string, locales []string) ([]content.Published, error) {
	rows, err := s.pool.Query(ctx, sqlDraftsBySlug, typeKey, slug, locales)
	if err != nil {
		return nil, fmt.Errorf("loading drafts of %q: %w", slug, err)
	}
	return scanPublished(rows, false)
}

// DraftsByIDs implements content.Store.
func (s *Store) DraftsByIDs(ctx context.Context, ids []string, locales []string) ([]content.Published, error) {
	rows, err := s.pool.Query(ctx, sqlDraftsByIDs, ids, locales)
	if err != nil {
		return nil, fmt.Errorf("loading drafts: %w", err)
	}
	return scanPublished(rows, false)
}
