package graph

import (
	"time"

	"github.com/mosaichq/mosaic/graph/model"
	"github.com/mosaichq/mosaic/measurement/report"
)

func derefTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

func breakdownIn(dims []model.KpiDimension) (report.Breakdown, error) {
	s := make([]string, len(dims))
	for i, d := range dims {
		s[i] = string(d)
	}
	return report.ParseBreakdown(s)
}

func breakdownOut(b report.Breakdown) []model.KpiDimension {
	out := []model.KpiDimension{}
	for _, d := range b.Dimensions() {
		out = append(out, model.KpiDimension(d))
	}
	return out
}

// contextOut sets the dimensions broken down by; the others stay null.
func contextOut(b report.Breakdown, c report.Context, device, channel, locale **string) {
	if b.Device {
		*device = &c.Device
	}
	if b.Channel {
		*channel = &c.Channel
	}
	if b.Locale {
		*locale = &c.Locale
	}
}

func kpisOut(k report.KpiReport) *model.KpiReport {
	cell := func(t report.KpiTotals, b report.Breakdown) *model.KpiCell {
		c := &model.KpiCell{Visitors: int(t.Visitors), Converters: int(t.Converters), Conversions: int(t.Conversions),
			ConversionRate: report.Ratio(float64(t.Converters), float64(t.Visitors)), Revenue: t.Revenue, Orders: int(t.Orders),
			Aov: report.Ratio(t.Revenue, float64(t.Orders)), RevenuePerVisitor: report.Ratio(t.Revenue, float64(t.Visitors)),
			Ltv: report.Ratio(t.LifetimeRevenue, float64(t.Visitors)), TimeToConversion: &model.TimeToConversion{People: int(t.Converted)}}
		if t.Converted > 0 {
			med, p90 := t.MedianSeconds, t.P90Seconds
			c.TimeToConversion.MedianSeconds, c.TimeToConversion.P90Seconds = &med, &p90
		}
		contextOut(b, t.Context, &c.Device, &c.Channel, &c.Locale)
		return c
	}
	out := &model.KpiReport{From: k.From, To: k.To, Goal: optString(k.Goal), Breakdown: breakdownOut(k.Breakdown),
		Total: cell(k.Total, report.Breakdown{}), Cells: make([]*model.KpiCell, len(k.Cells)), ComputedAt: k.ComputedAt}
	for i, t := range k.Cells {
		out.Cells[i] = cell(t, k.Breakdown)
	}
	return out
}

func funnelOut(f report.FunnelReport) *model.FunnelReport {
	group := func(g report.FunnelGroup, b report.Breakdown) *model.FunnelGroup {
		o := &model.FunnelGroup{People: int(g.People), CrossDevice: int(g.CrossDevice),
			CrossDeviceShare: report.Ratio(float64(g.CrossDevice), float64(g.People)), Steps: make([]*model.FunnelStep, len(g.Steps))}
		contextOut(b, g.Context, &o.Device, &o.Channel, &o.Locale)
		for k, st := range g.Steps {
			s := &model.FunnelStep{Index: k + 1, Event: st.Event, People: int(st.People), CrossDevice: int(st.CrossDevice),
				ConversionRate: report.Ratio(float64(st.People), float64(g.People)), StepRate: 1}
			if k > 0 {
				prev := g.Steps[k-1].People
				s.StepRate = report.Ratio(float64(st.People), float64(prev))
				s.DropOff = int(prev - st.People)
				s.DropOffRate = report.Ratio(float64(prev-st.People), float64(prev))
				if st.People > 0 {
					m := st.MedianSecondsFromPrevious
					s.MedianSecondsFromPrevious = &m
				}
			} else if g.People == 0 {
				s.StepRate = 0
			}
			o.Steps[k] = s
		}
		return o
	}
	out := &model.FunnelReport{Steps: f.Steps, Window: f.Window, From: f.From, To: f.To, Breakdown: breakdownOut(f.Breakdown),
		Total: group(f.Total, report.Breakdown{}), Groups: make([]*model.FunnelGroup, len(f.Groups)), Scanned: int(f.Scanned),
		ComputedAt: f.ComputedAt}
	for i, g := range f.Groups {
		out.Groups[i] = group(g, f.Breakdown)
	}
	return out
}
