package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/measurement/identity"
)

// Identity resolution and consent withdrawal run in the transaction that
// stores the events (on the log's consumer), so an identify is applied
// exactly when its event is stored: a redelivered batch moves no event and
// links nothing twice. The rules are measurement/identity's; this file
// loads the state they need and writes their outcome.
const (
	// The events moved (new): only they link identities and feed the
	// rollups, so a redelivered event never counts twice.
	sqlMoveEventsReturning = `WITH moved AS (
		INSERT INTO measurement_events SELECT * FROM measurement_events_in
		ON CONFLICT (id, day) DO NOTHING RETURNING id, day)
		SELECT coalesce(array_agg(id), '{}'), coalesce(array_agg(day), '{}') FROM moved`
	// Identity changes one at a time per schema: two consumers (replicas)
	// linking into one cluster at once would both see room under the limit.
	sqlLockIdentity    = `SELECT pg_advisory_xact_lock(hashtext('mosaic.identity.' || current_schema()))`
	sqlClusterOfMember = `SELECT c.id, c.user_id FROM identity_members m JOIN identity_clusters c ON c.id = m.cluster_id
		WHERE m.visitor_id = $1`
	sqlClusterOfUser = `SELECT id, user_id FROM identity_clusters WHERE user_id = $1`
	sqlRecentLinks   = `SELECT count(*)::int FROM identity_links
		WHERE cluster_id = $1 AND action IN ('create', 'link') AND event_time > $2 AND event_time <= $3`
	sqlWasUnmerged   = `SELECT EXISTS (SELECT 1 FROM identity_links WHERE visitor_id = $1 AND user_id = $2 AND action = 'unlink')`
	sqlInsertCluster = `INSERT INTO identity_clusters (id, user_id, created_at) VALUES ($1, $2, $3)`
	sqlInsertMember  = `INSERT INTO identity_members (visitor_id, cluster_id, linked_at, event_id) VALUES ($1, $2, $3, $4)`
	sqlAppendLink    = `INSERT INTO identity_links (event_time, action, visitor_id, user_id, cluster_id, code, reason, event_id, actor)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`
	sqlClusterMembers  = `SELECT visitor_id, linked_at FROM identity_members WHERE cluster_id = $1 ORDER BY linked_at, visitor_id`
	sqlVisitorExposure = `SELECT visitor_id, experiment, arm, first_at, decision_id FROM identity_exposures WHERE visitor_id = ANY($1)`
	sqlClearConflicts  = `UPDATE identity_exposures SET conflict = false WHERE visitor_id = ANY($1) AND conflict`
	sqlMarkConflicts   = `UPDATE identity_exposures x SET conflict = true FROM unnest($1::text[], $2::text[]) AS c(visitor_id, experiment)
		WHERE x.visitor_id = c.visitor_id AND x.experiment = c.experiment`
	// Withdrawing measurement deletes what was recorded of the visitor
	// under it, up to the withdrawal (consent events stay: they are the
	// record of the choice); withdrawing personalization deletes the
	// traits identify events stored.
	sqlWithdrawDecisions = `DELETE FROM measurement_decisions WHERE visitor_id = $1 AND time <= $2`
	sqlWithdrawEvents    = `DELETE FROM measurement_events WHERE visitor_id = $1 AND time <= $2
		AND type IN ('view', 'conversion', 'track')`
	sqlWithdrawExposures = `DELETE FROM identity_exposures WHERE visitor_id = $1 AND first_at <= $2`
	sqlWithdrawTraits    = `UPDATE measurement_events SET data = NULL WHERE visitor_id = $1 AND time <= $2
		AND type = 'identify' AND data IS NOT NULL`
)

// SetIdentityLimits sets how fast a cluster may grow (zero fields: the
// defaults). Call before the store is used.
func (s *MeasurementStore) SetIdentityLimits(l identity.Limits) { s.identityLimits = l.WithDefaults() }

