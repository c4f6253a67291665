package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/experience"
)

// ChangePersonalization is the change-feed action for a segment or
// experiment write: every replica rebuilds its decision engine.
const ChangePersonalization = "personalization"

const (
	segmentColumns = `key, name, rule, version, created_at, updated_at, updated_by`
	sqlSegments    = `SELECT ` + segmentColumns + ` FROM segments ORDER BY key`
	sqlInsertSeg   = `INSERT INTO segments (key, name, rule, updated_by) VALUES ($1, $2, $3, $4)
		RETURNING ` + segmentColumns
	sqlUpdateSeg = `UPDATE segments SET name = $2, rule = $3, updated_by = $4, version = version + 1, updated_at = now()
		WHERE key = $1 AND version = $5 RETURNING ` + segmentColumns
	sqlSegVersion = `SELECT version FROM segments WHERE key = $1`
	sqlDeleteSeg  = `DELETE FROM segments WHERE key = $1`

	experimentColumns = `key, name, arms, holdout, version, created_at, updated_at, updated_by, status, started_at, stopped_at, winner,
		primary_metric, guardrail_metrics, planned_units, rollout, cap`
	sqlExperiments = `SELECT ` + experimentColumns + ` FROM experiments ORDER BY key`
	sqlInsertExp   = `INSERT INTO experiments (key, name, arms, holdout, updated_by, status, started_at,
			primary_metric, guardrail_metrics, planned_units, cap)
		VALUES ($1, $2, $3, $4, $5, coalesce(nullif($6, ''), 'RUNNING'), CASE WHEN $6 IN ('', 'RUNNING') THEN now() END,
			$7, $8, $9, $10)
		RETURNING ` + experimentColumns
	// The metric keys an experiment names that no metric has (archived
	// metrics count: an archived metric still judges old experiments).
	sqlUnknownMetrics = `SELECT k FROM unnest($1::text[]) k WHERE k <> '' AND NOT EXISTS (SELECT 1 FROM measurement_metrics WHERE key = k)`
	sqlSetRollout     = `UPDATE experiments SET rollout = $2, version = version + 1, updated_at = now() WHERE key = $1
		RETURNING ` + experimentColumns
	// A status move: the instant of the new status and the winner (when
	// stopping) in the same row version, only from an allowed status.
	sqlMoveExp = `UPDATE experiments SET status = $3, updated_by = $4, version = version + 1, updated_at = now(),
			started_at = CASE WHEN $3 = 'RUNNING' THEN now() ELSE started_at END,
			stopped_at = CASE WHEN $3 = 'STOPPED' THEN now() ELSE stopped_at END,
			winner = CASE WHEN $3 = 'STOPPED' THEN $5 ELSE winner END
		WHERE key = $1 AND status = ANY($2) RETURNING ` + experimentColumns
	sqlExpStatus = `SELECT status FROM experiments WHERE key = $1`
	sqlUpdateExp = `UPDATE experiments SET name = $2, arms = $3, holdout = $4, updated_by = $5,
			primary_metric = $7, guardrail_metrics = $8, planned_units = $9, cap = $10,
			version = version + 1, updated_at = now()
		WHERE key = $1 AND version = $6 RETURNING ` + experimentColumns
	sqlExpVersion = `SELECT version FROM experiments WHERE key = $1`
	sqlDeleteExp  = `DELETE FROM experiments WHERE key = $1`

	// Recorded as a content change too: what a page delivers depends on
	// these definitions, so the content epoch (ETags) must move with them.
	sqlPersonalizationChanged = `WITH c AS (INSERT INTO content_changes (type_key, action) VALUES ($1, '` + ChangePersonalization + `') RETURNING epoch)
		SELECT pg_notify('` + ChangesChannel + `', json_build_object('epoch', epoch, 'action', '` + ChangePersonalization + `', 'type', $1::text)::text) FROM c`
)

// ExperienceStore implements experience.Store.
type ExperienceStore struct{ s *Store }

// Experience returns the store of segments and experiments.
func (s *Store) Experience() *ExperienceStore { return &ExperienceStore{s: s} }

func scanSegment(row pgx.Row) (experience.Segment, error) {
	var sg experience.Segment
	err := row.Scan(&sg.Key, &sg.Name, &sg.Rule, &sg.Version, &sg.CreatedAt, &sg.UpdatedAt, &sg.UpdatedBy)
	return sg, err
}

func scanExperiment(row pgx.Row) (experience.Experiment, error) {
	var x experience.Experiment
	var arms, rollout []byte
	var status string
	err := row.Scan(&x.Key, &x.Name, &arms, &x.Holdout, &x.Version, &x.CreatedAt, &x.UpdatedAt, &x.UpdatedBy,
		&status, &x.StartedAt, &x.StoppedAt, &x.Winner, &x.PrimaryMetric, &x.GuardrailMetrics, &x.PlannedSampleSize, &rollout, &x.Cap)
	x.Status = experience.Status(status)
	if err != nil {
		return x, err
	}
	if err := json.Unmarshal(arms, &x.Arms); err != nil {
		return x, fmt.Errorf("decoding arms of experiment %s: %w", x.Key, err)
	}
	if err := json.Unmarshal(rollout, &x.Rollout); err != nil {
		return x, fmt.Errorf("decoding the rollout of experiment %s: %w", x.Key, err)
	}
	return x, nil
}

