package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/measurement/identity"
)

// Editors' reads of people (measurement.PeopleStore): profiles, decision
// records, counts, erasure and unmerging.
const (
	sqlMemberCluster   = `SELECT cluster_id FROM identity_members WHERE visitor_id = $1`
	sqlMembersClusters = `SELECT visitor_id, cluster_id FROM identity_members WHERE visitor_id = ANY($1)`
	sqlClusterByUser   = `SELECT id FROM identity_clusters WHERE user_id = $1`
	sqlClusterUser     = `SELECT user_id FROM identity_clusters WHERE id = $1`
	sqlDevices         = `SELECT visitor_id, coalesce(device, ''), coalesce(channel, ''), max(time) FROM measurement_decisions
		WHERE visitor_id = ANY($1) GROUP BY 1, 2, 3 ORDER BY 4 DESC`
	sqlRecentEvents = `SELECT id, type, visitor_id, coalesce(user_id, ''), time, received_at, coalesce(decision_id, ''),
		coalesce(block_id, ''), coalesce(entry, ''), coalesce(goal, ''), value, coalesce(currency, ''), coalesce(name, ''), data
		FROM measurement_events WHERE visitor_id = ANY($1) ORDER BY time DESC, id LIMIT $2`
	sqlConsentEvents = `SELECT id, type, visitor_id, coalesce(user_id, ''), time, received_at, '', '', '', '', NULL::float8, '', '', data
		FROM measurement_events WHERE visitor_id = ANY($1) AND type = 'consent' ORDER BY time`
	sqlLinks = `SELECT seq, at, event_time, action, visitor_id, coalesce(user_id, ''), coalesce(cluster_id, ''), coalesce(code, ''),
		reason, coalesce(event_id, ''), coalesce(actor, '') FROM identity_links
		WHERE visitor_id = ANY($1) OR cluster_id = $2 ORDER BY seq`
	// A UUIDv7 names its day: the read touches two partitions at most.
	sqlDecisionByID = `SELECT ` + decisionReadColumns + `
		FROM measurement_decisions WHERE id = $1 AND ($2::date[] IS NULL OR day = ANY($2))`
	sqlEventCounts = `SELECT day, type, count(*)::int FROM measurement_events WHERE day >= $1 AND day < $2
		GROUP BY day, type ORDER BY day, type`
	sqlEraseEvents    = `DELETE FROM measurement_events WHERE visitor_id = ANY($1) OR user_id = $2`
	sqlEraseDecisions = `DELETE FROM measurement_decisions WHERE visitor_id = ANY($1) OR user_id = $2`
	sqlEraseExposures = `DELETE FROM identity_exposures WHERE visitor_id = ANY($1)`
	sqlEraseLinks     = `DELETE FROM identity_links WHERE visitor_id = ANY($1) OR cluster_id = $2 OR user_id = $3`
	sqlEraseCluster   = `DELETE FROM identity_clusters WHERE id = $1`
	sqlDeleteMember   = `DELETE FROM identity_members WHERE visitor_id = $1 RETURNING cluster_id`
)

var _ measurement.PeopleStore = (*MeasurementStore)(nil)

// ClusterOf implements measurement.PeopleStore: the person key of a
// visitor id (rollups count experiments by it).
func (s *MeasurementStore) ClusterOf(ctx context.Context, visitorID string) (string, error) {
	var c string
	switch err := s.pool.QueryRow(ctx, sqlMemberCluster, visitorID).Scan(&c); {
	case errors.Is(err, pgx.ErrNoRows):
		return visitorID, nil
	case err != nil:
		return "", fmt.Errorf("reading the cluster of a visitor: %w", err)
	}
	return c, nil
}

