package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/measurement/recommend"
)

const (
	// The recommendations' rebuild at start (measurement/recommend): views
	// naming an entry and purchase track events of the last window, in
	// time order, read by one query streamed (one sort, not one per page).
	// day prunes the partitions.
	sqlRecommendEvents = `SELECT id, type, visitor_id, time, received_at, COALESCE(entry, ''), COALESCE(name, ''), data
		FROM measurement_events
		WHERE day >= $1::date AND time >= $1 AND ((type = 'view' AND entry IS NOT NULL) OR (type = 'track' AND name = $2))
		ORDER BY time, id`
	// Each visitor's latest decision record of the window: the device and
	// channel its views count under.
	sqlRecommendContexts = `SELECT DISTINCT ON (visitor_id) visitor_id, time, COALESCE(device, ''), COALESCE(channel, '')
		FROM measurement_decisions
		WHERE day >= $1::date AND time >= $1 AND visitor_id <> ''
		ORDER BY visitor_id, time DESC`
)

// contextBatch is how many visitors' contexts are handed over at once.
const contextBatch = 5000

var _ recommend.History = (*MeasurementStore)(nil)

// RecommendEvents implements recommend.History.
func (s *MeasurementStore) RecommendEvents(ctx context.Context, since time.Time, batch int, fn func([]measurement.Event) error) error {
	rows, err := s.pool.Query(ctx, sqlRecommendEvents, since.UTC(), recommend.PurchaseEvent)
	if err != nil {
		return fmt.Errorf("reading events for recommendations: %w", err)
	}
	defer rows.Close()
	out := make([]measurement.Event, 0, batch)
	for rows.Next() {
		var e measurement.Event
		var data []byte
		if err := rows.Scan(&e.ID, &e.Type, &e.VisitorID, &e.Time, &e.ReceivedAt, &e.Entry, &e.Name, &data); err != nil {
			return fmt.Errorf("reading events for recommendations: %w", err)
		}
		if len(data) > 0 {
			e.Properties = json.RawMessage(data)
		}
		if out = append(out, e); len(out) == batch {
			if err := fn(out); err != nil {
				return err
			}
			out = make([]measurement.Event, 0, batch)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reading events for recommendations: %w", err)
	}
	if len(out) > 0 {
		return fn(out)
	}
	return nil
}

// RecommendContexts implements recommend.History.
func (s *MeasurementStore) RecommendContexts(ctx context.Context, since time.Time, fn func([]measurement.Decision) error) error {
	rows, err := s.pool.Query(ctx, sqlRecommendContexts, since.UTC())
	if err != nil {
		return fmt.Errorf("reading visitors' contexts for recommendations: %w", err)
	}
	var out []measurement.Decision
	var d measurement.Decision
	_, err = pgx.ForEachRow(rows, []any{&d.VisitorID, &d.Time, &d.Device, &d.Channel}, func() error {
		if out = append(out, d); len(out) == contextBatch {
			if err := fn(out); err != nil {
				return err
			}
			out = nil
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("reading visitors' contexts for recommendations: %w", err)
	}
	if len(out) > 0 {
		return fn(out)
	}
	return nil
}
