package graph

import (
	"context"
	"slices"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/graph/model"
	"github.com/mosaichq/mosaic/measurement/report"
	"github.com/mosaichq/mosaic/stats"
)

// reports is the metrics and reports service, or SERVICE_UNAVAILABLE.
func (r *Resolver) reports() (*report.Service, error) {
	if r.Reports == nil {
		return nil, errs.E(errs.ServiceUnavailable, "measurement is not configured on this server")
	}
	return r.Reports, nil
}

func metricIn(in model.MetricInput) report.MetricInput {
	out := report.MetricInput{Key: in.Key, Name: in.Name, Kind: string(in.Kind), Event: in.Event, Filter: in.Filter,
		Window: deref(in.ConversionWindow), Guardrail: in.Guardrail != nil && *in.Guardrail}
	if in.Goal != nil {
		out.Goal = string(*in.Goal)
	}
	return out
}

func metricOut(m report.Metric) *model.Metric {
	return &model.Metric{Key: m.Key, Name: m.Name, Kind: model.MetricKind(m.Kind), Event: m.Event,
		ConversionWindow: report.WindowName(m.Window), Goal: model.MetricGoal(m.Goal), Guardrail: m.Guardrail,
		Archived: m.Archived, Version: m.Version, CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt, UpdatedBy: m.UpdatedBy}
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func resultsOut(res report.Results) *model.ExperimentResults {
	a := res.Analysis
	out := &model.ExperimentResults{Experiment: res.Experiment, Metric: metricOut(res.Metric), From: optTime(res.Range.From),
		To: optTime(res.Range.To), Visitors: int(res.Visitors), ComputedAt: res.ComputedAt, Alpha: a.Alpha,
		Sequential: a.Sequential, MultipleExposures: int(a.MultipleExposures), MultipleExposureShare: a.MultipleExposureShare,
		Arms: armsOut(res.Metric.Kind, a, res.Totals), Daily: dailyOut(res.Metric.Kind, res.Daily),
		Srm: srmOut(a.SRM), Breakdowns: []*model.ExperimentResultsBreakdown{}}
	for _, b := range res.Breakdowns {
		mb := &model.ExperimentResultsBreakdown{Dimension: model.ExperimentBreakdown(b.Dimension), Cells: []*model.ExperimentBreakdownCell{}}
		for _, c := range b.Cells {
			mb.Cells = append(mb.Cells, &model.ExperimentBreakdownCell{Value: c.Value, Visitors: int(c.Visitors),
				Arms: armsOut(res.Metric.Kind, c.Analysis, c.Totals), Srm: srmOut(c.Analysis.SRM)})
		}
		out.Breakdowns = append(out.Breakdowns, mb)
	}
	return out
}

func srmOut(s stats.SRM) *model.SampleRatioMismatch {
	return &model.SampleRatioMismatch{PValue: s.PValue, Warning: s.Warning, TooFewUnits: s.TooFewUnits,
		ExpectedShare: floats(s.ExpectedShare), ObservedShare: floats(s.ObservedShare)}
}

// metricTotal is Σ of the metric over units: conversions, revenue or events.
func metricTotal(k report.Kind, t report.ArmTotals) float64 {
	switch k {
	case report.Revenue:
		return t.Sum
	case report.Count:
		return float64(t.Count)
	}
	return float64(t.Converters)
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// dailyOut is the per-day series; days are UTC dates.
func dailyOut(k report.Kind, days []report.Day) []*model.ExperimentDay {
	out := make([]*model.ExperimentDay, len(days))
	for i, d := range days {
		md := &model.ExperimentDay{Day: d.Day.Format(time.DateOnly), Arms: make([]*model.ExperimentDayArm, len(d.Arms))}
		for j, t := range d.Arms {
			c := d.Cumulative[j]
			md.Arms[j] = &model.ExperimentDayArm{Key: t.Arm, Visitors: int(t.Units), Conversions: int(t.Converters),
				Total: metricTotal(k, t), Rate: ratio(metricTotal(k, t), float64(t.Units)),
				CumulativeVisitors: int(c.Units), CumulativeConversions: int(c.Converters),
				CumulativeTotal: metricTotal(k, c), CumulativeRate: ratio(metricTotal(k, c), float64(c.Units))}
		}
		out[i] = md
	}
	return out
}

// armsOut is one analysis per arm; totals are its input sums in the same order.
func armsOut(k report.Kind, a stats.Result, totals []report.ArmTotals) []*model.ExperimentArmResult {
	arms := make([]*model.ExperimentArmResult, len(a.Arms))
	for i, ar := range a.Arms {
		t := totals[i]
		o := &model.ExperimentArmResult{Key: ar.Key, Visitors: int(ar.Units), Conversions: int(t.Converters), Total: metricTotal(k, t), Rate: ar.Mean}
		if c := ar.Versus; c != nil {
			if c.Relative.Defined {
				o.Lift, o.CiLow, o.CiHigh, o.PValue = &c.Relative.Estimate, &c.Relative.CILow, &c.Relative.CIHigh, &c.Relative.PValue
			} else {
				o.Reason = optString(string(c.Relative.Reason))
			}
			if c.Bayesian.Defined {
				o.ChanceToWin, o.ExpectedLoss = &c.Bayesian.ChanceToWin, &c.Bayesian.ExpectedLoss
			} else if o.Reason == nil {
				o.Reason = optString(string(c.Bayesian.Reason))
			}
		}
		arms[i] = o
	}
	return arms
}

func floats(s []float64) []float64 {
	if s == nil {
		return []float64{}
	}
	return s
}

func eligibilityOut(e report.Eligibility) *model.ExperimentEligibility {
	out := &model.ExperimentEligibility{Experiment: e.Experiment, From: e.Range.From, To: e.Range.To, Scanned: int(e.Scanned),
		ComputedAt: e.ComputedAt, Blocks: make([]*model.EligibilityBlock, len(e.Blocks))}
	for i, b := range e.Blocks {
		out.Blocks[i] = &model.EligibilityBlock{EntryID: b.EntryID, BlockID: b.BlockID, Exposed: int(b.Exposed), Taken: int(b.Taken),
			BySegment: int(b.BySegment), ByContext: int(b.ByContext), ByCampaign: int(b.ByCampaign)}
	}
	return out
}

func campaignReportOut(c report.CampaignReport) *model.CampaignReport {
	cells := func(cs []report.ReachCell) []*model.ReachCell {
		out := make([]*model.ReachCell, len(cs))
		for i, c := range cs {
			out[i] = &model.ReachCell{Key: c.Key, Reach: int(c.Reach), Exposures: int(c.Exposures)}
		}
		return out
	}
	out := &model.CampaignReport{Campaign: c.Campaign, From: optTime(c.Range.From), To: optTime(c.Range.To), Reach: int(c.Reach),
		Variants: cells(c.Variants), Devices: cells(c.Devices), Channels: cells(c.Channels), Event: optString(c.Event),
		Outcomes: []*model.CampaignOutcome{}, ComputedAt: c.ComputedAt}
	if c.Event != "" {
		out.Window = optString(report.WindowName(c.Window))
	}
	for _, o := range c.Outcomes {
		out.Outcomes = append(out.Outcomes, &model.CampaignOutcome{Variant: o.Variant, Visitors: int(o.Units),
			Conversions: int(o.Converters), ConversionRate: ratio(float64(o.Converters), float64(o.Units)), Revenue: o.Revenue,
			Aov: ratio(o.Revenue, float64(o.Count)), RevenuePerVisitor: ratio(o.Revenue, float64(o.Units))})
	}
	if c.Cost != nil {
		out.Cost = &model.Money{Amount: c.Cost.Amount, Currency: c.Cost.Currency}
	}
	out.Cpa, out.Roas = c.CPA, c.ROAS
	if c.Lift != nil {
		out.Holdout, out.Lift = c.Lift.Share, liftOut(c.Lift)
	}
	return out
}

// wantsField reports whether the client selected name on the current
// field's object, so work only it needs can be skipped otherwise.
func wantsField(ctx context.Context, name string) bool {
	return slices.Contains(graphql.CollectAllFields(ctx), name)
}