// ClustersOf is ClusterOf for many visitor ids in one query (rollups
// resolve a batch of exposures at once): every id maps to its cluster, or
// to itself.
func (s *MeasurementStore) ClustersOf(ctx context.Context, visitorIDs []string) (map[string]string, error) {
	out := make(map[string]string, len(visitorIDs))
	for _, v := range visitorIDs {
		out[v] = v
	}
	rows, err := s.pool.Query(ctx, sqlMembersClusters, visitorIDs)
	if err != nil {
		return nil, fmt.Errorf("reading the clusters of visitors: %w", err)
	}
	var v, c string
	_, err = pgx.ForEachRow(rows, []any{&v, &c}, func() error { out[v] = c; return nil })
	if err != nil {
		return nil, fmt.Errorf("reading the clusters of visitors: %w", err)
	}
	return out, nil
}

// person finds the cluster and visitor ids of visitorID or userID: a
// linked visitor's cluster, a user's cluster, or a visitor on its own
// (cluster "" and the visitor id). No visitors: a user id never seen.
func person(ctx context.Context, q querier, visitorID, userID string) (cluster, user string, visitors []string, err error) {
	if visitorID != "" {
		err = q.QueryRow(ctx, sqlMemberCluster, visitorID).Scan(&cluster)
	} else {
		err = q.QueryRow(ctx, sqlClusterByUser, userID).Scan(&cluster)
	}
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		if visitorID != "" {
			return "", "", []string{visitorID}, nil
		}
		return "", userID, nil, nil
	case err != nil:
		return "", "", nil, err
	}
	if err := q.QueryRow(ctx, sqlClusterUser, cluster).Scan(&user); err != nil {
		return "", "", nil, err
	}
	members, err := clusterMembers(ctx, q, cluster)
	if err != nil {
		return "", "", nil, err
	}
	for _, m := range members {
		visitors = append(visitors, m.VisitorID)
	}
	return cluster, user, visitors, nil
}

// Profile implements measurement.PeopleStore.
func (s *MeasurementStore) Profile(ctx context.Context, visitorID, userID string, recent int) (*measurement.Profile, error) {
	cluster, user, visitors, err := person(ctx, s.pool, visitorID, userID)
	if err != nil {
		return nil, fmt.Errorf("finding the person: %w", err)
	}
	if cluster == "" && len(visitors) == 0 {
		return nil, nil
	}
	p := &measurement.Profile{ClusterID: cluster, UserID: user}
	if cluster == "" {
		p.ClusterID = visitorID
		p.Members = []identity.Member{{VisitorID: visitorID}}
	} else if p.Members, err = clusterMembers(ctx, s.pool, cluster); err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, sqlDevices, visitors)
	if err != nil {
		return nil, fmt.Errorf("reading devices: %w", err)
	}
	if p.Devices, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (measurement.Device, error) {
		var d measurement.Device
		err := r.Scan(&d.VisitorID, &d.Device, &d.Channel, &d.LastSeen)
		return d, err
	}); err != nil {
		return nil, fmt.Errorf("reading devices: %w", err)
	}
	if p.Events, err = readEvents(ctx, s.pool, sqlRecentEvents, visitors, recent); err != nil {
		return nil, fmt.Errorf("reading recent events: %w", err)
	}
	consent, err := readEvents(ctx, s.pool, sqlConsentEvents, visitors)
	if err != nil {
		return nil, fmt.Errorf("reading consent: %w", err)
	}
	p.Consent = measurement.FoldConsent(consent)
	exposures, err := visitorExposures(ctx, s.pool, visitors)
	if err != nil {
		return nil, fmt.Errorf("reading exposures: %w", err)
	}
	p.Assignments = identity.Assign(p.Members, exposures)
	if p.Links, err = readLinks(ctx, s.pool, visitors, cluster); err != nil {
		return nil, fmt.Errorf("reading the link history: %w", err)
	}
	if cluster == "" && len(p.Devices)+len(p.Events)+len(p.Consent)+len(p.Assignments)+len(p.Links) == 0 {
		return nil, nil // a visitor id Mosaic holds nothing of
	}
	return p, nil
}

