package stats

import (
	"math"
	"testing"
)

// Golden values. Unless said otherwise they are GrowthBook's own expected
// numbers from packages/stats/tests (gbstats, commit 8f1db4456915), which
// round to 5 decimals; we compare within 6e-6.

const gbTol = 6e-6

func near(t *testing.T, name string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol {
		t.Errorf("%s = %.9g, want %.9g (±%g)", name, got, want, tol)
	}
}

func pair(kind Kind, a, b Summary) Input {
	return Input{
		Config: Config{Kind: kind},
		Arms:   []Arm{{Key: "a", Weight: 1, Metric: a}, {Key: "b", Weight: 1, Metric: b}},
	}
}

func analyzeVs(t *testing.T, in Input) *Comparison {
	t.Helper()
	res, err := Analyze(in)
	if err != nil {
		t.Fatalf("Analyze: %v", err)
	}
	return res.Arms[1].Versus
}

type wantEffect struct {
	est, lo, hi, se, p float64
}

func checkEffect(t *testing.T, name string, e Effect, w wantEffect, tol float64) {
	t.Helper()
	if !e.Defined {
		t.Fatalf("%s not defined: %s", name, e.Reason)
	}
	near(t, name+".Estimate", e.Estimate, w.est, tol)
	near(t, name+".CILow", e.CILow, w.lo, tol)
	near(t, name+".CIHigh", e.CIHigh, w.hi, tol)
	near(t, name+".StdErr", e.StdErr, w.se, tol)
	near(t, name+".PValue", e.PValue, w.p, tol)
}

var (
	gbMeanA = Summary{Units: 3407, Sum: 1396.87, SumSquares: 52377.9767}
	gbMeanB = Summary{Units: 3461, Sum: 2422.7, SumSquares: 134698.29}
)

// tests/frequentist/test_tests.py TestTwoSidedTTest.
func TestGoldenGrowthBookTwoSidedTTest(t *testing.T) {
	t.Parallel()
	c := analyzeVs(t, pair(Mean, gbMeanA, gbMeanB))
	checkEffect(t, "relative", c.Relative, wantEffect{0.70732, -0.03526, 1.44989, 0.37879, 0.06191}, gbTol)
	checkEffect(t, "absolute", c.Absolute, wantEffect{0.29, 0.04538, 0.53462, 0.12478, 0.02016}, gbTol)

	c = analyzeVs(t, pair(Proportion, Summary{Units: 28, Sum: 14}, Summary{Units: 30, Sum: 16}))
	checkEffect(t, "binomial relative", c.Relative, wantEffect{0.06667, -0.47767, 0.61101, 0.2717, 0.80707}, gbTol)
}

// tests/frequentist/test_tests.py TestSequentialTTest.
func TestGoldenGrowthBookSequential(t *testing.T) {
	t.Parallel()
	a := Summary{Units: 3000, Sum: 1396.87, SumSquares: 52377.9767}
	in := pair(Mean, a, gbMeanB)
	in.Config.Sequential, in.Config.SequentialTuning = true, 1000
	checkEffect(t, "mean", analyzeVs(t, in).Relative, wantEffect{0.50336, -0.55844, 1.56516, 0.33341, 1}, gbTol)

	in = pair(Proportion, Summary{Units: 3000, Sum: 1396}, Summary{Units: 3461, Sum: 2422})
	in.Config.Sequential = true
	checkEffect(t, "proportion", analyzeVs(t, in).Relative, wantEffect{0.50386, 0.40098, 0.60675, 0.03386, 0}, gbTol)

	// test_sequential_test_runs_ra: CUPED and sequential together.
	in = pair(Mean, a, gbMeanB)
	in.Arms[0].Pre = &Covariate{Sum: 16.87, SumSquares: 527.9767, SumProducts: 1}
	in.Arms[1].Pre = &Covariate{Sum: 22.7, SumSquares: 1348.29, SumProducts: 1}
	in.Config.Sequential, in.Config.CUPED = true, true
	c := analyzeVs(t, in)
	if !c.CUPED {
		t.Fatal("CUPED not applied")
	}
	checkEffect(t, "cuped", c.Relative, wantEffect{0.50338, -0.50969, 1.51646, 0.33341, 1}, gbTol)
}

