package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/mosaichq/mosaic/events"
	"github.com/mosaichq/mosaic/scheduler"
)

// EventsChannel is the NOTIFY channel on which new event ids are announced.
// The payload is only a hint: listeners read the log after their cursor.
const EventsChannel = "mosaic_events"

const (
	eventColumns   = `id, type, at, created_at, COALESCE(campaign_id, ''), channels, devices, data`
	sqlEventsAfter = `SELECT ` + eventColumns + ` FROM events WHERE id > $1 ORDER BY id LIMIT $2`
	sqlEventBounds = `SELECT pruned_through, last_id FROM event_log_head`
	// Taking the next id locks the head row until commit: ids commit in
	// order (see migration 000005). ON CONFLICT makes the announcement
	// exactly-once; the NOTIFY is sent only if this transaction commits.
	sqlAnnounce = `WITH n AS (UPDATE event_log_head SET last_id = last_id + 1 RETURNING last_id),
		e AS (INSERT INTO events (id, type, at, campaign_id, channels, devices, data)
			SELECT last_id, $1, $2, $3, $4, $5, $6 FROM n
			ON CONFLICT (campaign_id, type, at) WHERE campaign_id IS NOT NULL DO NOTHING
			RETURNING ` + eventColumns + `)
		SELECT e.*, pg_notify('` + EventsChannel + `', e.id::text) IS NULL FROM e`
	sqlAnnouncedSince = `SELECT campaign_id, type, at FROM events WHERE campaign_id IS NOT NULL AND at >= $1`
	sqlWatermark      = `SELECT announced_through FROM scheduler_state`
	sqlSetWatermark   = `INSERT INTO scheduler_state (singleton, announced_through) VALUES (true, $1)
		ON CONFLICT (singleton) DO UPDATE SET announced_through = GREATEST(scheduler_state.announced_through, EXCLUDED.announced_through)`
	// Deliveries of pruned events go with them (ON DELETE CASCADE).
	sqlPrune = `WITH d AS (DELETE FROM events WHERE created_at < $1 RETURNING id)
		UPDATE event_log_head SET pruned_through = GREATEST(pruned_through, (SELECT max(id) FROM d))
		WHERE EXISTS (SELECT 1 FROM d) RETURNING (SELECT count(*) FROM d)`
)

// EventLog is the event log: it implements events.Store for the hubs and
// scheduler.Store for the scheduler.
type EventLog struct {
	pool *pgxpool.Pool
}

// NewEventLog returns the event log over pool.
func NewEventLog(pool *pgxpool.Pool) *EventLog { return &EventLog{pool: pool} }

// After implements events.Store.
func (l *EventLog) After(ctx context.Context, after int64, limit int) ([]events.Event, error) {
	rows, err := l.pool.Query(ctx, sqlEventsAfter, after, limit)
	if err != nil {
		return nil, fmt.Errorf("reading events after %d: %w", after, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (events.Event, error) { return scanEvent(r) })
}

// Bounds implements events.Store.
func (l *EventLog) Bounds(ctx context.Context) (pruned, head int64, err error) {
	if err := l.pool.QueryRow(ctx, sqlEventBounds).Scan(&pruned, &head); err != nil {
		return 0, 0, fmt.Errorf("reading the event log's bounds: %w", err)
	}
	return pruned, head, nil
}

// eventRow receives an event's columns (eventColumns) from a scan.
type eventRow struct {
	e                 events.Event
	campaignID        string
	channels, devices []string
	data              []byte
}

func (r *eventRow) targets() []any {
	return []any{&r.e.ID, &r.e.Type, &r.e.At, &r.e.CreatedAt, &r.campaignID, &r.channels, &r.devices, &r.data}
}

func (r *eventRow) event() (events.Event, error) {
	e := r.e
	switch {
	case r.campaignID != "":
		e.Campaign = &events.Campaign{}
		if err := json.Unmarshal(r.data, e.Campaign); err != nil {
			return e, fmt.Errorf("decoding event %d: %w", e.ID, err)
		}
		e.Campaign.ID, e.Campaign.Channels, e.Campaign.Devices = r.campaignID, r.channels, r.devices
	case events.IsReport(e.Type):
		e.Report = json.RawMessage(r.data)
	case e.Type == events.TypeChanged:
		e.Change = &events.Change{}
		if err := json.Unmarshal(r.data, e.Change); err != nil {
			return e, fmt.Errorf("decoding event %d: %w", e.ID, err)
		}
	}
	return e, nil
}

// scanEvent scans eventColumns, then extra.
func scanEvent(row pgx.Row, extra ...any) (events.Event, error) {
	var r eventRow
	if err := row.Scan(append(r.targets(), extra...)...); err != nil {
		return events.Event{}, err
	}
	return r.event()
}

// Announce implements scheduler.Store.
func (l *EventLog) Announce(ctx context.Context, t scheduler.Transition) (events.Event, bool, error) {
	data, err := json.Marshal(map[string]string{"key": t.CampaignKey})
	if err != nil {
		return events.Event{}, false, err
	}
	var notified bool
	e, err := scanEvent(l.pool.QueryRow(ctx, sqlAnnounce, t.Kind.EventType(), t.At, t.CampaignID,
		nonNil(t.Channels), nonNil(t.Devices), data), &notified)
	if errors.Is(err, pgx.ErrNoRows) {
		return events.Event{}, false, nil
	}
	if err != nil {
		return events.Event{}, false, fmt.Errorf("announcing %s of campaign %s at %s: %w", t.Kind, t.CampaignKey, t.At, err)
	}
	return e, true, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Announced implements scheduler.Store.
func (l *EventLog) Announced(ctx context.Context, since time.Time) (map[scheduler.Key]bool, error) {
	rows, err := l.pool.Query(ctx, sqlAnnouncedSince, since)
	if err != nil {
		return nil, fmt.Errorf("reading announcements: %w", err)
	}
	defer rows.Close()
	out := map[scheduler.Key]bool{}
	for rows.Next() {
		var id, typ string
		var at time.Time
		if err := rows.Scan(&id, &typ, &at); err != nil {
			return nil, err
		}
		kind := scheduler.Kind(typ[len("campaign."):])
		out[scheduler.Transition{CampaignID: id, Kind: kind, At: at}.Key()] = true
	}
	return out, rows.Err()
}

// Watermark implements scheduler.Store.
func (l *EventLog) Watermark(ctx context.Context) (time.Time, bool, error) {
	var t time.Time
	err := l.pool.QueryRow(ctx, sqlWatermark).Scan(&t)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return time.Time{}, false, nil
	case err != nil:
		return time.Time{}, false, fmt.Errorf("reading the scheduler's watermark: %w", err)
	}
	return t, true, nil
}

// SetWatermark implements scheduler.Store.
func (l *EventLog) SetWatermark(ctx context.Context, t time.Time) error {
	if _, err := l.pool.Exec(ctx, sqlSetWatermark, t); err != nil {
		return fmt.Errorf("moving the scheduler's watermark: %w", err)
	}
	return nil
}

// Prune implements scheduler.Store.
func (l *EventLog) Prune(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := l.pool.QueryRow(ctx, sqlPrune, before).Scan(&n)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("pruning events before %s: %w", before, err)
	}
	return n, nil
}
