package graph

import (
	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/graph/model"
	"github.com/mosaichq/mosaic/measurement/capcount"
	"github.com/mosaichq/mosaic/personalization"
)

func capIn(in *model.CapInput) *personalization.Cap {
	if in == nil {
		return nil
	}
	return &personalization.Cap{Max: in.Max, Per: in.Per, TimeZone: deref(in.TimeZone), PerChannel: derefBool(in.PerChannel)}
}

func capOut(c *personalization.Cap) *model.Cap {
	if c == nil {
		return nil
	}
	return &model.Cap{Max: c.Max, Per: c.Per, TimeZone: optString(c.TimeZone), PerChannel: c.PerChannel}
}

func (r *Resolver) capReports() (*capcount.Reports, error) {
	if r.CapReports == nil {
		return nil, errs.E(errs.ServiceUnavailable, "measurement is not configured on this server")
	}
	return r.CapReports, nil
}

func suppressionOut(s capcount.Suppression) *model.CapSuppression {
	return &model.CapSuppression{EntrySlug: s.EntrySlug, BlockID: s.BlockID, Variant: s.Variant,
		Campaign: optString(s.Campaign), Experiment: optString(s.Experiment), Scope: s.Scope,
		Suppressed: s.Suppressed, Pending: s.Pending, People: s.People}
}
