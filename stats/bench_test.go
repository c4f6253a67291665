package stats

import (
	"fmt"
	"testing"
)

// benchInput is a realistic experiment: arms of ~20,000 visitors with a
// revenue metric, optionally with its pre-period for CUPED.
func benchInput(arms int, cuped, sequential bool) Input {
	in := Input{Config: Config{Kind: Mean, CUPED: cuped, Sequential: sequential}, MultipleExposures: 40}
	for i := range arms {
		n := int64(20000 + 37*i)
		a := Arm{
			Key: fmt.Sprintf("arm%d", i), Weight: 1,
			Metric: Summary{Units: n, Sum: 0.2 * float64(n) * (40 + float64(i)), SumSquares: 0.2 * float64(n) * 3300},
		}
		if cuped {
			a.Pre = &Covariate{Sum: 0.19 * float64(n) * 38, SumSquares: 0.19 * float64(n) * 3000, SumProducts: 0.1 * float64(n) * 2000}
		}
		in.Arms = append(in.Arms, a)
	}
	return in
}

// BenchmarkAnalyze is one full analysis of one metric: every arm's numbers,
// each variant's Welch tests (absolute and relative), its Bayesian
// posterior, and the SRM check. ns/op divided by the arms gives ns per arm.
func BenchmarkAnalyze(b *testing.B) {
	for _, bc := range []struct {
		arms              int
		cuped, sequential bool
	}{{2, false, false}, {4, false, false}, {2, true, false}, {2, false, true}, {4, true, true}} {
		name := fmt.Sprintf("arms=%d/cuped=%v/sequential=%v", bc.arms, bc.cuped, bc.sequential)
		in := benchInput(bc.arms, bc.cuped, bc.sequential)
		if _, err := Analyze(in); err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Analyze(in); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(bc.arms), "ns/arm")
		})
	}
}
