package postgres

import (
	"context"
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
	rows, days := decisionRows(ds)
	if err := s.ensurePartitions(ctx, "measurement_decisions", s.decisionDays, days); err != nil {
		return 0, err
	}
	return s.copyStaged(ctx, "decisions", sqlStageDecisions, "measurement_decisions_in", decisionColumns, rows,
		func(tx pgx.Tx) (int, error) { return s.moveDecisions(ctx, tx, ds) })
}

// decisionRows are ds as COPY rows, and the days they fall on.
func decisionRows(ds []measurement.Decision) ([][]any, map[time.Time]bool) {
	days := map[time.Time]bool{}
	rows := make([][]any, len(ds))
	// One buffer holds every record's blocks as JSON (pgx writes a
	// []byte into jsonb as it is): no allocation per record for them.
	var blocks []byte
	ends := make([]int, len(ds))
	for i, d := range ds {
		blocks = measurement.AppendBlocksJSON(blocks, d.Blocks)
		if i == 0 {
			// A batch's records are alike: sized for all of them from
			// the first, the buffer is not grown (and copied) ~log2(n)
			// times.
			blocks = slices.Grow(blocks, len(blocks)*(len(ds)-1)*9/8)
		}
		ends[i] = len(blocks)
	}
	for i, d := range ds {
		days[d.Day()] = true
		start := 0
		if i > 0 {
			start = ends[i-1]
		}
		rows[i] = decisionRow(d, blocks[start:ends[i]:ends[i]])
	}
	return rows, days
}

// decisionRow is d in decisionColumns' order, its blocks already JSON
// (measurement.AppendBlocksJSON); absent fields are NULL.
func decisionRow(d measurement.Decision, blocks []byte) []any {
	experiments := []string{}
	for _, bl := range d.Blocks {
		if bl.Experiment != "" && !slices.Contains(experiments, bl.Experiment) {
			experiments = append(experiments, bl.Experiment)
		}
	}
	return []any{d.ID, d.Day(), d.Time, d.VisitorID, nullText(d.UserID), nullText(d.Channel), nullText(d.Device),
		nullText(d.Locale), d.Consent, d.EntryID, d.EntrySlug, d.EntryVersion, blocks, experiments, purposeTexts(d.Purposes)}
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
