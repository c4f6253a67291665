package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// ForgetUnits runs forgetUnits in a transaction of its own (tests).
func (s *MeasurementStore) ForgetUnits(ctx context.Context, units []string) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error { return forgetUnits(ctx, tx, units) })
}

// UnitWindowHours are the windows measurement_unit_values has columns for.
var UnitWindowHours = unitWindowHours[:]
