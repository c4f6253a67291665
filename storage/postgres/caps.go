package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/measurement/capcount"
)

// sqlCapRecords reads, for each asked visitor id, its cluster (” when
// none) and the newest $2 decision records of each of the cluster's
// visitor ids (or of the visitor alone). Each member's records come from
// the (visitor_id, time) index, newest first, so a person with a long
// history costs $2 rows per device, not a scan.
const sqlCapRecords = `WITH asked AS (SELECT DISTINCT unnest($1::text[]) AS visitor_id),
	person AS (
		SELECT a.visitor_id AS asked, coalesce(m.cluster_id, '') AS cluster_id,
			coalesce(o.visitor_id, a.visitor_id) AS member
		FROM asked a
		LEFT JOIN identity_members m ON m.visitor_id = a.visitor_id
		LEFT JOIN identity_members o ON o.cluster_id = m.cluster_id)
	SELECT p.asked, p.cluster_id, r.id, r.time, r.channel, r.blocks
	FROM person p
	LEFT JOIN LATERAL (
		SELECT d.id, d.time, coalesce(d.channel, '') AS channel, d.blocks FROM measurement_decisions d
		WHERE d.visitor_id = p.member ORDER BY d.time DESC LIMIT $2) r ON true`

var _ capcount.Store = (*MeasurementStore)(nil)

// CapRecords implements capcount.Store in one query per batch.
func (s *MeasurementStore) CapRecords(ctx context.Context, visitorIDs []string, perVisitor int) (map[string]capcount.Person, error) {
	rows, err := s.pool.Query(ctx, sqlCapRecords, visitorIDs, perVisitor)
	if err != nil {
		return nil, fmt.Errorf("reading decision records for caps: %w", err)
	}
	out := make(map[string]capcount.Person, len(visitorIDs))
	var asked, cluster string
	var id, channel *string
	var at *time.Time
	var blocks []byte
	_, err = pgx.ForEachRow(rows, []any{&asked, &cluster, &id, &at, &channel, &blocks}, func() error {
		p := out[asked]
		p.Cluster = cluster
		if id != nil {
			d := measurement.Decision{ID: *id, Time: *at, Channel: *channel}
			if err := json.Unmarshal(blocks, &d.Blocks); err != nil {
				return fmt.Errorf("decoding decision %s: %w", *id, err)
			}
			p.Records = append(p.Records, d)
		}
		out[asked] = p
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading decision records for caps: %w", err)
	}
	return out, nil
}

// sqlCapSuppressions counts, per capped variant, the decision records in
// [$1, $2) whose block lists it as suppressed (measurement.Suppressed),
// split by reached and pending, and the people (identity clusters, else
// visitor ids) they were for. The day bounds let PostgreSQL skip
// partitions.
const sqlCapSuppressions = `SELECT d.entry_slug, b->>'blockId', s->>'variant', coalesce(s->>'campaign', ''),
		coalesce(s->>'experiment', ''), coalesce(s->>'scope', ''),
		count(*) FILTER (WHERE NOT coalesce((s->>'pending')::boolean, false)),
		count(*) FILTER (WHERE coalesce((s->>'pending')::boolean, false)),
		count(DISTINCT coalesce(m.cluster_id, nullif(d.visitor_id, '')))
	FROM measurement_decisions d
	CROSS JOIN LATERAL jsonb_array_elements(d.blocks) b
	CROSS JOIN LATERAL jsonb_array_elements(coalesce(b->'suppressed', '[]'::jsonb)) s
	LEFT JOIN identity_members m ON m.visitor_id = d.visitor_id
	WHERE d.day >= ($1::timestamptz AT TIME ZONE 'UTC')::date AND d.day <= ($2::timestamptz AT TIME ZONE 'UTC')::date
		AND d.time >= $1 AND d.time < $2
		AND ($3 = '' OR s->>'campaign' = $3) AND ($4 = '' OR s->>'experiment' = $4)
	GROUP BY 1, 2, 3, 4, 5, 6
	ORDER BY 7 DESC, 8 DESC, 1, 2, 3`

var _ capcount.ReportStore = (*MeasurementStore)(nil)

// CapSuppressions implements capcount.ReportStore.
func (s *MeasurementStore) CapSuppressions(ctx context.Context, from, to time.Time, campaign, experiment string) ([]capcount.Suppression, error) {
	rows, err := s.pool.Query(ctx, sqlCapSuppressions, from, to, campaign, experiment)
	if err != nil {
		return nil, fmt.Errorf("reading cap suppressions: %w", err)
	}
	var out []capcount.Suppression
	var x capcount.Suppression
	_, err = pgx.ForEachRow(rows, []any{&x.EntrySlug, &x.BlockID, &x.Variant, &x.Campaign, &x.Experiment, &x.Scope,
		&x.Suppressed, &x.Pending, &x.People}, func() error {
		out = append(out, x)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading cap suppressions: %w", err)
	}
	return out, nil
}
