package postgres

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/mosaichq/mosaic/errs"

	"github.com/mosaichq/mosaic/measurement/report"
)

const (
	metricColumns   = `key, name, kind, event, window_hours, goal, guardrail, archived, version, created_at, updated_at, updated_by`
	sqlMetric       = `SELECT ` + metricColumns + ` FROM measurement_metrics WHERE key = $1`
	sqlMetrics      = `SELECT ` + metricColumns + ` FROM measurement_metrics WHERE $1 OR NOT archived ORDER BY key`
	sqlInsertMetric = `INSERT INTO measurement_metrics (key, name, kind, event, window_hours, goal, guardrail, updated_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ` + metricColumns
	sqlUpdateMetric = `UPDATE measurement_metrics SET name = $2, kind = $3, event = $4, window_hours = $5, goal = $6,
			guardrail = $7, updated_by = $8, version = version + 1, updated_at = now()
		WHERE key = $1 AND version = $9 RETURNING ` + metricColumns
	sqlMetricVersion = `SELECT version FROM measurement_metrics WHERE key = $1`
	sqlArchiveMetric = `UPDATE measurement_metrics SET archived = true, updated_by = $2, version = version + 1, updated_at = now()
		WHERE key = $1 RETURNING ` + metricColumns

	// Per arm: units first exposed in the day range, and the metric's sums
	// for the same cohorts (the metric rollup is keyed by the day of first
	// exposure too, so both sides count the same units). A NULL bound is
	// open: it becomes ±infinity rather than "$4 IS NULL OR day >= $4",
	// which a generic plan (pgx prepares statements) cannot use as an index
	// bound, so every range read the experiment's whole history. Both read
	// migration 000017's range indexes: (experiment[, event, window], day).
	sqlArmTotals = `WITH x AS (
			SELECT arm, sum(units)::bigint AS units, sum(multi_arm)::bigint AS multi
			FROM measurement_exposure_daily
			WHERE experiment = $1 AND day >= coalesce($4::date, '-infinity') AND day <= coalesce($5::date, 'infinity')
			GROUP BY arm),
		m AS (
			SELECT arm, sum(converters)::bigint AS converters, sum(count)::bigint AS count, sum(count_sq)::bigint AS count_sq,
				sum(sum) AS sum, sum(sum_sq) AS sum_sq
			FROM measurement_metric_daily
			WHERE experiment = $1 AND event = $2 AND window_hours = $3
				AND day >= coalesce($4::date, '-infinity') AND day <= coalesce($5::date, 'infinity')
			GROUP BY arm)
		SELECT coalesce(x.arm, m.arm), coalesce(x.units, 0), coalesce(x.multi, 0), coalesce(m.converters, 0),
			coalesce(m.count, 0), coalesce(m.count_sq, 0), coalesce(m.sum, 0), coalesce(m.sum_sq, 0)
		FROM x FULL JOIN m ON m.arm = x.arm`
)

// ReportStore implements report.Store: metric definitions and reads of
// the measurement rollups.
type ReportStore struct {
	pool  *pgxpool.Pool
	reads *Reads // reports read from a standby (reads_query.go)
}

// NewReportStore returns the reports' store on pool.
func NewReportStore(pool *pgxpool.Pool) *ReportStore { return &ReportStore{pool: pool} }

func scanMetric(row pgx.Row) (report.Metric, error) {
	var m report.Metric
	var kind, goal string
	var hours int
	err := row.Scan(&m.Key, &m.Name, &kind, &m.Event, &hours, &goal, &m.Guardrail, &m.Archived, &m.Version,
		&m.CreatedAt, &m.UpdatedAt, &m.UpdatedBy)
	m.Kind, m.Goal, m.Window = report.Kind(kind), report.Goal(goal), time.Duration(hours)*time.Hour
	return m, err
}

