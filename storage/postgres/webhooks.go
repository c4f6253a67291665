package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/webhook"
)

const (
	endpointColumns   = `id::text, url, description, event_types, secret, created_at, created_by`
	sqlCreateEndpoint = `INSERT INTO webhook_endpoints (url, description, event_types, secret, created_by)
		VALUES ($1, $2, $3, $4, $5) RETURNING ` + endpointColumns
	sqlEndpoints      = `SELECT ` + endpointColumns + ` FROM webhook_endpoints ORDER BY created_at DESC, id`
	sqlDeleteEndpoint = `DELETE FROM webhook_endpoints WHERE id = $1`

	// Fan-out, in one transaction: the cursor row is locked first, so
	// replicas take turns and each event fans out once. Every statement
	// reads a fresh snapshot (READ COMMITTED), so the events read after
	// waiting for the lock include everything the previous holder saw.
	sqlLockDispatch = `SELECT last_event_id FROM webhook_dispatch FOR UPDATE`
	sqlDispatchTo   = `SELECT max(id), count(*) FROM (SELECT id FROM events WHERE id > $1 ORDER BY id LIMIT $2) e`
	// An endpoint's types are exact names or prefixes ending in '*'.
	sqlFanOut = `INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type)
		SELECT ep.id, ev.id, ev.type FROM events ev JOIN webhook_endpoints ep
			ON cardinality(ep.event_types) = 0 OR EXISTS (SELECT 1 FROM unnest(ep.event_types) p
				WHERE p = ev.type OR (right(p, 1) = '*' AND starts_with(ev.type, left(p, -1))))
		WHERE ev.id > $1 AND ev.id <= $2
		ON CONFLICT ON CONSTRAINT webhook_deliveries_once DO NOTHING`
	sqlMoveDispatch = `UPDATE webhook_dispatch SET last_event_id = $1`

	// sqlClaim leases due deliveries, counting the attempt it starts. An
	// attempt whose worker died before recording it (its lease ran out,
	// leaving no row) is logged here as interrupted, at the instant the
	// loss is noticed (the retry), so the attempt log has no gaps.
	sqlClaim = `WITH due AS (
			SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= now()
			ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED),
		c AS (UPDATE webhook_deliveries d SET attempts = d.attempts + 1, next_attempt_at = now() + $2 * interval '1 microsecond'
			FROM due WHERE d.id = due.id RETURNING d.id, d.attempts, d.endpoint_id, d.event_id),
		lost AS (INSERT INTO webhook_attempts (delivery_id, attempt, at, duration_ms, error)
			SELECT c.id, c.attempts - 1, now(), 0,
				'interrupted: the replica sending it stopped before it could record the result; retried when its lease ran out'
			FROM c WHERE c.attempts > 1
				AND NOT EXISTS (SELECT 1 FROM webhook_attempts a WHERE a.delivery_id = c.id AND a.attempt = c.attempts - 1)
			ON CONFLICT DO NOTHING)
		SELECT c.id, c.attempts, ep.url, ep.secret, ev.id, ev.type, ev.at, ev.created_at, COALESCE(ev.campaign_id, ''), ev.channels, ev.devices, ev.data
		FROM c JOIN webhook_endpoints ep ON ep.id = c.endpoint_id JOIN events ev ON ev.id = c.event_id`
	sqlRecordAttempt = `INSERT INTO webhook_attempts (delivery_id, attempt, at, duration_ms, status_code, error, response)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`
	sqlRecordStatus = `UPDATE webhook_deliveries SET status = $3, last_attempt_at = $4, last_status = $5, last_error = $6,
			next_attempt_at = CASE WHEN $3 = 'pending' THEN now() + $7 * interval '1 microsecond' ELSE next_attempt_at END
		WHERE id = $1 AND attempts = $2`

	deliveryColumns = `id, endpoint_id::text, event_id, event_type, status, attempts, next_attempt_at,
		last_attempt_at, last_status, last_error, created_at`
	sqlDeliveries = `SELECT ` + deliveryColumns + ` FROM webhook_deliveries
		WHERE ($1 = '' OR endpoint_id = $1::uuid) AND ($2 = 0 OR event_id = $2) AND ($3 = '' OR status = $3)
			AND ($4 = 0 OR id < $4)
		ORDER BY id DESC LIMIT $5`
	sqlAttempts = `SELECT delivery_id, attempt, at, duration_ms, status_code, error, response
		FROM webhook_attempts WHERE delivery_id = ANY($1) ORDER BY delivery_id, attempt`
	sqlRedeliver = `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = now()
		WHERE id = $1 RETURNING ` + deliveryColumns
)

// WebhookStore implements webhook.Store.
type WebhookStore struct {
	pool *pgxpool.Pool
}

// NewWebhookStore returns the webhook store over pool.
func NewWebhookStore(pool *pgxpool.Pool) *WebhookStore { return &WebhookStore{pool: pool} }

func scanEndpoint(row pgx.Row) (webhook.Endpoint, error) {
	var e webhook.Endpoint
	err := row.Scan(&e.ID, &e.URL, &e.Description, &e.EventTypes, &e.Secret, &e.CreatedAt, &e.CreatedBy)
	return e, err
}

