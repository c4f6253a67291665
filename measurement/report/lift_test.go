package report_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/measurement/report"
	"github.com/mosaichq/mosaic/stats"
)

// The lift is stats.Analyze of the held-out people (the control) against
// every variant's people together, for the rate and revenue per visitor;
// its SRM is against the holdout share.
func TestCampaignReportWithHoldout(t *testing.T) {
	t.Parallel()
	c := report.CampaignReport{Campaign: "sale", Event: "buy", Window: 72 * time.Hour, Outcomes: []report.CampaignOutcome{
		{Variant: "a", Units: 500, Converters: 60, Revenue: 3000, RevenueSq: 200_000},
		{Variant: "b", Units: 300, Converters: 40, Revenue: 2000, RevenueSq: 150_000},
		{Variant: report.HoldoutArm, Units: 200, Converters: 10, Revenue: 500, RevenueSq: 30_000},
	}}
	got := c.WithHoldout(0.2).Lift
	require.Equal(t, report.LiftGroup{Units: 800, Converters: 100, Revenue: 5000, RevenueSq: 350_000}, got.Exposed)
	require.Equal(t, report.LiftGroup{Units: 200, Converters: 10, Revenue: 500, RevenueSq: 30_000}, got.HeldOut)
	require.InDelta(t, 0.2, *got.ObservedShare, 1e-12)
	want, err := stats.Analyze(stats.Input{Config: stats.Config{Kind: stats.Proportion}, Arms: []stats.Arm{
		{Key: "holdout", Weight: 0.2, Metric: stats.Summary{Units: 200, Sum: 10}},
		{Key: "exposed", Weight: 0.8, Metric: stats.Summary{Units: 800, Sum: 100}}}})
	require.NoError(t, err)
	require.Equal(t, want.Arms[1].Versus.Relative, *got.Rate)
	require.InDelta(t, 1.5, got.Rate.Estimate, 1e-12, "12.5 % against 5 %")
	require.NotNil(t, got.RevenuePerVisitor)
	require.InDelta(t, 1.5, got.RevenuePerVisitor.Estimate, 1e-12, "6.25 per visitor against 2.5")
	require.False(t, got.SRM.Warning)
	require.Empty(t, got.Note)

	// The cost is divided by the people shown the campaign only.
	cpa := *c.WithCost(&report.Spend{Amount: 1000, Currency: "EUR"}).CPA
	require.InDelta(t, 10.0, cpa, 1e-12)
}

func TestCampaignReportHoldoutNotes(t *testing.T) {
	t.Parallel()
	shown := report.CampaignOutcome{Variant: "a", Units: 900, Converters: 90}
	for _, tc := range []struct {
		name     string
		share    float64
		event    string
		outcomes []report.CampaignOutcome
		note     string
		computed bool
	}{
		{"no holdout", 0, "buy", []report.CampaignOutcome{shown}, "no holdout: lift cannot be measured", false},
		{"no event", 0.1, "", nil, "no event", false},
		{"nobody held out yet", 0.1, "buy", []report.CampaignOutcome{shown}, "no one held out yet", false},
		{"too small", 0.1, "buy", []report.CampaignOutcome{{Variant: "a", Units: 100, Converters: 9}, {Variant: "holdout", Units: 12, Converters: 1}},
			"holdout too small: 12 held out and 100 shown", true},
		{"split mismatch", 0.1, "buy", []report.CampaignOutcome{shown, {Variant: "holdout", Units: 300, Converters: 10}},
			"the holdout got 25 % of people instead of 10 %", true},
		{"holdout removed since", 0, "buy", []report.CampaignOutcome{shown, {Variant: "holdout", Units: 100, Converters: 5}},
			"the campaign has no holdout now", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := report.CampaignReport{Campaign: "sale", Event: tc.event, Outcomes: tc.outcomes}
			l := c.WithHoldout(tc.share).Lift
			require.Contains(t, l.Note, tc.note)
			require.Equal(t, tc.computed, l.Rate != nil)
		})
	}
}