// tests/test_gbstats.py TestAnalyzeMetricDfRegressionAdjustment (9 decimals).
func TestGoldenGrowthBookCUPED(t *testing.T) {
	t.Parallel()
	in := pair(Mean,
		Summary{Units: 3001, Sum: 300, SumSquares: 600},
		Summary{Units: 3000, Sum: 222, SumSquares: 555})
	in.Arms[0].Pre = &Covariate{Sum: 210, SumSquares: 415, SumProducts: -20}
	in.Arms[1].Pre = &Covariate{Sum: 120, SumSquares: 405, SumProducts: -10}
	in.Config.CUPED = true
	res, err := Analyze(in)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "control mean (unadjusted)", res.Arms[0].Mean, 0.099966678, 1e-9)
	near(t, "variant mean (unadjusted)", res.Arms[1].Mean, 0.074, 1e-9)
	c := res.Arms[1].Versus
	near(t, "lift", c.Relative.Estimate, -0.281707154, 1e-9)
	near(t, "p", c.Relative.PValue, 0.003732549, 1e-9)

	// The same sums read as a conversion metric (test_analyze_metric_df_ra_proportion).
	in.Config.Kind = Proportion
	c = analyzeVs(t, in)
	near(t, "proportion lift", c.Relative.Estimate, -0.31620216, 1e-9)
	near(t, "proportion p", c.Relative.PValue, 0.000000353, 1e-9)
}

type wantBayes struct {
	mean, lo, hi, sd, ctw, riskCtrl, riskTrt float64
}

func checkBayes(t *testing.T, name string, b Bayesian, w wantBayes) {
	t.Helper()
	if !b.Defined {
		t.Fatalf("%s not defined: %s", name, b.Reason)
	}
	near(t, name+".Mean", b.Mean, w.mean, gbTol)
	near(t, name+".CredibleLow", b.CredibleLow, w.lo, gbTol)
	near(t, name+".CredibleHigh", b.CredibleHigh, w.hi, gbTol)
	near(t, name+".StdDev", b.StdDev, w.sd, gbTol)
	near(t, name+".ChanceToWin", b.ChanceToWin, w.ctw, gbTol)
	near(t, name+".ControlLoss", b.ControlLoss, w.riskCtrl, gbTol)
	near(t, name+".ExpectedLoss", b.ExpectedLoss, w.riskTrt, gbTol)
}

// tests/bayesian/test_tests.py: GrowthBook's tests use its improper flat
// prior by default, and one informative prior N(0.1, 0.1).
func TestGoldenGrowthBookBayesian(t *testing.T) {
	t.Parallel()
	flat := &Prior{}
	in := pair(Proportion, Summary{Units: 100, Sum: 49}, Summary{Units: 100, Sum: 51})
	in.Config.Prior = flat
	checkBayes(t, "binomial", analyzeVs(t, in).Bayesian,
		wantBayes{0.04082, -0.24779, 0.32943, 0.14725, 0.60918, 0.0814, 0.04058})

	a := Summary{Units: 10, Sum: 100, SumSquares: 1002.25}
	b := Summary{Units: 10, Sum: 105, SumSquares: 1111.5}
	in = pair(Mean, a, b)
	in.Config.Prior = flat
	checkBayes(t, "gaussian", analyzeVs(t, in).Bayesian,
		wantBayes{0.05, -0.02, 0.12, 0.03572, 0.91923, 0.05131, 0.00131})

	in.Config.Prior = &Prior{Mean: 0.1, Variance: 0.1, Proper: true}
	checkBayes(t, "informative", analyzeVs(t, in).Bayesian,
		wantBayes{0.05063, -0.01893, 0.12019, 0.03549, 0.92315, 0.05186, 0.00123})
}

// TestGetRiskNumericalStability in tests/bayesian/test_tests.py.
func TestGoldenGrowthBookRisk(t *testing.T) {
	t.Parallel()
	c, tr := risks(0.1, 0.05)
	near(t, "risk ctrl", c, 0.1004245351308, 1e-12)
	near(t, "risk trt", tr, 0.0004245351308414, 1e-12)
	c, tr = risks(0.01, 4.5e-9)
	if c != 0.01 || tr != 0 {
		t.Errorf("extreme risks = %v, %v; want 0.01, 0", c, tr)
	}
	c, tr = risks(-0.01, 4.5e-9)
	if c != 0 || tr != 0.01 {
		t.Errorf("extreme negative risks = %v, %v; want 0, 0.01", c, tr)
	}
}