// announce records the change and NOTIFYs in the write's transaction, so
// replicas hear of exactly the writes that committed.
func announce(ctx context.Context, tx pgx.Tx, what string) error {
	if _, err := tx.Exec(ctx, sqlPersonalizationChanged, what); err != nil {
		return fmt.Errorf("recording a %s change: %w", what, err)
	}
	return nil
}

// Segments implements experience.Store.
func (e *ExperienceStore) Segments(ctx context.Context) ([]experience.Segment, error) {
	rows, err := e.s.pool.Query(ctx, sqlSegments)
	if err != nil {
		return nil, fmt.Errorf("listing segments: %w", err)
	}
	defer rows.Close()
	var out []experience.Segment
	for rows.Next() {
		sg, err := scanSegment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, sg)
	}
	return out, rows.Err()
}

// CreateSegment implements experience.Store.
func (e *ExperienceStore) CreateSegment(ctx context.Context, sg experience.Segment) (experience.Segment, error) {
	var out experience.Segment
	err := e.s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		if out, err = scanSegment(tx.QueryRow(ctx, sqlInsertSeg, sg.Key, sg.Name, sg.Rule, sg.UpdatedBy)); err != nil {
			return mapError(err, fmt.Sprintf("segment %q", sg.Key))
		}
		return announce(ctx, tx, "segment")
	})
	return out, err
}

// UpdateSegment implements experience.Store.
func (e *ExperienceStore) UpdateSegment(ctx context.Context, sg experience.Segment, expectedVersion int) (experience.Segment, error) {
	var out experience.Segment
	err := e.s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = scanSegment(tx.QueryRow(ctx, sqlUpdateSeg, sg.Key, sg.Name, sg.Rule, sg.UpdatedBy, expectedVersion))
		if err != nil {
			return staleOrMissing(ctx, tx, err, sqlSegVersion, "segment", sg.Key, expectedVersion)
		}
		return announce(ctx, tx, "segment")
	})
	return out, err
}

// DeleteSegment implements experience.Store.
func (e *ExperienceStore) DeleteSegment(ctx context.Context, key, _ string) error {
	return e.s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, sqlDeleteSeg, key)
		if err != nil {
			return mapError(err, fmt.Sprintf("segment %q", key))
		}
		if tag.RowsAffected() == 0 {
			return errs.E(errs.NotFound, "segment %q not found", key)
		}
		return announce(ctx, tx, "segment")
	})
}

// Experiments implements experience.Store.
func (e *ExperienceStore) Experiments(ctx context.Context) ([]experience.Experiment, error) {
	rows, err := e.s.pool.Query(ctx, sqlExperiments)
	if err != nil {
		return nil, fmt.Errorf("listing experiments: %w", err)
	}
	defer rows.Close()
	var out []experience.Experiment
	for rows.Next() {
		x, err := scanExperiment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// CreateExperiment implements experience.Store.
func (e *ExperienceStore) CreateExperiment(ctx context.Context, x experience.Experiment) (experience.Experiment, error) {
	var out experience.Experiment
	err := e.s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		if err := checkMetrics(ctx, tx, x); err != nil {
			return err
		}
		out, err = scanExperiment(tx.QueryRow(ctx, sqlInsertExp, x.Key, x.Name, armsJSON(x), x.Holdout, x.UpdatedBy, string(x.Status),
			x.PrimaryMetric, nonNil(x.GuardrailMetrics), x.PlannedSampleSize, x.Cap))
		if err != nil {
			return mapError(err, fmt.Sprintf("experiment %q", x.Key))
		}
		return announce(ctx, tx, "experiment")
	})
	return out, err
}

// UpdateExperiment implements experience.Store.
func (e *ExperienceStore) UpdateExperiment(ctx context.Context, x experience.Experiment, expectedVersion int) (experience.Experiment, error) {
	var out experience.Experiment
	err := e.s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		if err := checkMetrics(ctx, tx, x); err != nil {
			return err
		}
		out, err = scanExperiment(tx.QueryRow(ctx, sqlUpdateExp, x.Key, x.Name, armsJSON(x), x.Holdout, x.UpdatedBy, expectedVersion,
			x.PrimaryMetric, nonNil(x.GuardrailMetrics), x.PlannedSampleSize, x.Cap))
		if err != nil {
			return staleOrMissing(ctx, tx, err, sqlExpVersion, "experiment", x.Key, expectedVersion)
		}
		return announce(ctx, tx, "experiment")
	})
	return out, err
}

// DeleteExperiment implements experience.Store.
func (e *ExperienceStore) DeleteExperiment(ctx context.Context, key, _ string) error {
	return e.s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, sqlDeleteExp, key)
		if err != nil {
			return mapError(err, fmt.Sprintf("experiment %q", key))
		}
		if tag.RowsAffected() == 0 {
			return errs.E(errs.NotFound, "experiment %q not found", key)
		}
		return announce(ctx, tx, "experiment")
	})
}

