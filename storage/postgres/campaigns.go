package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/mosaichq/mosaic/campaign"
	"github.com/mosaichq/mosaic/errs"
)

// ChangeCampaign is the change-feed action for a campaign write (schedule,
// launch, stop, update, archive, release change, release snapshot): every
// replica rebuilds its decision engine and drops its delivery caches.
const ChangeCampaign = "campaign"

const (
	campaignColumns = `c.id::text, c.key, c.name, c.description, c.time_zone, c.priority, c.channels,
		c.starts_at, c.ends_at, c.stopped_at, COALESCE(c.stopped_by, ''), c.archived_at, c.version,
		c.created_at, c.created_by, c.updated_at, c.updated_by,
		(SELECT count(*) FROM campaign_release_items r WHERE r.campaign_id = c.id), c.cap, c.cost, c.holdout`
	sqlCampaigns      = `SELECT ` + campaignColumns + ` FROM campaigns c ORDER BY c.key`
	sqlCampaign       = `SELECT ` + campaignColumns + ` FROM campaigns c WHERE c.id = $1`
	sqlCampaignByKey  = `SELECT ` + campaignColumns + ` FROM campaigns c WHERE c.key = $1`
	sqlInsertCampaign = `INSERT INTO campaigns (id, key, name, description, time_zone, priority, channels,
			created_at, created_by, updated_at, updated_by, cap, cost, holdout)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $8, $9, $10, $11, $12)`
	sqlUpdateCampaign = `UPDATE campaigns SET name = $3, description = $4, time_zone = $5, priority = $6, channels = $7,
			starts_at = $8, ends_at = $9, stopped_at = $10, stopped_by = NULLIF($11, ''), archived_at = $12,
			updated_at = $13, updated_by = $14, cap = $15, cost = $16, holdout = $17, version = version + 1
		WHERE id = $1 AND version = $2`
	sqlCampaignVersion = `SELECT version FROM campaigns WHERE id = $1 FOR UPDATE`
	sqlRelease         = `SELECT r.entry_id::text, r.locale, COALESCE(d.type_key, ''), COALESCE(d.slug, ''), r.added_at, r.added_by,
			COALESCE(s.version, 0)
		FROM campaign_release_items r
		LEFT JOIN entry_drafts d ON d.entry_id = r.entry_id AND d.locale = r.locale
		LEFT JOIN scheduled_publications s ON s.campaign_id = r.campaign_id AND s.entry_id = r.entry_id AND s.locale = r.locale
		WHERE r.campaign_id = $1 ORDER BY r.added_at, r.entry_id, r.locale`
	sqlAddReleaseItems = `INSERT INTO campaign_release_items (campaign_id, entry_id, locale, added_at, added_by)
		SELECT $1, i.entry_id, i.locale, $4, $5 FROM unnest($2::uuid[], $3::text[]) AS i(entry_id, locale)`
	sqlRemoveReleaseItems = `DELETE FROM campaign_release_items
		WHERE campaign_id = $1 AND (entry_id, locale) IN (SELECT * FROM unnest($2::uuid[], $3::text[]))`
	// The change row and its NOTIFY commit with the write; the row names
	// the campaign for its "changed" event (migration 000008).
	sqlCampaignChanged = `WITH c AS (INSERT INTO content_changes (action, at, campaign_key, campaign_id)
			VALUES ('` + ChangeCampaign + `', $1, $2, $3) RETURNING epoch)
		SELECT pg_notify('` + ChangesChannel + `', json_build_object('epoch', epoch, 'action', '` + ChangeCampaign + `',
			'campaign', $2::text, 'id', $3::text)::text) FROM c`
)

// CampaignStore implements campaign.Store.
type CampaignStore struct{ s *Store }

// Campaigns returns the campaign store.
func (s *Store) Campaigns() *CampaignStore { return &CampaignStore{s: s} }

func scanCampaign(row pgx.Row) (campaign.Campaign, error) {
	var c campaign.Campaign
	var starts, ends, stopped, archived *time.Time
	err := row.Scan(&c.ID, &c.Key, &c.Name, &c.Description, &c.TimeZone, &c.Priority, &c.Channels,
		&starts, &ends, &stopped, &c.StoppedBy, &archived, &c.Version,
		&c.CreatedAt, &c.CreatedBy, &c.UpdatedAt, &c.UpdatedBy, &c.ReleaseSize, &c.Cap, &c.Cost, &c.Holdout)
	for _, p := range []struct {
		dst *time.Time
		src *time.Time
	}{{&c.StartsAt, starts}, {&c.EndsAt, ends}, {&c.StoppedAt, stopped}, {&c.ArchivedAt, archived}} {
		if p.src != nil {
			*p.dst = p.src.UTC()
		}
	}
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	if c.Channels == nil {
		c.Channels = []string{}
	}
	return c, err
}

// nullTime passes a zero time as SQL NULL.
func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// announceCampaign records a campaign change and NOTIFYs in the write's
// transaction: the content epoch moves and every replica hears of it.
func announceCampaign(ctx context.Context, tx pgx.Tx, at time.Time, key, id string) error {
	if _, err := tx.Exec(ctx, sqlCampaignChanged, at, key, id); err != nil {
		return fmt.Errorf("recording a change of campaign %s: %w", key, err)
	}
	return nil
}

