package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/mosaichq/mosaic/content"
)

const (
	// DISTINCT on the primary key's leading column walks the index in
	// order: paging through every published document stays cheap.
	sqlPublishedIDs = `SELECT DISTINCT entry_id::text FROM published_entries
		WHERE ($1 = '' OR type_key = $1) AND entry_id > $2::uuid
		ORDER BY 1 LIMIT $3`
	sqlCountPublished = `SELECT count(DISTINCT entry_id) FROM published_entries`
	sqlChangesSince   = `SELECT epoch, action, COALESCE(entry_id::text, ''), COALESCE(locale, ''), COALESCE(type_key, '')
		FROM content_changes WHERE epoch > $1 ORDER BY epoch LIMIT $2`
)

// zeroUUID sorts before every entry id.
const zeroUUID = "00000000-0000-0000-0000-000000000000"

// PublishedIDs implements content.ChangeLog.
func (s *Store) PublishedIDs(ctx context.Context, typeKey, after string, limit int) ([]string, error) {
	if after == "" {
		after = zeroUUID
	}
	rows, err := s.reader().Query(ctx, sqlPublishedIDs, typeKey, after, limit)
	if err != nil {
		return nil, fmt.Errorf("listing published ids: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// CountPublished implements content.ChangeLog.
func (s *Store) CountPublished(ctx context.Context) (int, error) {
	var n int
	err := s.reader().QueryRow(ctx, sqlCountPublished).Scan(&n)
	return n, mapError(err, "published entries")
}

// ChangesSince implements content.ChangeLog.
func (s *Store) ChangesSince(ctx context.Context, epoch int64, limit int) ([]content.Change, error) {
	rows, err := s.reader().Query(ctx, sqlChangesSince, epoch, limit)
	if err != nil {
		return nil, fmt.Errorf("reading the change log: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (content.Change, error) {
		var c content.Change
		err := r.Scan(&c.Epoch, &c.Action, &c.Entry, &c.Locale, &c.Type)
		return c, err
	})
}