// MoveExperiment implements experience.Store.
func (e *ExperienceStore) MoveExperiment(ctx context.Context, key string, from []experience.Status, to experience.Status,
	winner, actor string) (experience.Experiment, error) {
	var out experience.Experiment
	err := e.s.tx(ctx, func(tx pgx.Tx) error {
		froms := make([]string, len(from))
		for i, f := range from {
			froms[i] = string(f)
		}
		var err error
		out, err = scanExperiment(tx.QueryRow(ctx, sqlMoveExp, key, froms, string(to), actor, winner))
		if err == pgx.ErrNoRows {
			var cur string
			if err := tx.QueryRow(ctx, sqlExpStatus, key).Scan(&cur); err != nil {
				return mapError(err, fmt.Sprintf("experiment %q", key))
			}
			return errs.E(errs.Conflict, "experiment %q is %s: it cannot move to %s (only %v can)", key, cur, to, froms)
		}
		if err != nil {
			return mapError(err, fmt.Sprintf("experiment %q", key))
		}
		return announce(ctx, tx, "experiment")
	})
	return out, err
}

// checkMetrics refuses metric keys no metric has, in the write's
// transaction (metrics are archived, never deleted, so a key that exists
// now keeps existing).
func checkMetrics(ctx context.Context, tx pgx.Tx, x experience.Experiment) error {
	keys := append([]string{x.PrimaryMetric}, x.GuardrailMetrics...)
	rows, err := tx.Query(ctx, sqlUnknownMetrics, keys)
	if err != nil {
		return fmt.Errorf("checking the metrics of experiment %q: %w", x.Key, err)
	}
	unknown, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("checking the metrics of experiment %q: %w", x.Key, err)
	}
	var fields []errs.FieldError
	for _, k := range unknown {
		path := "guardrailMetrics"
		if k == x.PrimaryMetric {
			path = "primaryMetric"
		}
		fields = append(fields, errs.FieldError{Path: path, Message: fmt.Sprintf("no metric %q: define it with createMetric first", k)})
	}
	if len(fields) > 0 {
		return errs.Invalid("invalid experiment: "+fields[0].Path+": "+fields[0].Message, fields...)
	}
	return nil
}

// SetRollout implements experience.Store.
func (e *ExperienceStore) SetRollout(ctx context.Context, key string, rollout []experience.RolloutEntry) (experience.Experiment, error) {
	if rollout == nil {
		rollout = []experience.RolloutEntry{}
	}
	b, err := json.Marshal(rollout)
	if err != nil {
		return experience.Experiment{}, err
	}
	var out experience.Experiment
	err = e.s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		if out, err = scanExperiment(tx.QueryRow(ctx, sqlSetRollout, key, b)); err != nil {
			return mapError(err, fmt.Sprintf("experiment %q", key))
		}
		return announce(ctx, tx, "experiment")
	})
	return out, err
}

// armsJSON stores arms with their json tags ({"key", "weight"}); never
// nil, the column is NOT NULL.
func armsJSON(x experience.Experiment) []byte {
	arms := x.Arms
	if arms == nil {
		return []byte("[]")
	}
	b, _ := json.Marshal(arms) // strings and finite floats: cannot fail
	return b
}

// staleOrMissing explains why a versioned UPDATE matched no row: the row is
// gone (NOT_FOUND) or moved on (CONFLICT).
func staleOrMissing(ctx context.Context, tx pgx.Tx, err error, versionSQL, what, key string, expected int) error {
	if err != pgx.ErrNoRows {
		return mapError(err, fmt.Sprintf("%s %q", what, key))
	}
	var cur int
	if err := tx.QueryRow(ctx, versionSQL, key).Scan(&cur); err != nil {
		return mapError(err, fmt.Sprintf("%s %q", what, key))
	}
	return errs.E(errs.Conflict, "%s %q is at version %d, not %d: reload and reapply your change", what, key, cur, expected)
}

// sqlVariantEntries finds the live entry locales with a variant naming an
// experiment anywhere in their blocks (nested too) or among their own
// variants; a full scan of published rows, run once per rollout.
const sqlVariantEntries = `SELECT entry_id::text, locale FROM published_entries
	WHERE jsonb_path_exists(fields, '$.** ? (@.experiment == $x)', jsonb_build_object('x', $1::text))
		OR jsonb_path_exists(variants, '$[*] ? (@.experiment == $x)', jsonb_build_object('x', $1::text))
	ORDER BY entry_id, locale`

// VariantEntries implements experience.Store.
func (e *ExperienceStore) VariantEntries(ctx context.Context, experiment string) ([]experience.Target, error) {
	rows, err := e.s.pool.Query(ctx, sqlVariantEntries, experiment)
	if err != nil {
		return nil, fmt.Errorf("finding the variants of experiment %q: %w", experiment, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (experience.Target, error) {
		var t experience.Target
		err := r.Scan(&t.EntryID, &t.Locale)
		return t, err
	})
}

var _ experience.Store = (*ExperienceStore)(nil)
