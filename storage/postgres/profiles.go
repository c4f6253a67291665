package postgres

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/measurement/profile"
)

// Behaviour profiles (measurement/profile): what segment rules read of a
// person, loaded in the background by the profile cache, a batch of
// visitor ids per round trip set.
const (
	// The visitor ids of clusters, earliest linked first.
	sqlProfileMembers = `SELECT cluster_id, visitor_id FROM identity_members WHERE cluster_id = ANY($1)
		ORDER BY cluster_id, linked_at, visitor_id`
	// Each visitor id's most recent events since $2 (not consent: not
	// behaviour), through the (visitor_id, time) index: the limit applies
	// per visitor id, the cache keeps the cluster's most recent.
	sqlProfileEvents = `SELECT e.id, e.type, e.visitor_id, coalesce(e.user_id, ''), e.time, e.received_at,
		coalesce(e.decision_id, ''), coalesce(e.block_id, ''), coalesce(e.entry, ''), coalesce(e.goal, ''), e.value,
		coalesce(e.currency, ''), coalesce(e.name, ''), e.data
		FROM unnest($1::text[]) AS v(id) CROSS JOIN LATERAL (
			SELECT * FROM measurement_events WHERE visitor_id = v.id AND time >= $2 AND type <> 'consent'
			ORDER BY time DESC LIMIT $3) e`
	sqlProfileDevices = `SELECT visitor_id, coalesce(device, ''), coalesce(channel, ''), max(time) FROM measurement_decisions
		WHERE visitor_id = ANY($1) AND time >= $2 GROUP BY 1, 2, 3`
)

var _ profile.Store = (*MeasurementStore)(nil)

// ProfileData implements profile.Store.
func (s *MeasurementStore) ProfileData(ctx context.Context, visitorIDs []string, since time.Time, limit int) (map[string]profile.Data, error) {
	clusterOf, err := s.ClustersOf(ctx, visitorIDs)
	if err != nil {
		return nil, err
	}
	members := map[string][]string{}
	var clusters []string
	for v, c := range clusterOf {
		if c == v {
			members[c] = []string{v}
		} else if !slices.Contains(clusters, c) {
			clusters = append(clusters, c)
		}
	}
	if len(clusters) > 0 {
		rows, err := s.pool.Query(ctx, sqlProfileMembers, clusters)
		if err != nil {
			return nil, fmt.Errorf("reading the members of clusters: %w", err)
		}
		var c, v string
		_, err = pgx.ForEachRow(rows, []any{&c, &v}, func() error {
			if len(members[c]) < profile.MaxVisitors {
				members[c] = append(members[c], v)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("reading the members of clusters: %w", err)
		}
	}
	for _, v := range visitorIDs { // past MaxVisitors, still the one asked for
		if c := clusterOf[v]; !slices.Contains(members[c], v) {
			members[c] = append(members[c], v)
		}
	}
	var all []string
	clusterOfMember := map[string]string{}
	for c, vs := range members {
		for _, v := range vs {
			clusterOfMember[v] = c
		}
		all = append(all, vs...)
	}
	events, err := readEvents(ctx, s.pool, sqlProfileEvents, all, since, limit)
	if err != nil {
		return nil, fmt.Errorf("reading behaviour events: %w", err)
	}
	byCluster := map[string]*profile.Data{}
	for c, vs := range members {
		byCluster[c] = &profile.Data{ClusterID: c, Members: vs}
	}
	for _, e := range events {
		d := byCluster[clusterOfMember[e.VisitorID]]
		d.Events = append(d.Events, e)
	}
	rows, err := s.pool.Query(ctx, sqlProfileDevices, all, since)
	if err != nil {
		return nil, fmt.Errorf("reading behaviour devices: %w", err)
	}
	var dev measurement.Device
	_, err = pgx.ForEachRow(rows, []any{&dev.VisitorID, &dev.Device, &dev.Channel, &dev.LastSeen}, func() error {
		d := byCluster[clusterOfMember[dev.VisitorID]]
		d.Devices = append(d.Devices, dev)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading behaviour devices: %w", err)
	}
	out := make(map[string]profile.Data, len(visitorIDs))
	for _, v := range visitorIDs {
		out[v] = *byCluster[clusterOf[v]]
	}
	return out, nil
}