// CreateEndpoint implements webhook.Store.
func (s *WebhookStore) CreateEndpoint(ctx context.Context, e webhook.Endpoint) (webhook.Endpoint, error) {
	out, err := scanEndpoint(s.pool.QueryRow(ctx, sqlCreateEndpoint, e.URL, e.Description, nonNil(e.EventTypes), e.Secret, e.CreatedBy))
	return out, mapError(err, "webhook endpoint")
}

// Endpoints implements webhook.Store.
func (s *WebhookStore) Endpoints(ctx context.Context) ([]webhook.Endpoint, error) {
	rows, err := s.pool.Query(ctx, sqlEndpoints)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (webhook.Endpoint, error) { return scanEndpoint(r) })
}

// DeleteEndpoint implements webhook.Store.
func (s *WebhookStore) DeleteEndpoint(ctx context.Context, id string) error {
	tag, err := s.pool.Exec(ctx, sqlDeleteEndpoint, id)
	if err != nil {
		return fmt.Errorf("deleting webhook endpoint %s: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return errs.E(errs.NotFound, "webhook endpoint %q not found", id)
	}
	return nil
}

// Dispatch implements webhook.Store.
func (s *WebhookStore) Dispatch(ctx context.Context, limit int) (int, error) {
	var n int
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var last int64
		if err := tx.QueryRow(ctx, sqlLockDispatch).Scan(&last); err != nil {
			return err
		}
		var through *int64
		if err := tx.QueryRow(ctx, sqlDispatchTo, last, limit).Scan(&through, &n); err != nil || through == nil {
			return err
		}
		if _, err := tx.Exec(ctx, sqlFanOut, last, *through); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, sqlMoveDispatch, *through)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("fanning events out to webhook endpoints: %w", err)
	}
	return n, nil
}

// Claim implements webhook.Store.
func (s *WebhookStore) Claim(ctx context.Context, limit int, lease time.Duration) ([]webhook.Job, error) {
	rows, err := s.pool.Query(ctx, sqlClaim, limit, lease.Microseconds())
	if err != nil {
		return nil, fmt.Errorf("claiming webhook deliveries: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (webhook.Job, error) {
		var j webhook.Job
		var dest eventRow
		if err := r.Scan(append([]any{&j.DeliveryID, &j.Attempt, &j.URL, &j.Secret}, dest.targets()...)...); err != nil {
			return j, err
		}
		e, err := dest.event()
		j.Event = e
		return j, err
	})
}

// Record implements webhook.Store.
func (s *WebhookStore) Record(ctx context.Context, j webhook.Job, r webhook.Result) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, sqlRecordAttempt, j.DeliveryID, r.Attempt.Attempt, r.At, r.Duration.Milliseconds(),
			r.StatusCode, r.Error, r.Response); err != nil {
			return fmt.Errorf("logging attempt %d of delivery %d: %w", r.Attempt.Attempt, j.DeliveryID, err)
		}
		if _, err := tx.Exec(ctx, sqlRecordStatus, j.DeliveryID, j.Attempt, r.Status, r.At, r.StatusCode, r.Error,
			r.Next.Microseconds()); err != nil {
			return fmt.Errorf("updating delivery %d: %w", j.DeliveryID, err)
		}
		return nil
	})
}

func scanDelivery(row pgx.Row) (webhook.Delivery, error) {
	var d webhook.Delivery
	err := row.Scan(&d.ID, &d.EndpointID, &d.EventID, &d.EventType, &d.Status, &d.Attempts, &d.NextAttemptAt,
		&d.LastAttemptAt, &d.LastStatus, &d.LastError, &d.CreatedAt)
	return d, err
}

// Deliveries implements webhook.Store: one query for the page, one for all
// of its attempts.
func (s *WebhookStore) Deliveries(ctx context.Context, q webhook.DeliveryQuery) ([]webhook.Delivery, error) {
	rows, err := s.pool.Query(ctx, sqlDeliveries, q.EndpointID, q.EventID, q.Status, q.After, q.First)
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (webhook.Delivery, error) { return scanDelivery(r) })
	if err != nil || len(out) == 0 {
		return out, err
	}
	ids := make([]int64, len(out))
	at := map[int64]int{}
	for i, d := range out {
		ids[i], at[d.ID] = d.ID, i
	}
	rows, err = s.pool.Query(ctx, sqlAttempts, ids)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var a webhook.Attempt
		var ms int64
		if err := rows.Scan(&id, &a.Attempt, &a.At, &ms, &a.StatusCode, &a.Error, &a.Response); err != nil {
			return nil, err
		}
		a.Duration = time.Duration(ms) * time.Millisecond
		out[at[id]].Log = append(out[at[id]].Log, a)
	}
	return out, rows.Err()
}

// Redeliver implements webhook.Store.
func (s *WebhookStore) Redeliver(ctx context.Context, id int64) (webhook.Delivery, error) {
	d, err := scanDelivery(s.pool.QueryRow(ctx, sqlRedeliver, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return d, errs.E(errs.NotFound, "webhook delivery %d not found", id)
	}
	return d, err
}
