package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/mosaichq/mosaic/measurement"
)

// ForgetUnits runs forgetUnits in a transaction of its own (tests).
func (s *MeasurementStore) ForgetUnits(ctx context.Context, units []string) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error { return forgetUnits(ctx, tx, units) })
}

// UnitWindowHours are the windows measurement_unit_values has columns for.
var UnitWindowHours = unitWindowHours[:]

// RollKpisOn writes the KPI rollup of events in a transaction on conn
// (benchmarks measure the step alone, on a backend whose CPU they read).
func RollKpisOn(ctx context.Context, conn *pgx.Conn, events []measurement.Event) error {
	return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		batch := &pgx.Batch{}
		queueKpis(batch, measurement.KpiOfEvents(events))
		return sendRollups(ctx, tx, batch)
	})
}

// SQLCapRecords is the caps counter's load query, for its plan's test.
const SQLCapRecords = sqlCapRecords