func readEvents(ctx context.Context, q querier, sql string, args ...any) ([]measurement.Event, error) {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (measurement.Event, error) {
		var e measurement.Event
		var data []byte
		err := r.Scan(&e.ID, &e.Type, &e.VisitorID, &e.UserID, &e.Time, &e.ReceivedAt, &e.DecisionID, &e.BlockID,
			&e.Entry, &e.Goal, &e.Value, &e.Currency, &e.Name, &data)
		if err != nil || data == nil {
			return e, err
		}
		switch e.Type {
		case measurement.TypeTrack:
			e.Properties = data
		case measurement.TypeIdentify:
			e.Traits = data
		case measurement.TypeConsent:
			var c struct{ Granted, Withdrawn []measurement.Purpose }
			if err := json.Unmarshal(data, &c); err != nil {
				return e, err
			}
			e.Granted, e.Withdrawn = c.Granted, c.Withdrawn
		}
		return e, nil
	})
}

func readLinks(ctx context.Context, q querier, visitors []string, cluster string) ([]measurement.Link, error) {
	rows, err := q.Query(ctx, sqlLinks, visitors, cluster)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (measurement.Link, error) {
		var l measurement.Link
		err := r.Scan(&l.Seq, &l.At, &l.EventTime, &l.Action, &l.VisitorID, &l.UserID, &l.ClusterID, &l.Code,
			&l.Reason, &l.EventID, &l.Actor)
		return l, err
	})
}

// Decision implements measurement.PeopleStore.
func (s *MeasurementStore) Decision(ctx context.Context, id string) (*measurement.Decision, error) {
	var days []time.Time // nil: any (a derived record's id names no instant)
	if ds, ok := measurement.DecisionDays(id); ok {
		days = ds[:]
	}
	d, err := scanDecision(s.pool.QueryRow(ctx, sqlDecisionByID, id, days))
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("reading decision %s: %w", id, err)
	}
	return &d, nil
}

// decisionReadColumns are what scanDecision reads of a record.
const decisionReadColumns = `id, time, visitor_id, coalesce(user_id, ''), coalesce(channel, ''), coalesce(device, ''),
	coalesce(locale, ''), consent, coalesce(purposes, '{}'), purposes IS NULL, entry_id, entry_slug, entry_version, blocks`

// scanDecision reads a record selected as decisionReadColumns.
func scanDecision(row pgx.Row) (measurement.Decision, error) {
	var d measurement.Decision
	var purposes []string
	var noPurposes bool
	var blocks []byte
	if err := row.Scan(&d.ID, &d.Time, &d.VisitorID, &d.UserID, &d.Channel, &d.Device,
		&d.Locale, &d.Consent, &purposes, &noPurposes, &d.EntryID, &d.EntrySlug, &d.EntryVersion, &blocks); err != nil {
		return d, err
	}
	if !noPurposes { // NULL: written before purposes were recorded
		d.Purposes = make([]measurement.Purpose, len(purposes))
		for i, p := range purposes {
			d.Purposes[i] = measurement.Purpose(p)
		}
	}
	if err := json.Unmarshal(blocks, &d.Blocks); err != nil {
		return d, fmt.Errorf("decoding decision %s: %w", d.ID, err)
	}
	return d, nil
}

// EventCounts implements measurement.PeopleStore.
func (s *MeasurementStore) EventCounts(ctx context.Context, from, to time.Time) ([]measurement.EventCount, error) {
	rows, err := s.pool.Query(ctx, sqlEventCounts, from, to)
	if err != nil {
		return nil, fmt.Errorf("counting events: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (measurement.EventCount, error) {
		var c measurement.EventCount
		err := r.Scan(&c.Day, &c.Type, &c.Count)
		return c, err
	})
}

