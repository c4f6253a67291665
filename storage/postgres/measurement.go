package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/measurement/identity"
)

const (
	// A session's staging table: COPY cannot skip conflicts, so a batch is
	// copied here and moved with INSERT … ON CONFLICT DO NOTHING. Created
	// once per connection (copyStaged remembers it on the connection),
	// emptied by every commit.
	sqlStageEvents = `CREATE TEMP TABLE IF NOT EXISTS measurement_events_in
		(LIKE measurement_events INCLUDING DEFAULTS) ON COMMIT DELETE ROWS`
	// Partitions are created one writer at a time (per schema): two
	// replicas creating the same day at once would otherwise collide in
	// the catalog despite IF NOT EXISTS.
	sqlLockPartitions = `SELECT pg_advisory_xact_lock(hashtext('mosaic.' || $1::text || '.' || current_schema()))`
	// %s are the partition's name, its table and bounds, built from a
	// constant and a time.Time, never from client input.
	sqlCreatePartition = `CREATE TABLE IF NOT EXISTS %s PARTITION OF %s FOR VALUES FROM ('%s') TO ('%s')`
)

// measurementColumns are measurement_events' columns in COPY order.
var measurementColumns = []string{"id", "day", "time", "received_at", "type", "visitor_id", "user_id",
	"decision_id", "block_id", "entry", "goal", "value", "currency", "name", "data"}

// MeasurementStore implements measurement.Store.
type MeasurementStore struct {
	pool *pgxpool.Pool
	// units maps visitor ids to rollups' units (measurement.VisitorUnits
	// unless SetUnits).
	units measurement.Units
	// days whose partition this process knows exists, per table.
	mu   sync.Mutex
	days map[time.Time]bool
	// decisionDays is days for measurement_decisions, funnelDays for
	// measurement_funnel_events.
	decisionDays, funnelDays map[time.Time]bool
	// identityLimits bound how fast an identity cluster grows (identity.go).
	identityLimits identity.Limits
	// metrics counts identify outcomes (nil: not counted).
	metrics *measurement.Metrics
}

// NewMeasurementStore returns the events store on pool.
func NewMeasurementStore(pool *pgxpool.Pool) *MeasurementStore {
	return &MeasurementStore{pool: pool, units: measurement.VisitorUnits{}, days: map[time.Time]bool{}, decisionDays: map[time.Time]bool{},
		funnelDays: map[time.Time]bool{}}
}

// SetUnits makes rollups count units (people) as u says instead of visitor
// ids. Call it before the first write.
func (s *MeasurementStore) SetUnits(u measurement.Units) { s.units = u }

// SetMetrics counts identify outcomes there once their batch commits.
// Call it before the first write.
func (s *MeasurementStore) SetMetrics(m *measurement.Metrics) { s.metrics = m }

var _ measurement.Store = (*MeasurementStore)(nil)

// WriteEvents implements measurement.Store: the days' partitions are made
// sure of, then the batch is copied and moved in one transaction.
func (s *MeasurementStore) WriteEvents(ctx context.Context, events []measurement.Event) (int, error) {
	if len(events) == 0 {
		return 0, nil
	}
	days := map[time.Time]bool{}
	for _, e := range events {
		days[e.Day()] = true
	}
	if err := s.EnsurePartitions(ctx, days); err != nil {
		return 0, err
	}
	rows := make([][]any, len(events))
	for i, e := range events {
		rows[i] = measurementRow(e)
	}
	var outcomes []identity.Outcome
	n, err := s.copyStaged(ctx, "events", sqlStageEvents, "measurement_events_in", measurementColumns, rows,
		func(tx pgx.Tx) (int, error) {
			outcomes = outcomes[:0] // a retried transaction starts over
			return s.moveEvents(ctx, tx, events, &outcomes)
		})
	if err == nil {
		s.countIdentities(outcomes)
	}
	return n, err
}

// copyStaged writes rows in one transaction: into the session's staging
// table (stage creates it), then moved into the partitioned table by move,
// which skips rows already there and maintains identities and the rollups
// in the same transaction. It returns the rows moved.
func (s *MeasurementStore) copyStaged(ctx context.Context, what, stage, staging string, columns []string, rows [][]any,
	move func(pgx.Tx) (int, error)) (int, error) {
	var written int
	err := s.inStaging(ctx, what, stage, staging, func(tx pgx.Tx) error {
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{staging}, columns, pgx.CopyFromRows(rows)); err != nil {
			return fmt.Errorf("copying %d %s: %w", len(rows), what, err)
		}
		n, err := move(tx)
		if err != nil {
			return fmt.Errorf("inserting %d %s: %w", len(rows), what, err)
		}
		written = n
		return nil
	})
	return written, err
}