// moveEvents moves the staged events, links the identifies it moved,
// applies the batch's consent withdrawals, then rolls up the metric and
// view events it moved. Locks in this order (the decision step's too):
// the identity lock (only when there are identifies or withdrawals), then
// the rollups' (rollEvents), so the two consumers and an erasure never
// wait on each other in a cycle; the KPI rollup last (it takes no lock).
func (s *MeasurementStore) moveEvents(ctx context.Context, tx pgx.Tx, events []measurement.Event, outcomes *[]identity.Outcome) (int, error) {
	var ids []string
	var days []time.Time
	if err := tx.QueryRow(ctx, sqlMoveEventsReturning).Scan(&ids, &days); err != nil {
		return 0, err
	}
	type key struct {
		id  string
		day time.Time
	}
	moved := make(map[key]bool, len(ids))
	for i := range ids {
		moved[key{ids[i], days[i].UTC()}] = true
	}
	var identifies, withdrawals, fresh []measurement.Event
	for _, e := range events {
		key := key{e.ID, e.Day()}
		isNew := moved[key]
		delete(moved, key) // an id twice in one batch counts once
		if isNew {
			fresh = append(fresh, e)
		}
		switch {
		case e.Type == measurement.TypeIdentify && isNew:
			identifies = append(identifies, e)
		case e.Type == measurement.TypeConsent && len(e.Withdrawn) > 0:
			// Applied again when redelivered: deleting twice is harmless,
			// and a redelivered batch may bring back events it deleted.
			withdrawals = append(withdrawals, e)
		}
	}
	if err := noteViews(ctx, tx, fresh); err != nil {
		return 0, err
	}
	if len(identifies) > 0 || len(withdrawals) > 0 {
		if _, err := tx.Exec(ctx, sqlLockIdentity); err != nil {
			return 0, err
		}
	}
	slices.SortStableFunc(identifies, func(a, b measurement.Event) int { return a.Time.Compare(b.Time) })
	// The clusters this batch linked visitor ids to: the batch's own
	// events of those ids count under the person, as later batches' do.
	linked := map[string]string{}
	for _, e := range identifies {
		out, cluster, err := s.identify(ctx, tx, e)
		if err != nil {
			return 0, fmt.Errorf("linking visitor %q to user %q: %w", e.VisitorID, e.UserID, err)
		}
		*outcomes = append(*outcomes, out)
		if out.Action == identity.ActionCreate || out.Action == identity.ActionLink {
			linked[e.VisitorID] = cluster
		}
	}
	for _, e := range withdrawals {
		if err := withdraw(ctx, tx, e); err != nil {
			return 0, fmt.Errorf("applying the withdrawal of consent by visitor %q: %w", e.VisitorID, err)
		}
	}
	var metric []measurement.MetricEvent
	var views, kept []measurement.Event
	for _, e := range fresh {
		if withdrawn(withdrawals, e) {
			continue // deleted above: counted nowhere
		}
		kept = append(kept, e)
		if name := measurement.MetricName(e.Type, e.Goal, e.Name); name != "" {
			metric = append(metric, metricEvent(e, name))
		} else if e.Type == measurement.TypeView {
			views = append(views, e)
		}
	}
	if err := s.rollEvents(ctx, tx, metric, linked); err != nil {
		return 0, err
	}
	// The rollups that need no answer, in one round trip, in the order of
	// their tables (the decision step's too).
	batch := &pgx.Batch{}
	queueViews(batch, measurement.EntryViews(views))
	queueFunnel(batch, kept)
	queueKpis(batch, measurement.KpiOfEvents(kept))
	return len(ids), sendRollups(ctx, tx, batch)
}

// withdrawn reports whether e is one of the events a measurement
// withdrawal of the same batch deleted (sqlWithdrawEvents).
func withdrawn(withdrawals []measurement.Event, e measurement.Event) bool {
	for _, w := range withdrawals {
		if w.VisitorID == e.VisitorID && !e.Time.After(w.Time) && slices.Contains(w.Withdrawn, measurement.PurposeMeasurement) {
			return true
		}
	}
	return false
}

// identify applies one identify event and says what it did, and the
// cluster it linked the visitor id to (create, link).
func (s *MeasurementStore) identify(ctx context.Context, tx pgx.Tx, e measurement.Event) (out identity.Outcome, cluster string, err error) {
	visitor, err := scanCluster(tx.QueryRow(ctx, sqlClusterOfMember, e.VisitorID))
	if err != nil {
		return identity.Outcome{}, "", err
	}
	user, err := scanCluster(tx.QueryRow(ctx, sqlClusterOfUser, e.UserID))
	if err != nil {
		return identity.Outcome{}, "", err
	}
	lim := s.identityLimits.WithDefaults()
	if user != nil {
		if err := tx.QueryRow(ctx, sqlRecentLinks, user.ID, e.Time.Add(-lim.Window), e.Time).Scan(&user.RecentLinks); err != nil {
			return identity.Outcome{}, "", err
		}
	}
	in := identity.Identify{VisitorID: e.VisitorID, UserID: e.UserID}
	if err := tx.QueryRow(ctx, sqlWasUnmerged, e.VisitorID, e.UserID).Scan(&in.Unmerged); err != nil {
		return identity.Outcome{}, "", err
	}
	out = identity.Resolve(lim, in, visitor, user)
	switch out.Action {
	case identity.ActionNone:
		return out, "", nil
	case identity.ActionRefuse:
		// Recorded on the cluster it concerns: the visitor's, else the user's.
		if visitor != nil {
			cluster = visitor.ID
		} else if user != nil {
			cluster = user.ID
		}
		_, err := tx.Exec(ctx, sqlAppendLink, e.Time, "refuse", e.VisitorID, e.UserID, nullText(cluster), string(out.Code), out.Reason, e.ID, nil)
		return out, "", err
	case identity.ActionCreate:
		id, err := uuid.NewV7()
		if err != nil {
			return identity.Outcome{}, "", err
		}
		cluster = id.String()
		if _, err := tx.Exec(ctx, sqlInsertCluster, cluster, e.UserID, e.Time); err != nil {
			return identity.Outcome{}, "", err
		}
	case identity.ActionLink:
		cluster = user.ID
	}
	if _, err := tx.Exec(ctx, sqlInsertMember, e.VisitorID, cluster, e.Time, e.ID); err != nil {
		return identity.Outcome{}, "", err
	}
	if _, err := tx.Exec(ctx, sqlAppendLink, e.Time, string(out.Action), e.VisitorID, e.UserID, cluster, nil, out.Reason, e.ID, nil); err != nil {
		return identity.Outcome{}, "", err
	}
	return out, cluster, refreshConflicts(ctx, tx, cluster, nil)
}

