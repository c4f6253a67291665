package stats

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// Simulations with fixed seeds: the same numbers on every run and machine.
// They check the package does what its numbers claim: α is the false
// positive rate, a real lift is found, a broken split is flagged.

const simExperiments = 2000

func binomial(src rand.Source, n int64, p float64) float64 {
	return distuv.Binomial{N: float64(n), P: p, Src: src}.Rand()
}

func conversions(n int64, c float64) Summary { return Summary{Units: n, Sum: c} }

// An A/A test (both arms the same 10 % rate, 5,000 visitors each) must come
// out significant in α of experiments: 5 % ± 1 point over 2,000 of them.
// One run of 2,000 has a standard deviation of 0.49 points, so ±1 point is
// about 2 SD: when this test was written, seeds 1…20 gave a mean of 4.88 %
// over 40,000 experiments (slightly conservative, as a test on discrete
// counts is), and 2 of the 20 seeds (14: 6.05 %, 18: 3.90 %) fell outside
// the band. Seed 1 (5.20 %) is the first of that survey, not a pick.
func TestSimulationAAFalsePositiveRate(t *testing.T) {
	t.Parallel()
	src := rand.NewPCG(1, 3)
	const n, rate = 5000, 0.10
	var relHits, absHits int
	for range simExperiments {
		in := pair(Proportion, conversions(n, binomial(src, n, rate)), conversions(n, binomial(src, n, rate)))
		v := mustAnalyze(t, in).Arms[1].Versus
		if v.Relative.Significant {
			relHits++
		}
		if v.Absolute.Significant {
			absHits++
		}
	}
	for name, hits := range map[string]int{"relative": relHits, "absolute": absHits} {
		fpr := float64(hits) / simExperiments
		t.Logf("A/A conversion, %s: false-positive rate %.4f at α = 0.05", name, fpr)
		if fpr < 0.04 || fpr > 0.06 {
			t.Errorf("%s false-positive rate %.4f outside 0.05 ± 0.01", name, fpr)
		}
	}
}

// The same for a skewed revenue metric (20 % buy; order values exponential
// with mean 40), where the normal approximation has more to do.
func TestSimulationAARevenue(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(18, 4))
	const n = 2000
	arm := func() Summary {
		s := Summary{Units: n}
		for range n {
			if r.Float64() < 0.2 {
				x := r.ExpFloat64() * 40
				s.Sum += x
				s.SumSquares += x * x
			}
		}
		return s
	}
	hits := 0
	for range simExperiments {
		if mustAnalyze(t, pair(Mean, arm(), arm())).Arms[1].Versus.Relative.Significant {
			hits++
		}
	}
	fpr := float64(hits) / simExperiments
	t.Logf("A/A revenue: false-positive rate %.4f at α = 0.05", fpr)
	if fpr < 0.04 || fpr > 0.06 {
		t.Errorf("false-positive rate %.4f outside 0.05 ± 0.01", fpr)
	}
}

// Peeking: look after every 1,000 visitors per arm, ten times, and stop at
// the first significant look. The fixed-horizon test then "finds" far more
// than α of A/A winners; the sequential test stays within α.
func TestSimulationPeeking(t *testing.T) {
	t.Parallel()
	src := rand.NewPCG(18, 5)
	const step, looks, rate = 1000, 10, 0.10
	var fixed, sequential int
	for range simExperiments {
		var ca, cb float64
		var fixedHit, seqHit bool
		for look := 1; look <= looks; look++ {
			ca += binomial(src, step, rate)
			cb += binomial(src, step, rate)
			in := pair(Proportion, conversions(int64(look*step), ca), conversions(int64(look*step), cb))
			fixedHit = fixedHit || mustAnalyze(t, in).Arms[1].Versus.Relative.Significant
			in.Config.Sequential = true
			seqHit = seqHit || mustAnalyze(t, in).Arms[1].Versus.Relative.Significant
		}
		if fixedHit {
			fixed++
		}
		if seqHit {
			sequential++
		}
	}
	ff, fs := float64(fixed)/simExperiments, float64(sequential)/simExperiments
	t.Logf("A/A with 10 looks: fixed-horizon false positives %.4f, sequential %.4f (α = 0.05)", ff, fs)
	if ff < 0.08 {
		t.Errorf("fixed-horizon peeking false positives %.4f: expected clearly above α", ff)
	}
	if fs > 0.05 {
		t.Errorf("sequential false positives %.4f above α = 0.05", fs)
	}
}

