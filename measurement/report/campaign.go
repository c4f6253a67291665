package report

import (
	"context"
	"time"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/measurement"
)

// ReachCell is reach and exposures of one value of a dimension (a
// variant, a device, a channel): Reach is distinct units (people) over
// the range, Exposures blocks shown.
type ReachCell struct {
	Key              string
	Reach, Exposures int64
}

// CampaignOutcome is what the units a variant reached did afterwards for
// one event within the window from their first exposure to the campaign.
type CampaignOutcome struct {
	Variant string
	// Units first exposed in the range (the denominator).
	Units             int64
	Converters, Count int64
	Revenue           float64
	// RevenueSq is Σ of each unit's revenue squared: the variance of
	// revenue per visitor (CampaignLift).
	RevenueSq float64
}

// CampaignReport is reach per variant, device and channel and, for an
// event, conversions and revenue after reach.
type CampaignReport struct {
	Campaign string
	Range    Range
	// Reach is distinct units (people, not visitor ids) the campaign
	// reached over the range.
	Reach                       int64
	Variants, Devices, Channels []ReachCell
	// Event and Window say what Outcomes count; empty without an event.
	Event    string
	Window   time.Duration
	Outcomes []CampaignOutcome
	// Cost is what the campaign cost, when given (WithCost); CPA and
	// ROAS are nil without it, without an event, or when they divide by
	// zero.
	Cost      *Spend
	CPA, ROAS *float64
	// Lift is the campaign against its holdout (WithHoldout); nil until
	// set.
	Lift       *CampaignLift
	ComputedAt time.Time
}

// Spend is an amount in an ISO 4217 currency: a campaign's cost.
type Spend struct {
	Amount   float64
	Currency string
}

// WithCost sets what the campaign cost and what follows from it over the
// outcomes: the cost per acquisition (cost ÷ people who converted within
// the window, every variant together, the holdout left out: it was shown
// nothing) and the return on ad spend (revenue ÷ cost). Revenue is summed from the events as sent: it is in the cost's
// currency only if the events are, and no rate is applied.
func (c CampaignReport) WithCost(s *Spend) CampaignReport {
	c.Cost, c.CPA, c.ROAS = s, nil, nil
	if s == nil || c.Event == "" {
		return c
	}
	var converters int64
	var revenue float64
	for _, o := range c.Outcomes {
		if o.Variant == HoldoutArm { // shown nothing, paid for nothing
			continue
		}
		converters += o.Converters
		revenue += o.Revenue
	}
	if converters > 0 {
		cpa := s.Amount / float64(converters)
		c.CPA = &cpa
	}
	if s.Amount > 0 {
		roas := revenue / s.Amount
		c.ROAS = &roas
	}
	return c
}

// CampaignStore reads the campaign rollups.
type CampaignStore interface {
	// CampaignReach is NOT_FOUND for an unknown campaign.
	CampaignReach(ctx context.Context, campaign string, r Range) (reach int64, variants, devices, channels []ReachCell, err error)
}

// CampaignReport reads reach from the campaign rollups and, when event is
// given, the outcomes from the metric rollups kept under
// measurement.CampaignSubject (window as for a metric: one of the rollup
// windows, default 72h).
func (s *Service) CampaignReport(ctx context.Context, campaign string, r Range, event, window string) (CampaignReport, error) {
	if !r.From.IsZero() && !r.To.IsZero() && r.To.Before(r.From) {
		return CampaignReport{}, errs.Invalid("invalid range", errs.FieldError{Path: "to", Message: "must not be before from"})
	}
	w, ok := parseWindow(window)
	if !ok {
		return CampaignReport{}, errs.Invalid("invalid window", errs.FieldError{Path: "window",
			Message: "must be one of 24h, 72h, 7d, 30d (the windows the rollups keep); got " + window})
	}
	st, ok := s.Store.(CampaignStore)
	if !ok {
		return CampaignReport{}, errs.E(errs.ServiceUnavailable, "this store keeps no campaign rollups")
	}
	out := CampaignReport{Campaign: campaign, Range: r, ComputedAt: s.now()}
	var err error
	if out.Reach, out.Variants, out.Devices, out.Channels, err = st.CampaignReach(ctx, campaign, r); err != nil {
		return CampaignReport{}, err
	}
	if event == "" {
		return out, nil
	}
	out.Event, out.Window = event, w
	totals, err := s.Store.ArmTotals(ctx, measurement.CampaignSubject(campaign), event, int(w/time.Hour), r)
	if err != nil {
		return CampaignReport{}, err
	}
	for _, t := range totals {
		out.Outcomes = append(out.Outcomes, CampaignOutcome{Variant: t.Arm, Units: t.Units, Converters: t.Converters,
			Count: t.Count, Revenue: t.Sum, RevenueSq: t.SumSq})
	}
	return out, nil
}
