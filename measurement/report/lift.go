package report

import (
	"errors"
	"fmt"
	"math"

	"github.com/mosaichq/mosaic/stats"
)

// HoldoutArm is the arm held-out people count in under the campaign's
// rollups (measurement.CohortHoldout).
const HoldoutArm = "holdout"

// MinLiftUnits is the fewest people each group (exposed, held out) needs
// before the lift is worth reading: below it the report still computes
// the numbers but says the holdout is too small. Thirty is the usual
// floor for a normal approximation of a mean; a rare conversion needs far
// more, which the interval's width then shows.
const MinLiftUnits = 30

// CampaignLift is a campaign against its holdout: the people it was shown
// to (every variant) and the people held out of it, their conversion rate
// and revenue per visitor for the report's event, and the relative lift
// of each with its interval and p-value (stats.Analyze, the held-out
// group as the control).
type CampaignLift struct {
	// Share is the holdout configured now (Campaign.Holdout).
	Share float64
	// Exposed and HeldOut are the two groups' sums.
	Exposed, HeldOut LiftGroup
	// ObservedShare is HeldOut's share of the people in either group;
	// nil with nobody in either.
	ObservedShare *float64
	// Rate and RevenuePerVisitor are the exposed group against the
	// held-out one; nil when nothing can be compared (Note says why).
	Rate, RevenuePerVisitor *stats.Effect
	// SRM checks the split against Share (when it is set).
	SRM *stats.SRM
	// Note says in plain words when the lift cannot be measured or should
	// not be trusted yet; "" when there is nothing to say.
	Note string
}

// LiftGroup is one group's sums: people first exposed (or held out) in
// the range, those who sent the event within the window, Σ and Σ² of
// their per-person revenue.
type LiftGroup struct {
	Units, Converters  int64
	Revenue, RevenueSq float64
}

// WithHoldout sets the lift of the report against the campaign's holdout
// share (0: none). It reads only the outcomes already summed from the
// rollups: the "holdout" outcome is the control, every other variant the
// exposed group.
func (c CampaignReport) WithHoldout(share float64) CampaignReport {
	l := &CampaignLift{Share: share}
	c.Lift = l
	for _, o := range c.Outcomes {
		g := &l.Exposed
		if o.Variant == HoldoutArm {
			g = &l.HeldOut
		}
		g.Units += o.Units
		g.Converters += o.Converters
		g.Revenue += o.Revenue
		g.RevenueSq += o.RevenueSq
	}
	if all := l.Exposed.Units + l.HeldOut.Units; all > 0 {
		s := float64(l.HeldOut.Units) / float64(all)
		l.ObservedShare = &s
	}
	switch {
	case share == 0 && l.HeldOut.Units == 0:
		l.Note = "no holdout: lift cannot be measured (set a holdout share on the campaign)"
		return c
	case c.Event == "":
		l.Note = "no event: name the conversion event to measure lift against the holdout"
		return c
	case l.HeldOut.Units == 0:
		l.Note = "no one held out yet: lift cannot be measured"
		return c
	case l.Exposed.Units == 0:
		l.Note = "no one shown the campaign yet: lift cannot be measured"
		return c
	}
	arms := func(kind stats.Kind) []stats.Arm {
		ctl, trt := stats.Summary{Units: l.HeldOut.Units, Sum: float64(l.HeldOut.Converters)},
			stats.Summary{Units: l.Exposed.Units, Sum: float64(l.Exposed.Converters)}
		if kind == stats.Mean {
			ctl = stats.Summary{Units: l.HeldOut.Units, Sum: l.HeldOut.Revenue, SumSquares: l.HeldOut.RevenueSq}
			trt = stats.Summary{Units: l.Exposed.Units, Sum: l.Exposed.Revenue, SumSquares: l.Exposed.RevenueSq}
		}
		return []stats.Arm{{Key: HoldoutArm, Weight: share, Metric: ctl}, {Key: "exposed", Weight: 1 - share, Metric: trt}}
	}
	rate, err := stats.Analyze(stats.Input{Config: stats.Config{Kind: stats.Proportion}, Arms: arms(stats.Proportion)})
	if err != nil {
		l.Note = liftError(err)
		return c
	}
	l.Rate = &rate.Arms[1].Versus.Relative
	if share > 0 {
		l.SRM = &rate.SRM
	}
	if rpv, err := stats.Analyze(stats.Input{Config: stats.Config{Kind: stats.Mean}, Arms: arms(stats.Mean)}); err == nil {
		l.RevenuePerVisitor = &rpv.Arms[1].Versus.Relative
	}
	l.Note = liftNote(l)
	return c
}

// liftNote is what to say about a computed lift, most serious first.
func liftNote(l *CampaignLift) string {
	switch {
	case l.SRM != nil && l.SRM.Warning:
		return fmt.Sprintf("the holdout got %s of people instead of %s: the lift is not trustworthy until the cause is found",
			pct(*l.ObservedShare), pct(l.Share))
	case l.HeldOut.Units < MinLiftUnits || l.Exposed.Units < MinLiftUnits:
		return fmt.Sprintf("holdout too small: %d held out and %d shown; at least %d in each are needed for a lift worth reading",
			l.HeldOut.Units, l.Exposed.Units, MinLiftUnits)
	case !l.Rate.Defined:
		return "conversion rate lift cannot be computed: " + string(l.Rate.Reason)
	case l.Share == 0:
		return "the campaign has no holdout now: the lift compares the people held out before it was removed"
	}
	return ""
}

func liftError(err error) string {
	if errors.Is(err, stats.ErrInvalidInput) {
		return "lift cannot be computed from these sums: " + err.Error()
	}
	return "lift cannot be computed: " + err.Error()
}

func pct(share float64) string {
	return fmt.Sprintf("%v %%", math.Round(share*1000)/10)
}
