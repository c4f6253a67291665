package stats

import "math"

// sample is one arm's statistic for one period, following GrowthBook's
// ProportionStatistic and SampleMeanStatistic
// (packages/stats/gbstats/models/statistics.py).
type sample struct {
	kind       Kind
	n          float64
	sum, sumSq float64
}

func newSample(kind Kind, s Summary) sample {
	sq := s.SumSquares
	if kind == Proportion {
		sq = s.Sum // x² = x for 0/1 values
	}
	return sample{kind: kind, n: float64(s.Units), sum: s.Sum, sumSq: sq}
}

func (s sample) mean() float64 {
	if s.n == 0 {
		return 0
	}
	return s.sum / s.n
}

// variance is the per-unit variance: p(1−p) for a proportion (GrowthBook
// uses the population form there), the n−1 sample variance for a mean.
func (s sample) variance() float64 {
	if s.kind == Proportion {
		p := s.mean()
		return p * (1 - p)
	}
	if s.n <= 1 {
		return 0
	}
	v := (s.sumSq - s.sum*s.sum/s.n) / (s.n - 1)
	if v < 0 { // rounding in sums of squares of a constant metric
		return 0
	}
	return v
}

func (s sample) plus(o sample) sample {
	return sample{kind: s.kind, n: s.n + o.n, sum: s.sum + o.sum, sumSq: s.sumSq + o.sumSq}
}

// covariance of post and pre values over the same n units, as gbstats'
// compute_covariance: population form for two proportions, n−1 otherwise.
func covariance(n float64, post, pre sample, sumProducts float64) float64 {
	if n <= 1 {
		return 0
	}
	if post.kind == Proportion {
		return sumProducts/n - post.sum*pre.sum/(n*n)
	}
	return (sumProducts - post.sum*pre.sum/n) / (n - 1)
}

// armStat is what a comparison needs from one arm: its mean (CUPED-adjusted
// when theta ≠ 0), the unadjusted mean, and the per-unit variance of the
// (adjusted) value, as gbstats' RegressionAdjustedStatistic.
type armStat struct {
	n        float64
	mean     float64 // post − θ·pre when CUPED applies
	rawMean  float64 // the unadjusted post mean: what the marketer sees
	variance float64
	// CUPED parts, needed by the relative variance.
	post, pre sample
	cov       float64
	theta     float64
}

func plainStat(s sample) armStat {
	m := s.mean()
	return armStat{n: s.n, mean: m, rawMean: m, variance: s.variance(), post: s}
}

// cupedPair builds both arms' adjusted statistics with one θ estimated on the
// pooled pair, as gbstats' compute_theta / create_theta_adjusted_statistics.
// It reports false when θ = 0 (no pre-period variance): then, as GrowthBook,
// the comparison falls back to the unadjusted statistics.
func cupedPair(kind Kind, a, b Arm) (armStat, armStat, bool) {
	postA, postB := newSample(kind, a.Metric), newSample(kind, b.Metric)
	preA := newSample(kind, Summary{Units: a.Metric.Units, Sum: a.Pre.Sum, SumSquares: a.Pre.SumSquares})
	preB := newSample(kind, Summary{Units: b.Metric.Units, Sum: b.Pre.Sum, SumSquares: b.Pre.SumSquares})
	jointPost, jointPre := postA.plus(postB), preA.plus(preB)
	if jointPre.variance() == 0 || jointPost.variance() == 0 {
		return plainStat(postA), plainStat(postB), false
	}
	theta := covariance(jointPost.n, jointPost, jointPre, a.Pre.SumProducts+b.Pre.SumProducts) / jointPre.variance()
	if theta == 0 || !finite(theta) {
		return plainStat(postA), plainStat(postB), false
	}
	adj := func(post, pre sample, sp float64) armStat {
		cov := covariance(post.n, post, pre, sp)
		v := 0.0
		if post.n > 1 {
			v = post.variance() + theta*theta*pre.variance() - 2*theta*cov
		}
		return armStat{
			n: post.n, mean: post.mean() - theta*pre.mean(), rawMean: post.mean(),
			variance: v, post: post, pre: pre, cov: cov, theta: theta,
		}
	}
	return adj(postA, preA, a.Pre.SumProducts), adj(postB, preB, b.Pre.SumProducts), true
}

// moments is an effect's point estimate and standard error before any test.
type moments struct {
	estimate, stdErr float64
	reason           Reason
}

// absoluteMoments: the difference of means and its variance vb/nb + va/na.
func absoluteMoments(a, b armStat) moments {
	if r := pairReason(a, b); r != "" {
		return moments{reason: r}
	}
	v := b.variance/b.n + a.variance/a.n
	if !(v > 0) {
		return moments{reason: ReasonZeroVariance}
	}
	return moments{estimate: b.mean - a.mean, stdErr: math.Sqrt(v)}
}

// relativeMoments: the relative lift (b − a)/|a| and its delta-method
// variance, gbstats' frequentist_diff and variance_of_ratios (covariance 0:
// the arms are independent), or frequentist_variance_relative_cuped.
func relativeMoments(a, b armStat, cuped bool) moments {
	if r := pairReason(a, b); r != "" {
		return moments{reason: r}
	}
	if a.rawMean == 0 || a.mean == 0 {
		return moments{reason: ReasonControlZero}
	}
	var v float64
	if cuped {
		v = relativeCUPEDVariance(a, b)
	} else {
		ma2 := a.mean * a.mean
		v = b.variance/b.n/ma2 + a.variance/a.n*b.mean*b.mean/(ma2*ma2)
	}
	if !(v > 0) || !finite(v) {
		return moments{reason: ReasonZeroVariance}
	}
	return moments{estimate: (b.mean - a.mean) / math.Abs(a.rawMean), stdErr: math.Sqrt(v)}
}

// relativeCUPEDVariance follows gbstats' frequentist_variance_relative_cuped
// (models/tests.py) term by term.
func relativeCUPEDVariance(a, b armStat) float64 {
	denB := b.n * a.rawMean * a.rawMean
	denA := a.n * a.rawMean * a.rawMean
	theta := a.theta
	numB := b.post.variance() + theta*theta*b.pre.variance() - 2*theta*b.cov
	c := -b.post.mean()
	pm := a.post.mean()
	numA := a.post.variance()*c*c/(pm*pm) + 2*theta*a.cov*c/pm + theta*theta*a.pre.variance()
	return numB/denB + numA/denA
}

// pairReason refuses comparisons the normal approximation cannot support.
func pairReason(a, b armStat) Reason {
	if a.n == 0 || b.n == 0 {
		return ReasonNoUnits
	}
	if a.n < 2 || b.n < 2 {
		return ReasonTooFewUnits
	}
	return ""
}

// welchDF is the Welch–Satterthwaite degrees of freedom (gbstats TTest.dof).
func welchDF(a, b armStat) float64 {
	va, vb := a.variance/a.n, b.variance/b.n
	den := vb*vb/(b.n-1) + va*va/(a.n-1)
	if !(den > 0) {
		return 0
	}
	return (va + vb) * (va + vb) / den
}
