package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/measurement/identity"
)

const (
	// The members and first exposures of the clusters of the visitors
	// asked: what identity.Assign needs to pin their arms.
	sqlClustersExposures = `SELECT m.cluster_id, m.visitor_id, m.linked_at, x.experiment, x.arm, x.first_at, x.decision_id
		FROM identity_members m LEFT JOIN identity_exposures x ON x.visitor_id = m.visitor_id
		WHERE m.cluster_id = ANY($1)`
	// A record of a visitor already linked to a user id names the user:
	// set in the staging table, before the move.
	sqlStagedDecisionUsers = `UPDATE measurement_decisions_in s SET user_id = c.user_id
		FROM identity_members m JOIN identity_clusters c ON c.id = m.cluster_id
		WHERE m.visitor_id = s.visitor_id AND s.visitor_id <> '' AND s.user_id IS NULL`
	// The records moved, less those a measurement withdrawal already
	// covers (the consent event travels on another subject and may be
	// stored first); every visitor's first exposure to each experiment
	// they name (an earlier one, arriving late, replaces a later one) and
	// to each campaign holdout, as the cohort ("holdout" or "exposed")
	// under "campaign:" and its key (personalization.HoldoutSubject); the
	// clusters whose exposures changed.
	sqlMoveDecisionsExposures = `WITH moved AS (
		INSERT INTO measurement_decisions SELECT * FROM measurement_decisions_in m
		WHERE m.visitor_id = '' OR NOT EXISTS (SELECT 1 FROM measurement_events e WHERE e.visitor_id = m.visitor_id
			AND e.type = 'consent' AND e.time >= m.time AND e.data->'withdrawn' ? 'measurement')
		ON CONFLICT (id, day) DO NOTHING RETURNING id, time, visitor_id, blocks
	), exposed AS (
		INSERT INTO identity_exposures AS x (visitor_id, experiment, arm, first_at, decision_id)
		SELECT DISTINCT ON (m.visitor_id, s.subject) m.visitor_id, s.subject, s.arm, m.time, m.id
		FROM moved m CROSS JOIN LATERAL jsonb_array_elements(m.blocks) b
			CROSS JOIN LATERAL (VALUES (b->>'experiment', b->>'arm'), ('campaign:' || (b->>'campaign'), b->>'cohort')) s(subject, arm)
		WHERE m.visitor_id <> '' AND coalesce(s.subject, '') <> '' AND coalesce(s.arm, '') <> ''
		ORDER BY m.visitor_id, s.subject, m.time, m.id
		ON CONFLICT (visitor_id, experiment) DO UPDATE SET arm = excluded.arm, first_at = excluded.first_at,
			decision_id = excluded.decision_id, conflict = false
		WHERE excluded.first_at < x.first_at
		RETURNING x.visitor_id
	)
	SELECT coalesce((SELECT array_agg(id) FROM moved), '{}'),
		coalesce((SELECT array_agg(DISTINCT c.cluster_id) FROM exposed x JOIN identity_members c USING (visitor_id)), '{}')`
)

// moveDecisions moves the staged records (naming the user of visitors
// already linked to one), keeps every visitor's first exposure per
// experiment, marks conflicts anew in the clusters of the visitors whose
// first exposures changed, then rolls up the records it moved. The
// identity lock is taken before the rollups' (rollDecisions), as in
// moveEvents: the other order could deadlock with an event batch that
// links or withdraws.
func (s *MeasurementStore) moveDecisions(ctx context.Context, tx pgx.Tx, ds []measurement.Decision) (int, error) {
	var ids, clusters []string
	// The users named, then the move, in one round trip.
	b := &pgx.Batch{}
	b.Queue(sqlStagedDecisionUsers)
	b.Queue(sqlMoveDecisionsExposures).QueryRow(func(r pgx.Row) error { return r.Scan(&ids, &clusters) })
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return 0, err
	}
	if len(clusters) > 0 {
		if _, err := tx.Exec(ctx, sqlLockIdentity); err != nil {
			return 0, err
		}
		for _, c := range clusters {
			if err := refreshConflicts(ctx, tx, c, nil); err != nil {
				return 0, err
			}
		}
	}
	fresh := make(map[string]bool, len(ids))
	for _, id := range ids {
		fresh[id] = true
	}
	moved := make([]measurement.Decision, 0, len(ids))
	for _, d := range ds {
		if fresh[d.ID] {
			moved = append(moved, d)
			delete(fresh, d.ID) // a record twice in one batch counts once
		}
	}
	batch := &pgx.Batch{}
	if err := s.rollDecisions(ctx, tx, moved, batch); err != nil {
		return 0, err
	}
	queueKpis(batch, measurement.KpiOfDecisions(moved))
	return len(ids), sendRollups(ctx, tx, batch)
}

var _ measurement.ArmStore = (*MeasurementStore)(nil)

// PersonArms implements measurement.ArmStore: two queries for a batch of
// visitors, whatever their number.
func (s *MeasurementStore) PersonArms(ctx context.Context, visitorIDs []string) (map[string]map[string]string, error) {
	clusterOf, err := s.ClustersOf(ctx, visitorIDs)
	if err != nil {
		return nil, err
	}
	var clusters []string
	for v, c := range clusterOf {
		if c != v {
			clusters = append(clusters, c)
		}
	}
	out := map[string]map[string]string{}
	if len(clusters) == 0 {
		return out, nil
	}
	rows, err := s.pool.Query(ctx, sqlClustersExposures, clusters)
	if err != nil {
		return nil, fmt.Errorf("reading the exposures of clusters: %w", err)
	}
	type clusterState struct {
		members   []identity.Member
		seen      map[string]bool
		exposures []identity.Exposure
	}
	state := map[string]*clusterState{}
	var c, v string
	var linked time.Time
	var exp, arm, decision *string
	var at *time.Time
	_, err = pgx.ForEachRow(rows, []any{&c, &v, &linked, &exp, &arm, &at, &decision}, func() error {
		st := state[c]
		if st == nil {
			st = &clusterState{seen: map[string]bool{}}
			state[c] = st
		}
		if !st.seen[v] {
			st.seen[v] = true
			st.members = append(st.members, identity.Member{VisitorID: v, LinkedAt: linked})
		}
		if exp != nil {
			st.exposures = append(st.exposures, identity.Exposure{VisitorID: v, Experiment: *exp, Arm: *arm, At: *at, DecisionID: *decision})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading the exposures of clusters: %w", err)
	}
	arms := map[string]map[string]string{}
	for c, st := range state {
		a := map[string]string{}
		for _, as := range identity.Assign(st.members, st.exposures) {
			a[as.Experiment] = as.Arm
		}
		arms[c] = a
	}
	for v, c := range clusterOf {
		if a := arms[c]; len(a) > 0 && c != v {
			out[v] = a
		}
	}
	return out, nil
}
