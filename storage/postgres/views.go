package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/mosaichq/mosaic/measurement"
)

// Views of cached copies (measurement/views.go): the events' transaction
// notes each view naming a decision (noteViews); SweepViews settles them
// once their records are there. The rules are measurement's; this file
// reads what they need and writes their outcome.
const (
	// Noted right after the events move, before the identity and rollup
	// locks: a sweep holding a pending row waits for neither, so an event
	// batch waiting on that row cannot close a cycle.
	sqlNoteViews = `INSERT INTO measurement_view_pending (decision_id, decision_day, visitor_id, view_id, time)
		SELECT * FROM unnest($1::text[], $2::date[], $3::text[], $4::text[], $5::timestamptz[])
		ON CONFLICT (decision_id, visitor_id) DO NOTHING`
	// The views whose records are there or whose wait is over, oldest
	// first (views still waiting never hold back the others); another
	// replica's sweep holds its own.
	// The wait is counted in the database's time, as noted_at is.
	sqlClaimViews = `SELECT decision_id, visitor_id, view_id, time, p.noted_at <= now() - $2::interval
		FROM measurement_view_pending p
		WHERE p.noted_at <= now() - $2::interval OR EXISTS (SELECT 1 FROM measurement_decisions d
			WHERE d.id = p.decision_id AND d.day IN (p.decision_day, p.decision_day - 1))
		ORDER BY noted_at LIMIT $1 FOR UPDATE OF p SKIP LOCKED`
	sqlViewedDecisions = `SELECT ` + decisionReadColumns + `
		FROM measurement_decisions WHERE id = ANY($1) AND day = ANY($2)`
	// A viewer's record of a decision is on a day from the decision's to
	// the view's.
	sqlDerivedThere = `SELECT id FROM measurement_decisions WHERE id = ANY($1) AND day >= $2 AND day <= $3`
	sqlSettleViews  = `DELETE FROM measurement_view_pending p USING unnest($1::text[], $2::text[]) AS s(decision_id, visitor_id)
		WHERE p.decision_id = s.decision_id AND p.visitor_id = s.visitor_id`
	// A withdrawal needs no step here: the records derived from views
	// before it are refused by the move as any other record of the
	// visitor's (sqlMoveDecisionsExposures). An erasure leaves no such
	// trace, so the erased visitors' pending views go with it.
	sqlEraseViews = `DELETE FROM measurement_view_pending WHERE visitor_id = ANY($1)`
)

// noteViews notes the moved views that name a decision.
func noteViews(ctx context.Context, tx pgx.Tx, moved []measurement.Event) error {
	var decisions, visitors, ids []string
	var days []*time.Time
	var times []time.Time
	for _, e := range moved {
		if e.Type != measurement.TypeView || e.DecisionID == "" || e.VisitorID == "" {
			continue
		}
		var day *time.Time
		if ds, ok := measurement.DecisionDays(e.DecisionID); ok {
			day = &ds[0]
		}
		decisions, days, visitors = append(decisions, e.DecisionID), append(days, day), append(visitors, e.VisitorID)
		ids, times = append(ids, e.ID), append(times, e.Time)
	}
	if len(ids) == 0 {
		return nil
	}
	_, err := tx.Exec(ctx, sqlNoteViews, decisions, days, visitors, ids, times)
	return err
}

// SweepViews settles up to limit pending views in one transaction: the
// records derived are written as any batch of records is (exposures,
// rollups) and every settled view leaves the table; a view whose record
// has not landed stays, until it has waited wait (then: unmatched). It
// returns the outcomes' counts. Safe on many replicas at once (each claims
// its own rows).
func (s *MeasurementStore) SweepViews(ctx context.Context, limit int, wait time.Duration) (map[measurement.ViewOutcome]int, error) {
	var out map[measurement.ViewOutcome]int
	sweep := func() error {
		return retryDeadlock(func() error {
			out = map[measurement.ViewOutcome]int{}
			return s.inStaging(ctx, "derived decisions", sqlStageDecisions, "measurement_decisions_in", func(tx pgx.Tx) error {
				return s.sweepViews(ctx, tx, limit, wait, out)
			})
		})
	}
	err := sweep()
	// Partitions are made on a connection of their own, so never while
	// this transaction holds measurement_decisions (the DDL could wait on
	// it, and it on the DDL): the sweep is given up, the days made, and
	// the sweep run again.
	var missing missingDays
	if errors.As(err, &missing) {
		days := make(map[time.Time]bool, len(missing))
		for _, d := range missing {
			days[d] = true
		}
		if err = s.ensurePartitions(ctx, "measurement_decisions", s.decisionDays, days); err == nil {
			err = sweep()
		}
	}
	if err != nil {
		return nil, fmt.Errorf("settling views: %w", err)
	}
	return out, nil
}