// CreateMetric implements report.Store.
func (r *ReportStore) CreateMetric(ctx context.Context, m report.Metric) (report.Metric, error) {
	out, err := scanMetric(r.pool.QueryRow(ctx, sqlInsertMetric, m.Key, m.Name, string(m.Kind), m.Event,
		int(m.Window/time.Hour), string(m.Goal), m.Guardrail, m.UpdatedBy))
	if err != nil {
		return out, mapError(err, fmt.Sprintf("metric %q", m.Key))
	}
	return out, nil
}

// UpdateMetric implements report.Store.
func (r *ReportStore) UpdateMetric(ctx context.Context, m report.Metric, expectedVersion int) (report.Metric, error) {
	var out report.Metric
	err := pgx.BeginFunc(ctx, r.pool, func(tx pgx.Tx) error {
		var err error
		out, err = scanMetric(tx.QueryRow(ctx, sqlUpdateMetric, m.Key, m.Name, string(m.Kind), m.Event,
			int(m.Window/time.Hour), string(m.Goal), m.Guardrail, m.UpdatedBy, expectedVersion))
		if err != nil {
			return staleOrMissing(ctx, tx, err, sqlMetricVersion, "metric", m.Key, expectedVersion)
		}
		return nil
	})
	return out, err
}

// ArchiveMetric implements report.Store.
func (r *ReportStore) ArchiveMetric(ctx context.Context, key, by string) (report.Metric, error) {
	m, err := scanMetric(r.pool.QueryRow(ctx, sqlArchiveMetric, key, by))
	if err != nil {
		return m, mapError(err, fmt.Sprintf("metric %q", key))
	}
	return m, nil
}

// Metric implements report.Store.
func (r *ReportStore) Metric(ctx context.Context, key string) (report.Metric, error) {
	m, err := scanMetric(r.reader().QueryRow(ctx, sqlMetric, key))
	if err != nil {
		return m, mapError(err, fmt.Sprintf("metric %q", key))
	}
	return m, nil
}

