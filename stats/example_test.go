package stats_test

import (
	"fmt"

	"github.com/mosaichq/mosaic/stats"
)

// A conversion test: 10,000 visitors per arm, 10.0 % against 11.0 %.
func ExampleAnalyze() {
	res, err := stats.Analyze(stats.Input{
		Config: stats.Config{Kind: stats.Proportion}, // α 0.05, prior N(0, 0.3²)
		Arms: []stats.Arm{
			{Key: "control", Weight: 50, Metric: stats.Summary{Units: 10000, Sum: 1000}},
			{Key: "new-hero", Weight: 50, Metric: stats.Summary{Units: 10000, Sum: 1100}},
		},
		MultipleExposures: 12,
	})
	if err != nil {
		panic(err)
	}
	v := res.Arms[1].Versus
	fmt.Printf("rates: %.1f %% vs %.1f %%\n", 100*res.Arms[0].Mean, 100*res.Arms[1].Mean)
	fmt.Printf("lift: %+.1f %% (95 %% CI %+.1f %% to %+.1f %%), p = %.3f, significant: %v\n",
		100*v.Relative.Estimate, 100*v.Relative.CILow, 100*v.Relative.CIHigh, v.Relative.PValue, v.Relative.Significant)
	fmt.Printf("chance to win: %.1f %%, expected loss if shipped: %.3f %%\n",
		100*v.Bayesian.ChanceToWin, 100*v.Bayesian.ExpectedLoss)
	fmt.Printf("SRM warning: %v (p = %.2f); multiple exposures: %d\n", res.SRM.Warning, res.SRM.PValue, res.MultipleExposures)
	// Output:
	// rates: 10.0 % vs 11.0 %
	// lift: +10.0 % (95 % CI +1.1 % to +18.9 %), p = 0.028, significant: true
	// chance to win: 98.5 %, expected loss if shipped: 0.024 %
	// SRM warning: false (p = 1.00); multiple exposures: 12
}

// A zero control rate: the relative lift is undefined, and says so.
func ExampleAnalyze_zeroControl() {
	res, _ := stats.Analyze(stats.Input{
		Config: stats.Config{Kind: stats.Proportion},
		Arms: []stats.Arm{
			{Key: "control", Weight: 1, Metric: stats.Summary{Units: 500, Sum: 0}},
			{Key: "variant", Weight: 1, Metric: stats.Summary{Units: 500, Sum: 4}},
		},
	})
	v := res.Arms[1].Versus
	fmt.Println(v.Relative.Defined, v.Relative.Reason)
	fmt.Printf("difference: %+.2f points, defined: %v\n", 100*v.Absolute.Estimate, v.Absolute.Defined)
	// Output:
	// false the control's rate or mean is zero: a relative lift is undefined
	// difference: +0.80 points, defined: true
}

// α outside (0, 1) is refused.
func ExampleAnalyze_invalidAlpha() {
	_, err := stats.Analyze(stats.Input{
		Config: stats.Config{Kind: stats.Proportion, Alpha: 1.2},
		Arms:   []stats.Arm{{Key: "a", Weight: 1}, {Key: "b", Weight: 1}},
	})
	fmt.Println(err)
	// Output:
	// alpha: must be between 0 and 1 (exclusive), got 1.2
}