// List implements campaign.Store.
func (cs *CampaignStore) List(ctx context.Context) ([]campaign.Campaign, error) {
	rows, err := cs.s.pool.Query(ctx, sqlCampaigns)
	if err != nil {
		return nil, fmt.Errorf("listing campaigns: %w", err)
	}
	defer rows.Close()
	var out []campaign.Campaign
	for rows.Next() {
		c, err := scanCampaign(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Get implements campaign.Store.
func (cs *CampaignStore) Get(ctx context.Context, id string) (campaign.Campaign, error) {
	c, err := scanCampaign(cs.s.pool.QueryRow(ctx, sqlCampaign, id))
	return c, mapError(err, fmt.Sprintf("campaign %s", id))
}

// GetByKey implements campaign.Store.
func (cs *CampaignStore) GetByKey(ctx context.Context, key string) (campaign.Campaign, error) {
	c, err := scanCampaign(cs.s.pool.QueryRow(ctx, sqlCampaignByKey, key))
	return c, mapError(err, fmt.Sprintf("campaign %q", key))
}

// Create implements campaign.Store.
func (cs *CampaignStore) Create(ctx context.Context, c campaign.Campaign) (campaign.Campaign, error) {
	var out campaign.Campaign
	err := cs.s.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, sqlInsertCampaign, c.ID, c.Key, c.Name, c.Description, c.TimeZone, c.Priority,
			c.Channels, c.CreatedAt, c.CreatedBy, c.Cap, c.Cost, c.Holdout); err != nil {
			if pe := pgCode(err); pe == "23505" {
				return errs.Wrap(errs.Conflict, err, "campaign key %q is taken", c.Key)
			}
			return mapError(err, fmt.Sprintf("campaign %q", c.Key))
		}
		if err := announceCampaign(ctx, tx, c.CreatedAt, c.Key, c.ID); err != nil {
			return err
		}
		var err error
		out, err = scanCampaign(tx.QueryRow(ctx, sqlCampaign, c.ID))
		return err
	})
	return out, err
}

// Save implements campaign.Store.
func (cs *CampaignStore) Save(ctx context.Context, w campaign.Write) (campaign.Campaign, error) {
	c := w.Campaign
	var out campaign.Campaign
	err := cs.s.tx(ctx, func(tx pgx.Tx) error {
		var cur int
		if err := tx.QueryRow(ctx, sqlCampaignVersion, c.ID).Scan(&cur); err != nil {
			return mapError(err, fmt.Sprintf("campaign %s", c.Key))
		}
		if cur != w.ExpectedVersion {
			return errs.E(errs.Conflict, "campaign %s is at version %d, not %d: reload and reapply your change", c.Key, cur, w.ExpectedVersion)
		}
		if _, err := tx.Exec(ctx, sqlUpdateCampaign, c.ID, w.ExpectedVersion, c.Name, c.Description, c.TimeZone, c.Priority,
			c.Channels, nullTime(c.StartsAt), nullTime(c.EndsAt), nullTime(c.StoppedAt), c.StoppedBy, nullTime(c.ArchivedAt),
			w.At, w.Actor, c.Cap, c.Cost, c.Holdout); err != nil {
			return mapError(err, fmt.Sprintf("campaign %s", c.Key))
		}
		if err := cs.changeRelease(ctx, tx, w); err != nil {
			return err
		}
		if err := announceCampaign(ctx, tx, w.At, c.Key, c.ID); err != nil {
			return err
		}
		var err error
		out, err = scanCampaign(tx.QueryRow(ctx, sqlCampaign, c.ID))
		return err
	})
	return out, err
}

// changeRelease applies w's release changes: items out (with their
// snapshots), items in, pending snapshots dropped, new snapshots taken.
func (cs *CampaignStore) changeRelease(ctx context.Context, tx pgx.Tx, w campaign.Write) error {
	id := w.Campaign.ID
	if len(w.RemoveItems) > 0 {
		ids, locales := itemColumns(w.RemoveItems)
		if _, err := tx.Exec(ctx, sqlRemoveReleaseItems, id, ids, locales); err != nil {
			return fmt.Errorf("removing release items: %w", err)
		}
		if _, err := tx.Exec(ctx, sqlDropSnapshotsOf, id, ids, locales); err != nil {
			return fmt.Errorf("dropping release snapshots: %w", err)
		}
	}
	if len(w.AddItems) > 0 {
		ids, locales := itemColumns(w.AddItems)
		if _, err := tx.Exec(ctx, sqlAddReleaseItems, id, ids, locales, w.At, w.Actor); err != nil {
			if pgCode(err) == "23503" {
				return errs.Wrap(errs.NotFound, err, "entry %s does not exist", w.AddItems[0].EntryID)
			}
			return mapError(err, "release item")
		}
	}
	if w.DropPending {
		if _, err := tx.Exec(ctx, sqlDropPending, id, w.At); err != nil {
			return fmt.Errorf("dropping pending release snapshots: %w", err)
		}
	}
	if len(w.Snapshot) > 0 {
		return snapshotDrafts(ctx, tx, id, w.Snapshot, w.Campaign.StartsAt, w.Actor)
	}
	return nil
}

func itemColumns(items []campaign.ReleaseItem) (ids, locales []string) {
	for _, it := range items {
		ids, locales = append(ids, it.EntryID), append(locales, it.Locale)
	}
	return ids, locales
}

// Release implements campaign.Store.
func (cs *CampaignStore) Release(ctx context.Context, id string) ([]campaign.ReleaseItem, error) {
	rows, err := cs.s.pool.Query(ctx, sqlRelease, id)
	if err != nil {
		return nil, fmt.Errorf("listing the release: %w", err)
	}
	defer rows.Close()
	out := []campaign.ReleaseItem{}
	for rows.Next() {
		var it campaign.ReleaseItem
		if err := rows.Scan(&it.EntryID, &it.Locale, &it.Type, &it.Slug, &it.AddedAt, &it.AddedBy, &it.ScheduledVersion); err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}