// A +10 % relative lift on a 20 % base rate (20 % → 22 %) with 20,000
// visitors per arm is detected: in the fixed-seed experiment below, and in
// at least 95 % of 200 simulated ones (the power is about 99.9 % there).
func TestSimulationDetectsTenPercentLift(t *testing.T) {
	t.Parallel()
	src := rand.NewPCG(18, 6)
	const n, base, lift = 20000, 0.20, 0.10
	in := pair(Proportion, conversions(n, binomial(src, n, base)), conversions(n, binomial(src, n, base*(1+lift))))
	res := mustAnalyze(t, in)
	v := res.Arms[1].Versus
	t.Logf("rates %.4f → %.4f, lift %.4f [%.4f, %.4f], p %.2g, chance to win %.4f, expected loss %.2g",
		res.Arms[0].Mean, res.Arms[1].Mean, v.Relative.Estimate, v.Relative.CILow, v.Relative.CIHigh,
		v.Relative.PValue, v.Bayesian.ChanceToWin, v.Bayesian.ExpectedLoss)
	if !v.Relative.Significant || v.Relative.CILow > lift || v.Relative.CIHigh < lift {
		t.Errorf("lift %+v: want significant with 0.10 inside the interval", v.Relative)
	}
	if v.Bayesian.ChanceToWin < 0.95 {
		t.Errorf("chance to win %.4f below 0.95", v.Bayesian.ChanceToWin)
	}

	var fixed, sequential, bayes int
	const runs = 200
	for range runs {
		in := pair(Proportion, conversions(n, binomial(src, n, base)), conversions(n, binomial(src, n, base*(1+lift))))
		v := mustAnalyze(t, in).Arms[1].Versus
		if v.Relative.Significant && v.Relative.Estimate > 0 {
			fixed++
		}
		if v.Bayesian.ChanceToWin > 0.95 {
			bayes++
		}
		in.Config.Sequential = true
		if v := mustAnalyze(t, in).Arms[1].Versus; v.Relative.Significant && v.Relative.Estimate > 0 {
			sequential++
		}
	}
	t.Logf("power over %d experiments: fixed %.3f, chance to win > 95 %% %.3f, sequential %.3f",
		runs, float64(fixed)/runs, float64(bayes)/runs, float64(sequential)/runs)
	if float64(fixed)/runs < 0.95 || float64(bayes)/runs < 0.95 {
		t.Errorf("power too low: fixed %d, Bayesian %d of %d", fixed, bayes, runs)
	}
}

// A 47/53 split of 20,000 visitors on a 50/50 experiment raises SRM; an
// exact 50/50 does not, and honest random assignment almost never does.
func TestSimulationSRM(t *testing.T) {
	t.Parallel()
	split := func(a, b int64) SRM {
		return mustAnalyze(t, Input{Config: Config{Kind: Proportion}, Arms: []Arm{
			{Key: "a", Weight: 50, Metric: Summary{Units: a}},
			{Key: "b", Weight: 50, Metric: Summary{Units: b}},
		}}).SRM
	}
	bad := split(9400, 10600)
	t.Logf("47/53 of 20,000: χ² = %.1f, p = %.3g", bad.ChiSquare, bad.PValue)
	if !bad.Warning || bad.ObservedShare[1] != 0.53 || bad.ExpectedShare[1] != 0.5 {
		t.Errorf("47/53 split: %+v, want a warning", bad)
	}
	if s := split(10000, 10000); s.Warning || s.PValue != 1 {
		t.Errorf("50/50 split: %+v, want no warning", s)
	}
	src := rand.NewPCG(18, 7)
	warnings := 0
	for range simExperiments {
		a := int64(binomial(src, 20000, 0.5))
		if split(a, 20000-a).Warning {
			warnings++
		}
	}
	t.Logf("honest 50/50 assignment: %d SRM warnings in %d experiments (expected ≈ %.0f)", warnings, simExperiments, simExperiments*0.001)
	if warnings > 10 {
		t.Errorf("%d false SRM warnings in %d honest experiments", warnings, simExperiments)
	}
}

// CUPED on a metric that correlates with its pre-period (ρ ≈ 0.8) narrows
// the interval and keeps the A/A false-positive rate at α.
func TestSimulationCUPED(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(18, 8))
	const n = 1000
	arm := func(effect float64) Arm {
		var s Summary
		var c Covariate
		s.Units = n
		for range n {
			pre := 10 + 3*r.NormFloat64()
			post := pre + 2*r.NormFloat64() + effect
			s.Sum += post
			s.SumSquares += post * post
			c.Sum += pre
			c.SumSquares += pre * pre
			c.SumProducts += post * pre
		}
		return Arm{Weight: 1, Metric: s, Pre: &c}
	}
	var hits int
	var seCUPED, sePlain float64
	for range simExperiments {
		a, b := arm(0), arm(0)
		a.Key, b.Key = "a", "b"
		in := Input{Config: Config{Kind: Mean, CUPED: true}, Arms: []Arm{a, b}}
		v := mustAnalyze(t, in).Arms[1].Versus
		if !v.CUPED {
			t.Fatal("CUPED not applied")
		}
		if v.Relative.Significant {
			hits++
		}
		seCUPED += v.Relative.StdErr
		in.Config.CUPED = false
		sePlain += mustAnalyze(t, in).Arms[1].Versus.Relative.StdErr
	}
	fpr := float64(hits) / simExperiments
	t.Logf("CUPED A/A: false-positive rate %.4f; mean standard error %.5f with CUPED, %.5f without", fpr, seCUPED/simExperiments, sePlain/simExperiments)
	if fpr < 0.04 || fpr > 0.06 {
		t.Errorf("CUPED false-positive rate %.4f outside 0.05 ± 0.01", fpr)
	}
	// Var(post | pre) = 4 of a total 13: the standard error should shrink
	// by about √(4/13) ≈ 0.55.
	if ratio := seCUPED / sePlain; math.Abs(ratio-math.Sqrt(4.0/13)) > 0.05 {
		t.Errorf("CUPED standard error ratio %.3f, want ≈ %.3f", ratio, math.Sqrt(4.0/13))
	}
}