func (s *MeasurementStore) sweepViews(ctx context.Context, tx pgx.Tx, limit int, wait time.Duration, out map[measurement.ViewOutcome]int) error {
	rows, err := tx.Query(ctx, sqlClaimViews, limit, wait)
	if err != nil {
		return err
	}
	views, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (measurement.PendingView, error) {
		var v measurement.PendingView
		err := r.Scan(&v.DecisionID, &v.VisitorID, &v.ViewID, &v.Time, &v.Expired)
		return v, err
	})
	if err != nil || len(views) == 0 {
		return err
	}
	records, err := viewedRecords(ctx, tx, views)
	if err != nil {
		return err
	}
	var settledD, settledV []string
	derived := map[string]measurement.Decision{}
	var from, to time.Time
	for _, v := range views {
		var rec *measurement.Decision
		if r, ok := records[v.DecisionID]; ok {
			rec = &r
		}
		d, outcome := measurement.SettleView(v, rec)
		if outcome == measurement.ViewWaiting {
			continue
		}
		settledD, settledV = append(settledD, v.DecisionID), append(settledV, v.VisitorID)
		if outcome != measurement.ViewDerived {
			out[outcome]++
			continue
		}
		derived[d.ID] = d
		for _, day := range []time.Time{rec.Day(), d.Day()} {
			if from.IsZero() || day.Before(from) {
				from = day
			}
			if day.After(to) {
				to = day
			}
		}
	}
	if len(derived) > 0 {
		all := len(derived)
		fresh, err := notYetDerived(ctx, tx, derived, from, to)
		if err != nil {
			return err
		}
		countViews(out, measurement.ViewRepeat, all-len(fresh))
		n, err := s.writeDerived(ctx, tx, fresh)
		if err != nil {
			return err
		}
		countViews(out, measurement.ViewDerived, n)
		countViews(out, measurement.ViewWithdrawn, len(fresh)-n)
	}
	if len(settledD) == 0 {
		return nil
	}
	_, err = tx.Exec(ctx, sqlSettleViews, settledD, settledV)
	return err
}

// missingDays are days of derived records this process has not made sure
// have partitions (SweepViews makes them outside its transaction).
type missingDays []time.Time

func (missingDays) Error() string { return "derived records on days without known partitions" }

// countViews adds n views of outcome o to out (none: no entry).
func countViews(out map[measurement.ViewOutcome]int, o measurement.ViewOutcome, n int) {
	if n > 0 {
		out[o] += n
	}
}

// viewedRecords are the records views name that have landed, by id.
func viewedRecords(ctx context.Context, tx pgx.Tx, views []measurement.PendingView) (map[string]measurement.Decision, error) {
	var ids []string
	var days []time.Time
	seen := map[time.Time]bool{}
	for _, v := range views {
		ds, ok := measurement.DecisionDays(v.DecisionID)
		if !ok {
			continue // no record has it: unmatched after the wait
		}
		ids = append(ids, v.DecisionID)
		for _, d := range ds {
			if !seen[d] {
				seen[d] = true
				days = append(days, d)
			}
		}
	}
	out := map[string]measurement.Decision{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := tx.Query(ctx, sqlViewedDecisions, ids, days)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		d, err := scanDecision(rows)
		if err != nil {
			return nil, err
		}
		out[d.ID] = d
	}
	return out, rows.Err()
}

// notYetDerived are the records of derived not written before (an earlier
// view of the same copy by the same viewer); it takes those out of derived.
func notYetDerived(ctx context.Context, tx pgx.Tx, derived map[string]measurement.Decision, from, to time.Time) ([]measurement.Decision, error) {
	ids := make([]string, 0, len(derived))
	for id := range derived {
		ids = append(ids, id)
	}
	rows, err := tx.Query(ctx, sqlDerivedThere, ids, from, to)
	if err != nil {
		return nil, err
	}
	there, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	for _, id := range there {
		delete(derived, id)
	}
	fresh := make([]measurement.Decision, 0, len(derived))
	for _, d := range derived {
		fresh = append(fresh, d)
	}
	return fresh, nil
}

// writeDerived writes derived records in tx as WriteDecisions writes a
// batch: copied, moved, exposures and rollups kept.
// It returns how many were written (a withdrawal refuses the rest).
func (s *MeasurementStore) writeDerived(ctx context.Context, tx pgx.Tx, ds []measurement.Decision) (int, error) {
	if len(ds) == 0 {
		return 0, nil
	}
	rows, days := decisionRows(ds)
	if missing := s.unknownDays(s.decisionDays, days); len(missing) > 0 {
		return 0, missingDays(missing)
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"measurement_decisions_in"}, decisionColumns, pgx.CopyFromRows(rows)); err != nil {
		return 0, fmt.Errorf("copying %d derived decisions: %w", len(rows), err)
	}
	return s.moveDecisions(ctx, tx, ds)
}