// inStaging runs fn in one transaction on a connection where the staging
// table (stage creates it) exists.
func (s *MeasurementStore) inStaging(ctx context.Context, what, stage, staging string, fn func(pgx.Tx) error) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	// A temporary table lives as long as its session, and exists once the
	// transaction that created it commits: noted on the connection then.
	data := conn.Conn().PgConn().CustomData()
	created := false
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if data[staging] == nil {
			if _, err := tx.Exec(ctx, stage); err != nil {
				return fmt.Errorf("staging %s: %w", what, err)
			}
			created = true
		}
		return fn(tx)
	})
	if err == nil && created {
		data[staging] = true
	}
	return refused(err)
}

// refused codes a data error (SQLSTATE class 22, data exception, or 23,
// integrity) BAD_USER_INPUT: the events cannot be stored as they are, and
// the log's consumer isolates them instead of retrying forever.
func refused(err error) error {
	var pg *pgconn.PgError
	if errors.As(err, &pg) && (strings.HasPrefix(pg.Code, "22") || strings.HasPrefix(pg.Code, "23")) {
		return errs.Wrap(errs.BadUserInput, err, "the store refuses these events")
	}
	return err
}

// EnsurePartitions creates the partitions of days that this process has
// not seen yet, of measurement_events, its funnels' copy and
// measurement_decisions.
func (s *MeasurementStore) EnsurePartitions(ctx context.Context, days map[time.Time]bool) error {
	if err := s.ensurePartitions(ctx, "measurement_events", s.days, days); err != nil {
		return err
	}
	if err := s.ensurePartitions(ctx, "measurement_funnel_events", s.funnelDays, days); err != nil {
		return err
	}
	return s.ensurePartitions(ctx, "measurement_decisions", s.decisionDays, days)
}

// ensurePartitions creates table's partitions of days not in known (the
// days this process knows exist), and adds them there.
func (s *MeasurementStore) ensurePartitions(ctx context.Context, table string, known, days map[time.Time]bool) error {
	missing := s.unknownDays(known, days)
	if len(missing) == 0 {
		return nil
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, sqlLockPartitions, table); err != nil {
			return err
		}
		for _, d := range missing {
			name := pgx.Identifier{table + "_" + d.Format("20060102")}.Sanitize()
			sql := fmt.Sprintf(sqlCreatePartition, name, table, d.Format(time.DateOnly), d.AddDate(0, 0, 1).Format(time.DateOnly))
			if _, err := tx.Exec(ctx, sql); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("creating %s partitions: %w", table, err)
	}
	s.mu.Lock()
	for _, d := range missing {
		known[d] = true
	}
	s.mu.Unlock()
	return nil
}

// unknownDays are the days of days not in known (days this process made
// sure have partitions).
func (s *MeasurementStore) unknownDays(known, days map[time.Time]bool) []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	var missing []time.Time
	for d := range days {
		if !known[d] {
			missing = append(missing, d)
		}
	}
	return missing
}

// measurementRow is e in measurementColumns' order; absent fields are NULL.
func measurementRow(e measurement.Event) []any {
	var data any
	switch e.Type {
	case measurement.TypeTrack:
		data = rawOrNil(e.Properties)
	case measurement.TypeIdentify:
		data = rawOrNil(e.Traits)
	case measurement.TypeConsent:
		b, _ := json.Marshal(map[string][]measurement.Purpose{"granted": nonNilPurposes(e.Granted), "withdrawn": nonNilPurposes(e.Withdrawn)})
		data = string(b)
	}
	var value any
	if e.Value != nil {
		value = *e.Value
	}
	return []any{e.ID, e.Day(), e.Time, e.ReceivedAt, string(e.Type), e.VisitorID, nullText(e.UserID),
		nullText(e.DecisionID), nullText(e.BlockID), nullText(e.Entry), nullText(e.Goal), value, nullText(e.Currency),
		nullText(e.Name), data}
}

func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func rawOrNil(raw json.RawMessage) any {
	if len(raw) == 0 {
		return nil
	}
	return string(raw)
}

func nonNilPurposes(p []measurement.Purpose) []measurement.Purpose {
	if p == nil {
		return []measurement.Purpose{}
	}
	return p
}
