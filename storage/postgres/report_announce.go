package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/mosaichq/mosaic/measurement/report"
)

// Scheduled reports (measurement/report.Announcer): the claim row and the
// event are written in one transaction, so an announcement is in the log
// exactly when it is claimed. A second claimant of the same (kind,
// subject) waits for the first's commit on the primary key, then finds it
// taken and writes nothing. The event takes the next id from the log's
// head like every announcement (migration 000005), and its NOTIFY is sent
// only if the transaction commits; webhooks fan it out from the log.
const (
	sqlRunningExperiments = `SELECT key, name, coalesce(started_at, created_at), primary_metric, guardrail_metrics, coalesce(planned_units, 0)
		FROM experiments WHERE status = 'RUNNING' ORDER BY key`
	sqlAnnouncedReport = `SELECT EXISTS (SELECT 1 FROM report_announcements WHERE kind = $1 AND subject = $2)`
	sqlClaimReport     = `INSERT INTO report_announcements (kind, subject, event_id) VALUES ($1, $2, 0)
		ON CONFLICT (kind, subject) DO NOTHING RETURNING kind`
	sqlReportEvent = `WITH n AS (UPDATE event_log_head SET last_id = last_id + 1 RETURNING last_id),
		e AS (INSERT INTO events (id, type, at, data) SELECT last_id, $1, $2, $3 FROM n RETURNING id)
		SELECT id, pg_notify('` + EventsChannel + `', id::text) IS NULL FROM e`
	sqlReportEventID = `UPDATE report_announcements SET event_id = $3 WHERE kind = $1 AND subject = $2`
)

// RunningExperiments implements report.AnnounceStore.
func (r *ReportStore) RunningExperiments(ctx context.Context) ([]report.RunningExperiment, error) {
	rows, err := r.pool.Query(ctx, sqlRunningExperiments)
	if err != nil {
		return nil, fmt.Errorf("listing running experiments: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (report.RunningExperiment, error) {
		var x report.RunningExperiment
		err := row.Scan(&x.Key, &x.Name, &x.StartedAt, &x.PrimaryMetric, &x.GuardrailMetrics, &x.PlannedSampleSize)
		return x, err
	})
}

// Announced implements report.AnnounceStore.
func (r *ReportStore) Announced(ctx context.Context, kind, subject string) (bool, error) {
	var ok bool
	if err := r.pool.QueryRow(ctx, sqlAnnouncedReport, kind, subject).Scan(&ok); err != nil {
		return false, fmt.Errorf("reading announcement %s %s: %w", kind, subject, err)
	}
	return ok, nil
}

// Announce implements report.AnnounceStore.
func (r *ReportStore) Announce(ctx context.Context, kind, subject string, at time.Time, data any) (bool, error) {
	b, err := json.Marshal(data)
	if err != nil {
		return false, fmt.Errorf("encoding announcement %s %s: %w", kind, subject, err)
	}
	inserted := false
	err = pgx.BeginFunc(ctx, r.pool, func(tx pgx.Tx) error {
		var k string
		if err := tx.QueryRow(ctx, sqlClaimReport, kind, subject).Scan(&k); errors.Is(err, pgx.ErrNoRows) {
			return nil // claimed before: nothing to write
		} else if err != nil {
			return err
		}
		var id int64
		var notified bool
		if err := tx.QueryRow(ctx, sqlReportEvent, kind, at, b).Scan(&id, &notified); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, sqlReportEventID, kind, subject, id); err != nil {
			return err
		}
		inserted = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("announcing %s %s: %w", kind, subject, err)
	}
	return inserted, nil
}

var _ report.AnnounceStore = (*ReportStore)(nil)
