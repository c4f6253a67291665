package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// sqlPartitionsOf lists a partitioned table's partitions in the current
// schema (the tables measurement writes are per schema, as in tests).
const sqlPartitionsOf = `SELECT c.relname FROM pg_inherits i
	JOIN pg_class c ON c.oid = i.inhrelid
	JOIN pg_class p ON p.oid = i.inhparent
	JOIN pg_namespace n ON n.oid = p.relnamespace
	WHERE p.relname = $1 AND n.nspname = current_schema()`

// measurementTables are the day-partitioned tables retention applies to.
var measurementTables = []string{"measurement_events", "measurement_decisions"}

// DropPartitionsBefore drops, of every measurement table, the day
// partitions that end at or before cutoff: retention is a DROP TABLE per
// day, not a DELETE that scans and bloats. It returns the partitions
// dropped. Partitions whose names carry no day are left alone.
func (s *MeasurementStore) DropPartitionsBefore(ctx context.Context, cutoff time.Time) ([]string, error) {
	var dropped []string
	for _, table := range measurementTables {
		err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			// The lock that creating partitions takes: no writer makes a day
			// while it is being dropped.
			if _, err := tx.Exec(ctx, sqlLockPartitions, table); err != nil {
				return err
			}
			rows, err := tx.Query(ctx, sqlPartitionsOf, table)
			if err != nil {
				return err
			}
			names, err := pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil {
				return err
			}
			for _, name := range names {
				day, err := time.Parse("20060102", strings.TrimPrefix(name, table+"_"))
				if err != nil || day.AddDate(0, 0, 1).After(cutoff) {
					continue
				}
				// The name comes from the catalog and is quoted: never client
				// input.
				if _, err := tx.Exec(ctx, "DROP TABLE IF EXISTS "+pgx.Identifier{name}.Sanitize()); err != nil {
					return err
				}
				dropped = append(dropped, name)
				s.forgetDay(table, day)
			}
			return nil
		})
		if err != nil {
			return dropped, fmt.Errorf("dropping %s partitions before %s: %w", table, cutoff.Format(time.DateOnly), err)
		}
	}
	return dropped, nil
}

// forgetDay makes this process create the day's partition again if an
// event for it still comes (a late one, inside the acceptance window).
func (s *MeasurementStore) forgetDay(table string, day time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch table {
	case "measurement_events":
		delete(s.days, day)
	case "measurement_decisions":
		delete(s.decisionDays, day)
	}
}
