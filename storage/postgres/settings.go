package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/mosaichq/mosaic/content"
)

// SettingDemoSeeded is the settings row written once the demo is seeded.
const SettingDemoSeeded = "demo_seeded"

const (
	sqlSettingAt  = `SELECT updated_at FROM settings WHERE key = $1`
	sqlSetSetting = `INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at`
	sqlDeleteSetting = `DELETE FROM settings WHERE key = $1`

	// The demo reset deletes every entry (drafts, versions, publications,
	// links, release items and scheduled publications go with them by
	// cascade), then campaigns, segments, experiments and types. Users, API
	// keys, assets, the audit log, events and the change log stay: the
	// change log only ever grows, so every replica's epoch moves forward.
	sqlResetEntries     = `DELETE FROM entries RETURNING id::text, type_key`
	sqlResetCampaigns   = `DELETE FROM campaigns RETURNING id::text, key`
	sqlResetSegments    = `DELETE FROM segments`
	sqlResetExperiments = `DELETE FROM experiments`
	sqlResetTypes       = `DELETE FROM content_types RETURNING key`
)

// DemoSeededAt returns when the demo was seeded, and false if it never was
// (or was reset since).
func (s *Store) DemoSeededAt(ctx context.Context) (time.Time, bool, error) {
	var at time.Time
	err := s.pool.QueryRow(ctx, sqlSettingAt, SettingDemoSeeded).Scan(&at)
	if errors.Is(err, pgx.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("reading the demo seed mark: %w", err)
	}
	return at, true, nil
}

// MarkDemoSeeded records that the demo was seeded at `at` by actor.
func (s *Store) MarkDemoSeeded(ctx context.Context, at time.Time, actor string) error {
	if _, err := s.pool.Exec(ctx, sqlSetSetting, SettingDemoSeeded, map[string]any{"by": actor}, at); err != nil {
		return fmt.Errorf("writing the demo seed mark: %w", err)
	}
	return nil
}

// ResetContent deletes all content — entries, campaigns, segments,
// experiments, content types — and the demo seed mark, in one transaction,
// recording a delete change per entry and a model change per type so every
// replica's caches and search index follow. It returns the rows deleted per
// table.
func (s *Store) ResetContent(ctx context.Context, at time.Time) (map[string]int, error) {
	out := map[string]int{}
	err := s.tx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, sqlResetEntries)
		if err != nil {
			return fmt.Errorf("deleting entries: %w", err)
		}
		type row struct{ id, typ string }
		entries, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
			var x row
			return x, r.Scan(&x.id, &x.typ)
		})
		if err != nil {
			return fmt.Errorf("deleting entries: %w", err)
		}
		for _, e := range entries {
			if err := recordChange(ctx, tx, e.id, "", e.typ, content.ChangeDelete, at); err != nil {
				return err
			}
		}
		out["entries"] = len(entries)
		rows, err = tx.Query(ctx, sqlResetCampaigns)
		if err != nil {
			return fmt.Errorf("deleting campaigns: %w", err)
		}
		camps, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
			var x row
			return x, r.Scan(&x.id, &x.typ)
		})
		if err != nil {
			return fmt.Errorf("deleting campaigns: %w", err)
		}
		for _, c := range camps {
			if err := announceCampaign(ctx, tx, at, c.typ, c.id); err != nil {
				return err
			}
		}
		out["campaigns"] = len(camps)
		for _, q := range []struct{ table, sql string }{{"segments", sqlResetSegments}, {"experiments", sqlResetExperiments}} {
			tag, err := tx.Exec(ctx, q.sql)
			if err != nil {
				return fmt.Errorf("deleting %s: %w", q.table, err)
			}
			out[q.table] = int(tag.RowsAffected())
		}
		if err := announce(ctx, tx, "reset"); err != nil {
			return err
		}
		rows, err = tx.Query(ctx, sqlResetTypes)
		if err != nil {
			return fmt.Errorf("deleting content types: %w", err)
		}
		types, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return fmt.Errorf("deleting content types: %w", err)
		}
		for _, key := range types {
			if _, err := tx.Exec(ctx, sqlModelChanged, key); err != nil {
				return fmt.Errorf("recording the removal of type %s: %w", key, err)
			}
		}
		out["types"] = len(types)
		_, err = tx.Exec(ctx, sqlDeleteSetting, SettingDemoSeeded)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
