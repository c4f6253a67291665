package stats

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// SRM is the sample-ratio-mismatch check: did the arms receive the traffic
// shares they were configured with?
type SRM struct {
	// ChiSquare and DF are Pearson's goodness-of-fit statistic over the arms
	// with a positive weight; PValue is its upper tail (1 when there is
	// nothing to test).
	ChiSquare float64
	DF        int
	PValue    float64
	// Warning is raised when PValue < the threshold (0.001 by default) and
	// every weighted arm has at least MinSRMUnits units.
	Warning bool
	// TooFewUnits is true when some weighted arm has fewer than MinSRMUnits
	// units: the p-value is still reported, but no warning is raised.
	TooFewUnits bool
	// ExpectedShare and ObservedShare are per arm, in Input order.
	ExpectedShare []float64
	ObservedShare []float64
}

// SRMPValue is GrowthBook's checkSrm (packages/back-end/src/util/stats.ts,
// mirrored by gbstats' check_srm): arms with weight ≤ 0 are skipped; fewer
// than two arms left or no units at all give 1; otherwise the chi-square
// upper tail with (arms − 1) degrees of freedom.
func SRMPValue(units []int64, weights []float64) (chiSquare float64, df int, p float64) {
	var totalUnits, totalWeight float64
	k := 0
	for i, w := range weights {
		if !(w > 0) || i >= len(units) {
			continue
		}
		k++
		totalUnits += float64(units[i])
		totalWeight += w
	}
	if k < 2 || totalUnits == 0 {
		return 0, 0, 1
	}
	for i, w := range weights {
		if !(w > 0) || i >= len(units) {
			continue
		}
		e := w / totalWeight * totalUnits
		d := float64(units[i]) - e
		chiSquare += d * d / e
	}
	df = k - 1
	p = distuv.ChiSquared{K: float64(df)}.Survival(chiSquare)
	if !finite(p) {
		p = 0
	}
	return chiSquare, df, math.Min(p, 1)
}

func checkSRM(arms []Arm, threshold float64) SRM {
	units := make([]int64, len(arms))
	weights := make([]float64, len(arms))
	var totalUnits, totalWeight float64
	for i, a := range arms {
		units[i], weights[i] = a.Metric.Units, a.Weight
		totalUnits += float64(a.Metric.Units)
		totalWeight += a.Weight
	}
	s := SRM{ExpectedShare: make([]float64, len(arms)), ObservedShare: make([]float64, len(arms))}
	s.ChiSquare, s.DF, s.PValue = SRMPValue(units, weights)
	for i, a := range arms {
		s.ExpectedShare[i] = a.Weight / totalWeight
		if totalUnits > 0 {
			s.ObservedShare[i] = float64(a.Metric.Units) / totalUnits
		}
		if a.Weight > 0 && a.Metric.Units < MinSRMUnits {
			s.TooFewUnits = true
		}
	}
	s.Warning = !s.TooFewUnits && s.PValue < threshold
	return s
}
