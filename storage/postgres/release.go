package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/mosaichq/mosaic/campaign"
	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/errs"
)

// Release snapshots: a campaign release is a set of scheduled publications,
// each a copy of an immutable version snapshotted from a draft, visible from
// the campaign's start (see migrations/000004_campaigns.up.sql). Snapshot
// versions that were never visible are deleted when replaced: they never
// were published, so history loses nothing.
const (
	// dropSnapshots deletes the scheduled rows chosen by `gone` and their
	// never-published versions, in one statement.
	dropSnapshots = `WITH gone AS (DELETE FROM scheduled_publications WHERE %s RETURNING entry_id, locale, version)
		DELETE FROM entry_versions v USING gone g
		WHERE v.entry_id = g.entry_id AND v.locale = g.locale AND v.version = g.version
			AND NOT EXISTS (SELECT 1 FROM published_entries p
				WHERE p.entry_id = v.entry_id AND p.locale = v.locale AND p.version = v.version)`
	sqlLockReleaseDrafts = `SELECT d.entry_id::text, d.locale, d.version FROM entry_drafts d
		JOIN unnest($1::uuid[], $2::text[]) AS i(entry_id, locale) USING (entry_id, locale)
		ORDER BY d.entry_id, d.locale FOR UPDATE OF d`
	// A release entry may not take a slug that another entry's live or
	// scheduled publication holds: at the start both would answer it.
	sqlReleaseSlugClash = `SELECT d.entry_id::text, d.locale, d.slug FROM entry_drafts d
		JOIN unnest($1::uuid[], $2::text[]) AS i(entry_id, locale) USING (entry_id, locale)
		WHERE EXISTS (SELECT 1 FROM published_entries p WHERE p.type_key = d.type_key AND p.locale = d.locale
				AND p.slug = d.slug AND p.entry_id <> d.entry_id)
			OR EXISTS (SELECT 1 FROM scheduled_publications s WHERE s.type_key = d.type_key AND s.locale = d.locale
				AND s.slug = d.slug AND s.entry_id <> d.entry_id)
		ORDER BY 1, 2 LIMIT 10`
	// Set-wise, so a release of any size is two statements.
	sqlSnapshot = `WITH items AS (SELECT * FROM unnest($2::uuid[], $3::text[]) AS i(entry_id, locale)),
		v AS (
			INSERT INTO entry_versions (entry_id, locale, version, slug, fields, variants, published_at, published_by)
			SELECT d.entry_id, d.locale,
				COALESCE((SELECT max(x.version) FROM entry_versions x WHERE x.entry_id = d.entry_id AND x.locale = d.locale), 0) + 1,
				d.slug, d.fields, d.variants, $4, $5
			FROM entry_drafts d JOIN items USING (entry_id, locale)
			RETURNING entry_id, locale, version, slug, fields, variants)
		INSERT INTO scheduled_publications (campaign_id, entry_id, locale, version, type_key, slug, draft_version,
			fields, variants, visible_from, scheduled_by)
		SELECT $1, v.entry_id, v.locale, v.version, d.type_key, v.slug, d.version, v.fields, v.variants, $4, $5
		FROM v JOIN entry_drafts d USING (entry_id, locale)`
	sqlPendingOfDraft = `SELECT campaign_id::text, visible_from FROM scheduled_publications
		WHERE entry_id = $1 AND locale = $2 AND visible_from > $3 ORDER BY campaign_id FOR UPDATE`
)

var (
	sqlDropSnapshotsOf = fmt.Sprintf(dropSnapshots,
		`campaign_id = $1 AND (entry_id, locale) IN (SELECT * FROM unnest($2::uuid[], $3::text[]))`)
	sqlDropPending = fmt.Sprintf(dropSnapshots, `campaign_id = $1 AND visible_from > $2`)
)