// Erase implements measurement.PeopleStore: one transaction, under the
// identity lock so no identify links into the cluster meanwhile.
func (s *MeasurementStore) Erase(ctx context.Context, visitorID, userID string) (measurement.Erasure, error) {
	var out measurement.Erasure
	err := retryDeadlock(func() error {
		return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, sqlLockIdentity); err != nil {
				return err
			}
			cluster, user, visitors, err := person(ctx, tx, visitorID, userID)
			if err != nil {
				return err
			}
			if visitors == nil {
				visitors = []string{}
			}
			out = measurement.Erasure{ClusterID: cluster, Visitors: visitors}
			for _, step := range []struct {
				n    *int
				sql  string
				args []any
			}{
				// Before the events: the funnels' rows are those events'.
				{new(int), sqlEraseFunnelEvents, []any{visitors, nullText(user)}},
				{&out.Events, sqlEraseEvents, []any{visitors, nullText(user)}},
				{&out.Decisions, sqlEraseDecisions, []any{visitors, nullText(user)}},
				{&out.Exposures, sqlEraseExposures, []any{visitors}},
				{new(int), sqlEraseViews, []any{visitors}},
				{&out.Links, sqlEraseLinks, []any{visitors, nullText(cluster), nullText(user)}},
			} {
				tag, err := tx.Exec(ctx, step.sql, step.args...)
				if err != nil {
					return err
				}
				*step.n = int(tag.RowsAffected())
			}
			if cluster != "" {
				if _, err := tx.Exec(ctx, sqlEraseCluster, cluster); err != nil {
					return err
				}
			}
			// The rollups' per-unit rows: the person (cluster) and each
			// device's own unit from before its link.
			units := slices.Clone(visitors)
			if cluster != "" {
				units = append(units, cluster)
			}
			return forgetUnits(ctx, tx, units)
		})
	})
	if err != nil {
		return measurement.Erasure{}, fmt.Errorf("erasing a person: %w", err)
	}
	return out, nil
}

// Unmerge implements measurement.PeopleStore.
func (s *MeasurementStore) Unmerge(ctx context.Context, visitorID, actor string) (measurement.Link, error) {
	var l measurement.Link
	err := retryDeadlock(func() error {
		return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, sqlLockIdentity); err != nil {
				return err
			}
			var cluster, user string
			if err := tx.QueryRow(ctx, sqlDeleteMember, visitorID).Scan(&cluster); errors.Is(err, pgx.ErrNoRows) {
				return errs.E(errs.NotFound, "visitor id %q is not linked to any user id: nothing to unmerge", visitorID)
			} else if err != nil {
				return err
			}
			if err := tx.QueryRow(ctx, sqlClusterUser, cluster).Scan(&user); err != nil {
				return err
			}
			reason := "unmerged by an editor"
			if err := tx.QueryRow(ctx, sqlAppendLink+` RETURNING seq, at`, nil, "unlink", visitorID, user, cluster, nil, reason, nil,
				actor).Scan(&l.Seq, &l.At); err != nil {
				return err
			}
			l.Action, l.VisitorID, l.UserID, l.ClusterID, l.Reason, l.Actor = "unlink", visitorID, user, cluster, reason, actor
			return refreshConflicts(ctx, tx, cluster, []string{visitorID})
		})
	})
	if err != nil && errs.CodeOf(err) != errs.NotFound {
		err = fmt.Errorf("unmerging visitor %q: %w", visitorID, err)
	}
	return l, err
}

// retryDeadlock runs f again (twice at most) when PostgreSQL aborted it as
// one side of a deadlock: the log's consumer takes row locks on exposures
// before the identity lock, an editor's erasure the other way round, and
// the consumer retries its side on its own.
func retryDeadlock(f func() error) error {
	var err error
	for range 3 {
		var pg *pgconn.PgError
		if err = f(); !errors.As(err, &pg) || pg.Code != "40P01" {
			return err
		}
	}
	return err
}
