package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/mosaichq/mosaic/fleet"
)

const (
	// A known unit is one UPDATE: the common case, every interval.
	sqlTouchScreen = `UPDATE screen_heartbeats SET slug = $2, channel = NULLIF($3, ''), device = NULLIF($4, ''),
			locale = NULLIF($5, ''), bundle_version = NULLIF($6, ''), frame = NULLIF($7, ''), clock_offset_ms = $8,
			client = NULLIF($9, ''), address = NULLIF($10, ''), last_seen_at = $11
		WHERE screen_id = $1`
	// New units take turns (per schema), so that counting and inserting
	// cannot interleave and overshoot the bound. New ids are rare: one per
	// unit ever installed, or an abuser's, which is what the bound is for.
	sqlLockNewScreens = `SELECT pg_advisory_xact_lock(hashtext('mosaic.screen_heartbeats.' || current_schema()))`
	sqlCountScreens   = `SELECT count(*) FROM screen_heartbeats`
	// sqlEvictSilentScreen makes room for a new unit by deleting the one
	// silent longest, if it has been silent since before $1 (OFFLINE):
	// ids someone made up stop reporting, real units do not.
	sqlEvictSilentScreen = `DELETE FROM screen_heartbeats WHERE screen_id = (
		SELECT screen_id FROM screen_heartbeats WHERE last_seen_at < $1 ORDER BY last_seen_at LIMIT 1)`
	sqlInsertScreen = `INSERT INTO screen_heartbeats (screen_id, slug, channel, device, locale, bundle_version, frame,
			clock_offset_ms, client, address, first_seen_at, last_seen_at)
		VALUES ($1, $2, NULLIF($3, ''), NULLIF($4, ''), NULLIF($5, ''), NULLIF($6, ''), NULLIF($7, ''), $8,
			NULLIF($9, ''), NULLIF($10, ''), $11, $11)`
	sqlScreens = `SELECT screen_id, slug, COALESCE(channel, ''), COALESCE(device, ''), COALESCE(locale, ''),
			COALESCE(bundle_version, ''), COALESCE(frame, ''), clock_offset_ms, COALESCE(client, ''),
			COALESCE(address, ''), first_seen_at, last_seen_at
		FROM screen_heartbeats
		WHERE ($1 = '' OR slug = $1)
			AND ($2::timestamptz IS NULL OR last_seen_at >= $2)
			AND ($3::timestamptz IS NULL OR last_seen_at < $3)
			AND ($4::text IS NULL OR (slug, screen_id) > ($4, $5))
		ORDER BY slug, screen_id LIMIT $6`
	sqlForgetScreen = `DELETE FROM screen_heartbeats WHERE screen_id = $1`
	sqlPruneScreens = `DELETE FROM screen_heartbeats WHERE last_seen_at < $1`
	// One scan of a table bounded by MOSAIC_SCREEN_FLEET_MAX rows.
	sqlCountSeenScreens = `SELECT count(*) FILTER (WHERE last_seen_at >= $1), count(*) FROM screen_heartbeats`
)

// FleetStore implements fleet.Store.
type FleetStore struct{ s *Store }

// Fleet returns the fleet store.
func (s *Store) Fleet() *FleetStore { return &FleetStore{s: s} }

// Record implements fleet.Store.
func (f *FleetStore) Record(ctx context.Context, h fleet.Heartbeat, at time.Time, n fleet.NewUnit) error {
	args := []any{h.ScreenID, h.Screen, h.Channel, h.Device, h.Locale, h.BundleVersion, h.Frame, h.ClockOffsetMs,
		h.Client, h.Address, at}
	tag, err := f.s.pool.Exec(ctx, sqlTouchScreen, args...)
	if err != nil {
		return fmt.Errorf("recording heartbeat of %q: %w", h.ScreenID, err)
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	err = f.s.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, sqlLockNewScreens); err != nil {
			return err
		}
		// Another request for the same new unit may have inserted it
		// while this one waited for the lock.
		tag, err := tx.Exec(ctx, sqlTouchScreen, args...)
		if err != nil || tag.RowsAffected() == 1 {
			return err
		}
		if n.Admit != nil {
			if err := n.Admit(); err != nil {
				return err
			}
		}
		var count int
		if err := tx.QueryRow(ctx, sqlCountScreens).Scan(&count); err != nil {
			return err
		}
		if count >= n.Max {
			tag, err := tx.Exec(ctx, sqlEvictSilentScreen, n.EvictBefore)
			if err != nil {
				return err
			}
			if tag.RowsAffected() == 0 {
				return fleet.ErrFull
			}
		}
		_, err = tx.Exec(ctx, sqlInsertScreen, args...)
		return err
	})
	return mapError(err, "screen heartbeat")
}

// Screens implements fleet.Store.
func (f *FleetStore) Screens(ctx context.Context, q fleet.Query) ([]fleet.Unit, error) {
	var after, afterID *string
	if q.After != nil {
		after, afterID = &q.After.Screen, &q.After.ScreenID
	}
	rows, err := f.s.pool.Query(ctx, sqlScreens, q.Screen, nilTime(q.SeenSince), nilTime(q.SeenBefore), after, afterID, q.Limit)
	if err != nil {
		return nil, fmt.Errorf("listing screens: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (fleet.Unit, error) {
		var s fleet.Unit
		err := r.Scan(&s.ScreenID, &s.Screen, &s.Channel, &s.Device, &s.Locale, &s.BundleVersion, &s.Frame,
			&s.ClockOffsetMs, &s.Client, &s.Address, &s.FirstSeenAt, &s.LastSeenAt)
		return s, err
	})
}

// Forget implements fleet.Store.
func (f *FleetStore) Forget(ctx context.Context, screenID string) (bool, error) {
	tag, err := f.s.pool.Exec(ctx, sqlForgetScreen, screenID)
	if err != nil {
		return false, fmt.Errorf("deleting screen %q: %w", screenID, err)
	}
	return tag.RowsAffected() > 0, nil
}

// Prune implements fleet.Store.
func (f *FleetStore) Prune(ctx context.Context, before time.Time) (int, error) {
	tag, err := f.s.pool.Exec(ctx, sqlPruneScreens, before)
	if err != nil {
		return 0, fmt.Errorf("deleting screens last seen before %s: %w", before.Format(time.RFC3339), err)
	}
	return int(tag.RowsAffected()), nil
}

// Counts implements fleet.Store.
func (f *FleetStore) Counts(ctx context.Context, since time.Time) (seen, total int, err error) {
	if err := f.s.pool.QueryRow(ctx, sqlCountSeenScreens, since).Scan(&seen, &total); err != nil {
		return 0, 0, fmt.Errorf("counting screens: %w", err)
	}
	return seen, total, nil
}

// nilTime is NULL for the zero time (no bound).
func nilTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
