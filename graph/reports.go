package graph

import (
	"time"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/graph/model"
	"github.com/mosaichq/mosaic/measurement/report"
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
		Srm: &model.SampleRatioMismatch{PValue: a.SRM.PValue, Warning: a.SRM.Warning, TooFewUnits: a.SRM.TooFewUnits,
			ExpectedShare: floats(a.SRM.ExpectedShare), ObservedShare: floats(a.SRM.ObservedShare)},
		Arms: make([]*model.ExperimentArmResult, len(a.Arms))}
	for i, ar := range a.Arms {
		t := res.Totals[i]
		total := float64(t.Converters)
		switch res.Metric.Kind {
		case report.Revenue:
			total = t.Sum
		case report.Count:
			total = float64(t.Count)
		}
		o := &model.ExperimentArmResult{Key: ar.Key, Visitors: int(ar.Units), Conversions: int(t.Converters), Total: total, Rate: ar.Mean}
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
		out.Arms[i] = o
	}
	return out
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
	ratio := func(a, b float64) float64 {
		if b == 0 {
			return 0
		}
		return a / b
	}
	for _, o := range c.Outcomes {
		out.Outcomes = append(out.Outcomes, &model.CampaignOutcome{Variant: o.Variant, Visitors: int(o.Units),
			Conversions: int(o.Converters), ConversionRate: ratio(float64(o.Converters), float64(o.Units)), Revenue: o.Revenue,
			Aov: ratio(o.Revenue, float64(o.Count)), RevenuePerVisitor: ratio(o.Revenue, float64(o.Units))})
	}
	return out
}
