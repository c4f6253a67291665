package graph

import (
	"github.com/mosaichq/mosaic/graph/model"
	"github.com/mosaichq/mosaic/measurement/report"
	"github.com/mosaichq/mosaic/stats"
)

// liftOut maps a campaign's lift against its holdout (report.CampaignLift).
func liftOut(l *report.CampaignLift) *model.CampaignLift {
	if l == nil {
		return nil
	}
	out := &model.CampaignLift{Exposed: groupOut(l.Exposed), HeldOut: groupOut(l.HeldOut),
		ObservedHoldoutShare: l.ObservedShare, ConversionRate: estimateOut(l.Rate),
		RevenuePerVisitor: estimateOut(l.RevenuePerVisitor), Note: optString(l.Note)}
	if l.SRM != nil {
		out.Srm = srmOut(*l.SRM)
	}
	return out
}

func groupOut(g report.LiftGroup) *model.CampaignGroup {
	out := &model.CampaignGroup{Visitors: int(g.Units), Conversions: int(g.Converters), Revenue: g.Revenue}
	if g.Units > 0 {
		rate, rpv := float64(g.Converters)/float64(g.Units), g.Revenue/float64(g.Units)
		out.ConversionRate, out.RevenuePerVisitor = &rate, &rpv
	}
	return out
}

func estimateOut(e *stats.Effect) *model.LiftEstimate {
	if e == nil {
		return nil
	}
	if !e.Defined {
		return &model.LiftEstimate{Reason: optString(string(e.Reason))}
	}
	return &model.LiftEstimate{Lift: &e.Estimate, CiLow: &e.CILow, CiHigh: &e.CIHigh, PValue: &e.PValue, Significant: e.Significant}
}
