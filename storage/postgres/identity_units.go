package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/mosaichq/mosaic/measurement"
)

// The visitor ids of identity clusters, for the rollups' backfill.
const sqlClustersVisitors = `SELECT cluster_id, visitor_id FROM identity_members WHERE cluster_id = ANY($1)`

// identityUnits is measurement.Units over identity clusters: a person's
// phone, laptop and kiosk sessions (once signed in) are one unit, the
// cluster id; a visitor id linked to no one is its own unit. Both methods
// read through the pool, not the writing transaction: links made in the
// same batch's transaction are not seen there, so rollEvents overlays the
// batch's own links; a later link does not move rows already rolled up
// under the visitor id (measurement/doc.go).
type identityUnits struct{ s *MeasurementStore }

// IdentityUnits returns the units of identity clusters, for SetUnits.
func (s *MeasurementStore) IdentityUnits() measurement.Units { return identityUnits{s} }

// UnitsOf implements measurement.Units: ClustersOf.
func (u identityUnits) UnitsOf(ctx context.Context, visitorIDs []string) (map[string]string, error) {
	return u.s.ClustersOf(ctx, visitorIDs)
}

// VisitorsOf implements measurement.Units: a cluster's members, and the
// unit itself (a visitor id that is its own unit, or a member whose id
// was the unit before its link).
func (u identityUnits) VisitorsOf(ctx context.Context, units []string) (map[string][]string, error) {
	out := make(map[string][]string, len(units))
	for _, unit := range units {
		out[unit] = []string{unit}
	}
	rows, err := u.s.pool.Query(ctx, sqlClustersVisitors, units)
	if err != nil {
		return nil, fmt.Errorf("reading the visitors of clusters: %w", err)
	}
	var c, v string
	_, err = pgx.ForEachRow(rows, []any{&c, &v}, func() error {
		if v != c {
			out[c] = append(out[c], v)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading the visitors of clusters: %w", err)
	}
	return out, nil
}
