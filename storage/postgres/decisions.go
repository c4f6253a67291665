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
)

// decisionColumns are measurement_decisions' columns in COPY order.
var decisionColumns = []string{"id", "day", "time", "visitor_id", "user_id", "channel", "device", "locale", "consent",
	"entry_id", "entry_slug", "entry_version", "blocks", "experiments", "purposes"}

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
		func(tx pgx.Tx) (int, error) { return s.moveDecisions(ctx, tx, ds) })
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
		nullText(d.Locale), d.Consent, d.EntryID, d.EntrySlug, d.EntryVersion, string(b), experiments, purposeTexts(d.Purposes)}, nil
}

// purposeTexts is purposes as text[] (nil: NULL, a record written before
// purposes were recorded).
func purposeTexts(ps []measurement.Purpose) []string {
	if ps == nil {
		return nil
	}
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = string(p)
	}
	return out
}