// querier reads: a pool or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func scanCluster(row pgx.Row) (*identity.Cluster, error) {
	var c identity.Cluster
	switch err := row.Scan(&c.ID, &c.UserID); err {
	case nil:
		return &c, nil
	case pgx.ErrNoRows:
		return nil, nil
	default:
		return nil, err
	}
}

// refreshConflicts marks the cluster's exposures to another arm than the
// person's (identity.Assign) as conflicts, and clears the mark on the
// others and on also (visitor ids just unlinked from it).
func refreshConflicts(ctx context.Context, tx pgx.Tx, cluster string, also []string) error {
	members, err := clusterMembers(ctx, tx, cluster)
	if err != nil {
		return err
	}
	ids := slices.Clone(also)
	for _, m := range members {
		ids = append(ids, m.VisitorID)
	}
	if _, err := tx.Exec(ctx, sqlClearConflicts, ids); err != nil {
		return err
	}
	exposures, err := visitorExposures(ctx, tx, ids)
	if err != nil {
		return err
	}
	var cv, ce []string
	for _, a := range identity.Assign(members, exposures) {
		for _, c := range a.Conflicts {
			cv, ce = append(cv, c.VisitorID), append(ce, c.Experiment)
		}
	}
	if len(cv) == 0 {
		return nil
	}
	_, err = tx.Exec(ctx, sqlMarkConflicts, cv, ce)
	return err
}

func clusterMembers(ctx context.Context, q querier, cluster string) ([]identity.Member, error) {
	rows, err := q.Query(ctx, sqlClusterMembers, cluster)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (identity.Member, error) {
		var m identity.Member
		err := r.Scan(&m.VisitorID, &m.LinkedAt)
		return m, err
	})
}

func visitorExposures(ctx context.Context, q querier, visitors []string) ([]identity.Exposure, error) {
	rows, err := q.Query(ctx, sqlVisitorExposure, visitors)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (identity.Exposure, error) {
		var x identity.Exposure
		err := r.Scan(&x.VisitorID, &x.Experiment, &x.Arm, &x.At, &x.DecisionID)
		return x, err
	})
}

// withdraw applies a consent event's withdrawals; withdrawing measurement
// also forgets the rollups' rows of the visitor's units (its cluster and
// itself): per-unit totals cannot be split by device, and the aggregates
// keep their counts (they name no one). The caller holds the identity
// lock.
func withdraw(ctx context.Context, tx pgx.Tx, e measurement.Event) error {
	var stmts []string
	if slices.Contains(e.Withdrawn, measurement.PurposeMeasurement) {
		stmts = append(stmts, sqlWithdrawDecisions, sqlWithdrawEvents, sqlWithdrawFunnelEvents, sqlWithdrawExposures)
		units := []string{e.VisitorID}
		var cluster string
		switch err := tx.QueryRow(ctx, sqlMemberCluster, e.VisitorID).Scan(&cluster); {
		case err == nil:
			units = append(units, cluster)
		case !errors.Is(err, pgx.ErrNoRows):
			return err
		}
		if err := forgetUnits(ctx, tx, units); err != nil {
			return err
		}
	}
	if slices.Contains(e.Withdrawn, measurement.PurposePersonalization) {
		stmts = append(stmts, sqlWithdrawTraits)
	}
	for _, q := range stmts {
		if _, err := tx.Exec(ctx, q, e.VisitorID, e.Time); err != nil {
			return err
		}
	}
	return nil
}

// countIdentities counts a committed batch's identify outcomes.
func (s *MeasurementStore) countIdentities(outcomes []identity.Outcome) {
	for _, o := range outcomes {
		switch o.Action {
		case identity.ActionCreate:
			s.metrics.Identified("created", "")
		case identity.ActionLink:
			s.metrics.Identified("linked", "")
		case identity.ActionNone:
			s.metrics.Identified("none", "")
		case identity.ActionRefuse:
			s.metrics.Identified("refused", string(o.Code))
		}
	}
}
