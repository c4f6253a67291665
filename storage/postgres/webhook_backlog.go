package postgres

import (
	"context"
	"time"
)

// Pending deliveries are what the webhook workers still owe: their count
// and how overdue the oldest due one is are the backlog an operator pages
// on. The pending-and-due query uses the same columns as the workers'
// claim, so it reads the same index.
const sqlWebhookBacklog = `SELECT count(*),
	COALESCE(EXTRACT(EPOCH FROM now() - min(next_attempt_at) FILTER (WHERE next_attempt_at <= now())), 0)
	FROM webhook_deliveries WHERE status = 'pending'`

// Backlog returns the number of pending webhook deliveries and how long
// the oldest due one has been waiting (0 when none is due).
func (s *WebhookStore) Backlog(ctx context.Context) (pending int64, oldestDue time.Duration, err error) {
	var secs float64
	err = s.pool.QueryRow(ctx, sqlWebhookBacklog).Scan(&pending, &secs)
	return pending, time.Duration(secs * float64(time.Second)), mapError(err, "webhook backlog")
}