// Metrics implements report.Store.
func (r *ReportStore) Metrics(ctx context.Context, archived bool) ([]report.Metric, error) {
	rows, err := r.reader().Query(ctx, sqlMetrics, archived)
	if err != nil {
		return nil, fmt.Errorf("listing metrics: %w", err)
	}
	defer rows.Close()
	var out []report.Metric
	for rows.Next() {
		m, err := scanMetric(rows)
		if err != nil {
			return nil, fmt.Errorf("reading a metric: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// ArmTotals implements report.Store.
func (r *ReportStore) ArmTotals(ctx context.Context, experiment, event string, windowHours int, rg report.Range) ([]report.ArmTotals, error) {
	rows, err := r.reader().Query(ctx, sqlArmTotals, experiment, event, windowHours, optDay(rg.From), optDay(rg.To))
	if err != nil {
		return nil, fmt.Errorf("reading the rollups of experiment %q: %w", experiment, err)
	}
	defer rows.Close()
	var out []report.ArmTotals
	for rows.Next() {
		var t report.ArmTotals
		if err := rows.Scan(&t.Arm, &t.Units, &t.MultiArm, &t.Converters, &t.Count, &t.CountSq, &t.Sum, &t.SumSq); err != nil {
			return nil, fmt.Errorf("reading the rollups of experiment %q: %w", experiment, err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// optDay is t's UTC day, or NULL for the zero time.
func optDay(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(time.DateOnly)
}

var _ report.Store = (*ReportStore)(nil)

const sqlExperimentByKey = `SELECT ` + experimentColumns + ` FROM experiments WHERE key = $1`

// ReportArms is report.Experiments over the stored experiments: key's
// arms in their configured order (the first is the control), or NOT_FOUND.
func (e *ExperienceStore) ReportArms(ctx context.Context, key string) ([]report.Arm, error) {
	x, err := scanExperiment(e.s.reader().QueryRow(ctx, sqlExperimentByKey, key))
	if err != nil {
		return nil, mapError(err, fmt.Sprintf("experiment %q", key))
	}
	out := make([]report.Arm, len(x.Arms))
	for i, a := range x.Arms {
		out[i] = report.Arm{Key: a.Key, Weight: a.Weight}
	}
	return out, nil
}

// The eligibility report reads raw decision records (bounded by the
// service to 31 days; the day bounds prune partitions): the blocks where
// the experiment exposed someone, then per block the visitors exposed and
// those a segment, context or campaign variant took without naming an
// experiment. The records read are counted over the same range.
const (
	sqlEligibility = `WITH recs AS (
			SELECT d.visitor_id, d.entry_id, b->>'blockId' AS block, coalesce(b->>'experiment', '') AS exp, b->>'reason' AS class
			FROM measurement_decisions d, jsonb_array_elements(d.blocks) b
			WHERE d.time >= $2::timestamptz AND d.time < $3::timestamptz AND d.visitor_id <> ''
				AND d.day >= ($2::timestamptz AT TIME ZONE 'UTC')::date AND d.day <= ($3::timestamptz AT TIME ZONE 'UTC')::date),
		blocks AS (SELECT DISTINCT entry_id, block FROM recs WHERE exp = $1)
		SELECT r.entry_id, r.block,
			count(DISTINCT r.visitor_id) FILTER (WHERE r.exp = $1),
			count(DISTINCT r.visitor_id) FILTER (WHERE r.exp = '' AND r.class IN ('segment', 'context', 'campaign')),
			count(DISTINCT r.visitor_id) FILTER (WHERE r.exp = '' AND r.class = 'segment'),
			count(DISTINCT r.visitor_id) FILTER (WHERE r.exp = '' AND r.class = 'context'),
			count(DISTINCT r.visitor_id) FILTER (WHERE r.exp = '' AND r.class = 'campaign')
		FROM recs r JOIN blocks b ON b.entry_id = r.entry_id AND b.block = r.block
		GROUP BY r.entry_id, r.block ORDER BY r.entry_id, r.block`
	sqlEligibilityScanned = `SELECT count(*) FROM measurement_decisions
		WHERE time >= $1::timestamptz AND time < $2::timestamptz
			AND day >= ($1::timestamptz AT TIME ZONE 'UTC')::date AND day <= ($2::timestamptz AT TIME ZONE 'UTC')::date`
)

// Eligibility implements report.EligibilityStore.
func (r *ReportStore) Eligibility(ctx context.Context, experiment string, from, to time.Time) ([]report.EligibilityBlock, int64, error) {
	rows, err := r.reader().Query(ctx, sqlEligibility, experiment, from, to)
	if err != nil {
		return nil, 0, fmt.Errorf("reading decision records of experiment %q: %w", experiment, err)
	}
	defer rows.Close()
	out := []report.EligibilityBlock{}
	for rows.Next() {
		var b report.EligibilityBlock
		if err := rows.Scan(&b.EntryID, &b.BlockID, &b.Exposed, &b.Taken, &b.BySegment, &b.ByContext, &b.ByCampaign); err != nil {
			return nil, 0, fmt.Errorf("reading decision records of experiment %q: %w", experiment, err)
		}
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("reading decision records of experiment %q: %w", experiment, err)
	}
	var scanned int64
	if err := r.reader().QueryRow(ctx, sqlEligibilityScanned, from, to).Scan(&scanned); err != nil {
		return nil, 0, fmt.Errorf("counting decision records: %w", err)
	}
	return out, scanned, nil
}

var _ report.EligibilityStore = (*ReportStore)(nil)

// Campaign reach: distinct people from the per-visitor-id-per-day rows
// (reach over a range is not a sum of daily reach), each visitor id
// resolved to its person (identity_members) when read, so a merge after
// the exposures counts the person once and an unmerge splits them again
// (rows written before migration 000023 hold the person's cluster id,
// which resolves to itself). Exposures come from the daily rollup; per
// variant, device (first seen that day) and channel. Both primary keys
// lead with (campaign, day), and an open bound is ±infinity (not "$2 IS
// NULL OR day >= $2") so a generic plan can use it as an index bound, as
// the experiment reports do.
const (
	sqlCampaignExists = `SELECT count(*) FROM campaigns WHERE key = $1`
	sqlCampaignReach  = `WITH r AS (SELECT u.variant, u.device, u.channel, coalesce(m.cluster_id, u.unit) AS person
			FROM measurement_campaign_units u LEFT JOIN identity_members m ON m.visitor_id = u.unit
			WHERE u.campaign = $1 AND u.day >= coalesce($2::date, '-infinity') AND u.day <= coalesce($3::date, 'infinity'))
		SELECT 'all', '', count(DISTINCT person), 0::bigint FROM r
		UNION ALL SELECT 'variant', variant, count(DISTINCT person), 0 FROM r GROUP BY variant
		UNION ALL SELECT 'device', device, count(DISTINCT person), 0 FROM r GROUP BY device
		UNION ALL SELECT 'channel', channel, count(DISTINCT person), 0 FROM r GROUP BY channel
		UNION ALL SELECT 'variant-x', variant, 0, sum(exposures)::bigint FROM measurement_campaign_daily
			WHERE campaign = $1 AND day >= coalesce($2::date, '-infinity') AND day <= coalesce($3::date, 'infinity') GROUP BY variant
		UNION ALL SELECT 'device-x', device, 0, sum(exposures)::bigint FROM measurement_campaign_daily
			WHERE campaign = $1 AND day >= coalesce($2::date, '-infinity') AND day <= coalesce($3::date, 'infinity') GROUP BY device
		UNION ALL SELECT 'channel-x', channel, 0, sum(exposures)::bigint FROM measurement_campaign_daily
			WHERE campaign = $1 AND day >= coalesce($2::date, '-infinity') AND day <= coalesce($3::date, 'infinity') GROUP BY channel`
)

// CampaignReach implements report.CampaignStore.
func (r *ReportStore) CampaignReach(ctx context.Context, campaign string, rg report.Range) (int64, []report.ReachCell, []report.ReachCell, []report.ReachCell, error) {
	var n int
	if err := r.reader().QueryRow(ctx, sqlCampaignExists, campaign).Scan(&n); err != nil {
		return 0, nil, nil, nil, fmt.Errorf("looking up campaign %q: %w", campaign, err)
	}
	if n == 0 {
		return 0, nil, nil, nil, errs.E(errs.NotFound, "campaign %q not found", campaign)
	}
	rows, err := r.reader().Query(ctx, sqlCampaignReach, campaign, optDay(rg.From), optDay(rg.To))
	if err != nil {
		return 0, nil, nil, nil, fmt.Errorf("reading the reach of campaign %q: %w", campaign, err)
	}
	defer rows.Close()
	var reach int64
	cells := map[string]map[string]*report.ReachCell{"variant": {}, "device": {}, "channel": {}}
	for rows.Next() {
		var kind, key string
		var units, exposures int64
		if err := rows.Scan(&kind, &key, &units, &exposures); err != nil {
			return 0, nil, nil, nil, fmt.Errorf("reading the reach of campaign %q: %w", campaign, err)
		}
		if kind == "all" {
			reach = units
			continue
		}
		dim := strings.TrimSuffix(kind, "-x")
		c := cells[dim][key]
		if c == nil {
			c = &report.ReachCell{Key: key}
			cells[dim][key] = c
		}
		c.Reach += units
		c.Exposures += exposures
	}
	if err := rows.Err(); err != nil {
		return 0, nil, nil, nil, fmt.Errorf("reading the reach of campaign %q: %w", campaign, err)
	}
	sorted := func(m map[string]*report.ReachCell) []report.ReachCell {
		out := make([]report.ReachCell, 0, len(m))
		for _, c := range m {
			out = append(out, *c)
		}
		slices.SortFunc(out, func(a, b report.ReachCell) int { return strings.Compare(a.Key, b.Key) })
		return out
	}
	return reach, sorted(cells["variant"]), sorted(cells["device"]), sorted(cells["channel"]), nil
}

var _ report.CampaignStore = (*ReportStore)(nil)
