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

// sqlCapRecords reads, for each asked visitor id ($1, from $2 on), its
// cluster (” when none), how many visitor ids the person has, and the
// newest $3 decision records at or after the ask's time of each of the
// person's visitor ids (or of the visitor alone). Each member's records
// come from the (visitor_id, time) index, newest first, and the day bound
// lets PostgreSQL skip older partitions, so an incremental load reads the
// records since the last one, not the person's history again.
// identity_members.visitor_id is COLLATE "C" and measurement_decisions'
// is not: compared under "C" the (visitor_id, time) index cannot be used
// and each visitor of a batch scanned the day's partition, so the member
// is cast back to the default collation.
const sqlCapRecords = `WITH asked AS (
		SELECT DISTINCT ON (v) v AS visitor_id, s AS since
		FROM unnest($1::text[], $2::timestamptz[]) AS u(v, s) ORDER BY v, s),
	person AS (
		SELECT a.visitor_id AS asked, a.since, coalesce(m.cluster_id, '') AS cluster_id,
			coalesce(o.visitor_id, a.visitor_id) COLLATE "default" AS member,
			count(*) OVER (PARTITION BY a.visitor_id) AS members
		FROM asked a
		LEFT JOIN identity_members m ON m.visitor_id = a.visitor_id
		LEFT JOIN identity_members o ON o.cluster_id = m.cluster_id)
	SELECT p.asked, p.cluster_id, p.members, r.id, r.time, r.channel, r.blocks
	FROM person p
	LEFT JOIN LATERAL (
		SELECT d.id, d.time, coalesce(d.channel, '') AS channel, d.blocks FROM measurement_decisions d
		WHERE d.visitor_id = p.member AND d.time >= p.since
			AND d.day >= (p.since AT TIME ZONE 'UTC')::date
		ORDER BY d.time DESC LIMIT $3) r ON true`

var _ capcount.Store = (*MeasurementStore)(nil)

// CapRecords implements capcount.Store in one query per batch.
func (s *MeasurementStore) CapRecords(ctx context.Context, asks []capcount.Ask, perVisitor int) (map[string]capcount.Person, error) {
	ids := make([]string, len(asks))
	since := make([]time.Time, len(asks))
	for i, a := range asks {
		ids[i], since[i] = a.VisitorID, a.Since.UTC()
	}
	rows, err := s.pool.Query(ctx, sqlCapRecords, ids, since, perVisitor)
	if err != nil {
		return nil, fmt.Errorf("reading decision records for caps: %w", err)
	}
	out := make(map[string]capcount.Person, len(asks))
	var asked, cluster string
	var members int
	var id, channel *string
	var at *time.Time
	var blocks []byte
	_, err = pgx.ForEachRow(rows, []any{&asked, &cluster, &members, &id, &at, &channel, &blocks}, func() error {
		p := out[asked]
		p.Cluster, p.Members = cluster, members
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