// packages/back-end/test/stats.test.ts "calculates SRM correctly" (9 decimals).
func TestGoldenGrowthBookSRM(t *testing.T) {
	t.Parallel()
	cases := []struct {
		units   []int64
		weights []float64
		want    float64
	}{
		{[]int64{1000, 1200}, []float64{0.5, 0.5}, 0.000020079},
		{[]int64{135, 115}, []float64{0.5, 0.5}, 0.205903211},
		{[]int64{310, 98}, []float64{0.75, 0.25}, 0.647434186},
		{[]int64{1000}, []float64{0.5, 0.5}, 1},
		{[]int64{1000, 900, 800}, []float64{1, 0, 0}, 1},
		{[]int64{1000, 1200, 900}, []float64{0.5, 0.5, 0}, 0.000020079},
		{[]int64{0, 0, 0}, []float64{0.34, 0.33, 0.33}, 1},
		{[]int64{0, 10, 10}, []float64{0.34, 0.33, 0.33}, 0.005790624},
		{[]int64{500, 500, 600}, []float64{0.34, 0.33, 0.33}, 0.000592638},
		{[]int64{500, 500}, []float64{0.5, 0.5}, 1},
	}
	for _, c := range cases {
		_, _, p := SRMPValue(c.units, c.weights)
		near(t, "SRM p", p, c.want, 5e-10)
	}
}

// Rosetta Code's "Welch's t-test" task: five sample pairs and their
// two-sided p-values (the classic Welch examples of the Wikipedia article
// are the first three). Our absolute effect is exactly that test.
func TestGoldenWelchRosetta(t *testing.T) {
	t.Parallel()
	cases := []struct {
		a, b []float64
		p    float64
	}{
		{[]float64{27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4},
			[]float64{27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4},
			0.021378001462867},
		{[]float64{17.2, 20.9, 22.6, 18.1, 21.7, 21.4, 23.5, 24.2, 14.7, 21.8},
			[]float64{21.5, 22.8, 21.0, 23.0, 21.6, 23.6, 22.5, 20.7, 23.4, 21.8, 20.7, 21.7, 21.5, 22.5, 23.6, 21.5, 22.5, 23.5, 21.5, 21.8},
			0.148841696605328},
		{[]float64{19.8, 20.4, 19.6, 17.8, 18.5, 18.9, 18.3, 18.9, 19.5, 22.0},
			[]float64{28.2, 26.6, 20.1, 23.3, 25.2, 22.1, 17.7, 27.6, 20.6, 13.7, 23.2, 17.5, 20.6, 18.0, 23.9, 21.6, 24.3, 20.4, 24.0, 13.2},
			0.0359722710297968},
		{[]float64{30.02, 29.99, 30.11, 29.97, 30.01, 29.99},
			[]float64{29.89, 29.93, 29.72, 29.98, 30.02, 29.98},
			0.090773324285671},
		{[]float64{3.0, 4.0, 1.0, 2.1},
			[]float64{490.2, 340.0, 433.9},
			0.0107515611497845},
	}
	for i, c := range cases {
		e := analyzeVs(t, pair(Mean, summarize(c.a), summarize(c.b))).Absolute
		if !e.Defined {
			t.Fatalf("case %d: not defined: %s", i, e.Reason)
		}
		near(t, "Welch p", e.PValue, c.p, 1e-9)
	}
}

func summarize(xs []float64) Summary {
	s := Summary{Units: int64(len(xs))}
	for _, x := range xs {
		s.Sum += x
		s.SumSquares += x * x
	}
	return s
}

// The textbook chi-square example: Mendel's dihybrid cross, 315 / 108 /
// 101 / 32 peas against the expected 9:3:3:1 ratio, χ² = 0.470 on 3 degrees
// of freedom, p ≈ 0.925 (for df = 3 the upper tail has the closed form
// 2·Q(√x) + √(2x/π)·e^(−x/2), which gives 0.925425895).
func TestGoldenChiSquareMendel(t *testing.T) {
	t.Parallel()
	chi, df, p := SRMPValue([]int64{315, 108, 101, 32}, []float64{9, 3, 3, 1})
	near(t, "χ²", chi, 0.4700239808153477, 1e-12)
	if df != 3 {
		t.Errorf("df = %d, want 3", df)
	}
	near(t, "p", p, 0.925425895103616, 1e-9)
}
