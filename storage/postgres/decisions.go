package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/mosaichq/mosaic/measurement"
)

const (
	// As events (measurement.go): COPY into a session's staging table,
	// then INSERT … ON CONFLICT DO NOTHING, so a redelivered record is
	// skipped by its (id, day).
	sqlStageDecisions = `CREATE TEMP TABLE IF NOT EXISTS measurement_decisions_in
		(LIKE measurement_decisions INCLUDING DEFAULTS) ON COMMIT DELETE ROWS`
	// RETURNING lists the new records: only they feed the rollups.
	sqlMoveDecisions = `INSERT INTO measurement_decisions SELECT * FROM measurement_decisions_in
		ON CONFLICT (id, day) DO NOTHING RETURNING id`
)

// decisionColumns are measurement_decisions' columns in COPY order.
var decisionColumns = []string{"id", "day", "time", "visitor_id", "user_id", "channel", "device", "locale", "consent",
	"entry_id", "entry_slug", "entry_version", "blocks", "experiments"}

var _ measurement.DecisionStore = (*MeasurementStore)(nil)

// WriteDecisions implements measurement.DecisionStore: the days'
// partitions are made sure of, then the batch is copied and moved in one
// transaction.
func (s *MeasurementStore) WriteDecisions(ctx context.Context, ds []measurement.Decision) (int, error) {
	if len(ds) == 0 {
		return 0, nil
	}
	days := map[time.Time]bool{}
	rows := make([][]any, len(ds))
	for i, d := range ds {
		days[d.Day()] = true
		row, err := decisionRow(d)
		if err != nil {
			return 0, err
		}
		rows[i] = row
	}
	if err := s.ensurePartitions(ctx, "measurement_decisions", s.decisionDays, days); err != nil {
		return 0, err
	}
	return s.copyStaged(ctx, "decisions", sqlStageDecisions, "measurement_decisions_in", decisionColumns, rows,
		func(tx pgx.Tx) (int, error) { return s.moveDecisionsRolled(ctx, tx, ds) })
}

// moveDecisionsRolled moves the staged records and rolls up those it
// moved.
func (s *MeasurementStore) moveDecisionsRolled(ctx context.Context, tx pgx.Tx, ds []measurement.Decision) (int, error) {
	rows, err := tx.Query(ctx, sqlMoveDecisions)
	if err != nil {
		return 0, err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return 0, err
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
	return len(ids), s.rollDecisions(ctx, tx, moved)
}

// decisionRow is d in decisionColumns' order; absent fields are NULL.
func decisionRow(d measurement.Decision) ([]any, error) {
	blocks := d.Blocks
	if blocks == nil {
		blocks = []measurement.BlockDecision{}
	}
	b, err := json.Marshal(blocks)
	if err != nil {
		return nil, fmt.Errorf("encoding decision %s: %w", d.ID, err)
	}
	experiments := []string{}
	for _, bl := range blocks {
		if bl.Experiment != "" && !slices.Contains(experiments, bl.Experiment) {
			experiments = append(experiments, bl.Experiment)
		}
	}
	return []any{d.ID, d.Day(), d.Time, d.VisitorID, nullText(d.UserID), nullText(d.Channel), nullText(d.Device),
		nullText(d.Locale), d.Consent, d.EntryID, d.EntrySlug, d.EntryVersion, string(b), experiments}, nil
}
