package graph

import (
	"context"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/fleet"
	"github.com/mosaichq/mosaic/graph/model"
)

// screenFleet lists the fleet for an editor of any role; API keys, which
// only read delivery content, may not.
func (r *Resolver) screenFleet(ctx context.Context, state *model.ScreenState, screen *string, first *int) ([]*model.FleetScreen, error) {
	if err := auth.Require(ctx, auth.PermContentRead); err != nil {
		return nil, err
	}
	if r.Fleet == nil {
		return nil, errs.E(errs.ServiceUnavailable, "the screen fleet is not configured on this server")
	}
	n, err := pageSize(first, fleet.DefaultFirst, fleet.MaxFirst)
	if err != nil {
		return nil, err
	}
	f := fleet.Filter{Screen: deref(screen), First: n}
	if state != nil {
		f.State = fleet.State(*state)
	}
	list, err := r.Fleet.List(ctx, f)
	if err != nil {
		return nil, err
	}
	out := make([]*model.FleetScreen, len(list))
	for i, s := range list {
		out[i] = model.NewFleetScreen(s)
	}
	return out, nil
}

// forgetScreen deletes a unit's row (publisher and admin).
func (r *Resolver) forgetScreen(ctx context.Context, screenID string) (bool, error) {
	if err := auth.Require(ctx, auth.PermFleetWrite); err != nil {
		return false, err
	}
	if r.Fleet == nil {
		return false, errs.E(errs.ServiceUnavailable, "the screen fleet is not configured on this server")
	}
	return r.Fleet.Forget(ctx, screenID)
}