func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// snapshotDrafts snapshots drafts, at the versions that were validated, as
// versions visible from visibleFrom, replacing campaignID's snapshots of
// the same entries.
func snapshotDrafts(ctx context.Context, tx pgx.Tx, campaignID string, refs []content.DraftRef, visibleFrom time.Time, actor string) error {
	ids := make([]string, len(refs))
	locales := make([]string, len(refs))
	want := make(map[string]int, len(refs))
	for i, r := range refs {
		ids[i], locales[i] = r.EntryID, r.Locale
		want[r.EntryID+"\x00"+r.Locale] = r.Version
	}
	rows, err := tx.Query(ctx, sqlLockReleaseDrafts, ids, locales)
	if err != nil {
		return fmt.Errorf("locking release drafts: %w", err)
	}
	type locked struct {
		ID, Locale string
		Version    int
	}
	got, err := pgx.CollectRows(rows, pgx.RowToStructByPos[locked])
	if err != nil {
		return fmt.Errorf("locking release drafts: %w", err)
	}
	if len(got) != len(refs) {
		return errs.E(errs.Conflict, "an entry of the release was deleted while it was being scheduled: retry")
	}
	for _, d := range got {
		if v := want[d.ID+"\x00"+d.Locale]; v != d.Version {
			return errs.E(errs.Conflict, "entry %s (%s) was saved (version %d) after it was validated (version %d): retry",
				d.ID, d.Locale, d.Version, v)
		}
	}
	if err := checkReleaseSlugs(ctx, tx, ids, locales); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, sqlDropSnapshotsOf, campaignID, ids, locales); err != nil {
		return fmt.Errorf("replacing release snapshots: %w", err)
	}
	if _, err := tx.Exec(ctx, sqlSnapshot, campaignID, ids, locales, visibleFrom, actor); err != nil {
		return mapError(err, "release snapshot")
	}
	return nil
}

func checkReleaseSlugs(ctx context.Context, tx pgx.Tx, ids, locales []string) error {
	rows, err := tx.Query(ctx, sqlReleaseSlugClash, ids, locales)
	if err != nil {
		return fmt.Errorf("checking release slugs: %w", err)
	}
	type clash struct{ ID, Locale, Slug string }
	found, err := pgx.CollectRows(rows, pgx.RowToStructByPos[clash])
	if err != nil {
		return fmt.Errorf("checking release slugs: %w", err)
	}
	if len(found) == 0 {
		return nil
	}
	var msgs []string
	for _, c := range found {
		msgs = append(msgs, fmt.Sprintf("%q (%s, entry %s)", c.Slug, c.Locale, c.ID))
	}
	return errs.E(errs.Conflict, "slug already published by another entry, so the release would clash at its start: %s",
		strings.Join(msgs, ", "))
}

// refreshSnapshots re-snapshots the saved draft (id, locale) for every
// release that will publish it after `at` — in the saving transaction, so a
// release always publishes the draft as last saved, validated on save.
func refreshSnapshots(ctx context.Context, tx pgx.Tx, id, locale string, at time.Time, actor string) error {
	if at.IsZero() {
		at = time.Now()
	}
	rows, err := tx.Query(ctx, sqlPendingOfDraft, id, locale, at)
	if err != nil {
		return fmt.Errorf("finding releases of %s: %w", id, err)
	}
	type pending struct {
		Campaign string
		From     time.Time
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[pending])
	if err != nil || len(list) == 0 {
		return err
	}
	var version int
	if err := tx.QueryRow(ctx, `SELECT version FROM entry_drafts WHERE entry_id = $1 AND locale = $2`, id, locale).Scan(&version); err != nil {
		return mapError(err, fmt.Sprintf("entry %s (%s)", id, locale))
	}
	ref := []content.DraftRef{{EntryID: id, Locale: locale, Version: version}}
	for _, p := range list {
		if err := snapshotDrafts(ctx, tx, p.Campaign, ref, p.From, actor); err != nil {
			return err
		}
	}
	return announceCampaign(ctx, tx, at, "", list[0].Campaign)
}

var _ campaign.Store = (*CampaignStore)(nil)
