package stats

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// allFinite fails the test on any NaN or infinity anywhere in v: nothing
// undefined may leak out of the package as a number.
func allFinite(t *testing.T, v any) {
	t.Helper()
	var walk func(path string, r reflect.Value)
	walk = func(path string, r reflect.Value) {
		switch r.Kind() {
		case reflect.Float64:
			if f := r.Float(); math.IsNaN(f) || math.IsInf(f, 0) {
				t.Errorf("%s = %v", path, f)
			}
		case reflect.Pointer:
			if !r.IsNil() {
				walk(path, r.Elem())
			}
		case reflect.Struct:
			for i := 0; i < r.NumField(); i++ {
				walk(path+"."+r.Type().Field(i).Name, r.Field(i))
			}
		case reflect.Slice:
			for i := 0; i < r.Len(); i++ {
				walk(path+"[]", r.Index(i))
			}
		}
	}
	walk("Result", reflect.ValueOf(v))
}

func mustAnalyze(t *testing.T, in Input) Result {
	t.Helper()
	res, err := Analyze(in)
	if err != nil {
		t.Fatalf("Analyze: %v", err)
	}
	allFinite(t, res)
	return res
}

func TestEdgeCases(t *testing.T) {
	t.Parallel()
	conv := func(n int64, c float64) Summary { return Summary{Units: n, Sum: c} }
	cases := []struct {
		name                      string
		in                        Input
		abs, rel, bayes           Reason // "" = defined
		absSignificantAndNegative bool
	}{
		{name: "an arm with zero units",
			in:  pair(Proportion, conv(1000, 50), conv(0, 0)),
			abs: ReasonNoUnits, rel: ReasonNoUnits, bayes: ReasonNoUnits},
		{name: "both arms empty",
			in:  pair(Mean, Summary{}, Summary{}),
			abs: ReasonNoUnits, rel: ReasonNoUnits, bayes: ReasonNoUnits},
		{name: "one unit in an arm",
			in:  pair(Mean, Summary{Units: 1, Sum: 3, SumSquares: 9}, Summary{Units: 50, Sum: 100, SumSquares: 400}),
			abs: ReasonTooFewUnits, rel: ReasonTooFewUnits, bayes: ReasonTooFewUnits},
		{name: "zero variance: every unit has the same value",
			in:  pair(Mean, Summary{Units: 100, Sum: 500, SumSquares: 2500}, Summary{Units: 100, Sum: 500, SumSquares: 2500}),
			abs: ReasonZeroVariance, rel: ReasonZeroVariance, bayes: ReasonZeroVariance},
		{name: "nobody converts anywhere",
			in:  pair(Proportion, conv(1000, 0), conv(1000, 0)),
			abs: ReasonZeroVariance, rel: ReasonControlZero, bayes: ReasonControlZero},
		{name: "the control rate is zero: lift undefined, difference defined",
			in:  pair(Proportion, conv(1000, 0), conv(1000, 30)),
			rel: ReasonControlZero, bayes: ReasonControlZero},
		{name: "a variant with no conversions: the difference says it lost",
			in:  pair(Proportion, conv(1000, 50), conv(1000, 0)),
			rel: ReasonZeroVariance, bayes: ReasonZeroVariance, absSignificantAndNegative: true},
		{name: "everyone converts in both arms",
			in:  pair(Proportion, conv(500, 500), conv(500, 500)),
			abs: ReasonZeroVariance, rel: ReasonZeroVariance, bayes: ReasonZeroVariance},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			for _, seq := range []bool{false, true} {
				c.in.Config.Sequential = seq
				v := mustAnalyze(t, c.in).Arms[1].Versus
				check := func(what string, defined bool, reason, want Reason) {
					t.Helper()
					if defined != (want == "") || reason != want {
						t.Errorf("sequential=%v %s: defined=%v reason=%q, want reason %q", seq, what, defined, reason, want)
					}
				}
				check("absolute", v.Absolute.Defined, v.Absolute.Reason, c.abs)
				check("relative", v.Relative.Defined, v.Relative.Reason, c.rel)
				check("bayesian", v.Bayesian.Defined, v.Bayesian.Reason, c.bayes)
				if !v.Relative.Defined && (v.Relative.Estimate != 0 || v.Relative.Significant) {
					t.Errorf("an undefined lift must carry zeros, got %+v", v.Relative)
				}
				if c.absSignificantAndNegative && !(v.Absolute.Significant && v.Absolute.CIHigh < 0) {
					t.Errorf("sequential=%v: want a significant negative difference, got %+v", seq, v.Absolute)
				}
			}
		})
	}
}

func TestAlphaDefaultsAndWidth(t *testing.T) {
	t.Parallel()
	in := pair(Proportion, Summary{Units: 5000, Sum: 500}, Summary{Units: 5000, Sum: 560})
	res := mustAnalyze(t, in)
	if res.Alpha != 0.05 {
		t.Fatalf("default alpha = %v, want 0.05", res.Alpha)
	}
	in.Config.Alpha = 0.2
	wide, narrow := res.Arms[1].Versus.Relative, mustAnalyze(t, in).Arms[1].Versus.Relative
	if !(narrow.CIHigh-narrow.CILow < wide.CIHigh-wide.CILow) {
		t.Errorf("α=0.2 interval %v..%v is not narrower than α=0.05's %v..%v", narrow.CILow, narrow.CIHigh, wide.CILow, wide.CIHigh)
	}
	if narrow.PValue != wide.PValue {
		t.Errorf("α must not change the p-value: %v vs %v", narrow.PValue, wide.PValue)
	}
}

func TestInvalidInput(t *testing.T) {
	t.Parallel()
	ok := func() Input {
		return pair(Proportion, Summary{Units: 100, Sum: 10}, Summary{Units: 100, Sum: 12})
	}
	cases := []struct {
		name  string
		field string
		edit  func(*Input)
	}{
		{"negative alpha", "alpha", func(in *Input) { in.Config.Alpha = -0.05 }},
		{"alpha of 1", "alpha", func(in *Input) { in.Config.Alpha = 1 }},
		{"alpha above 1", "alpha", func(in *Input) { in.Config.Alpha = 1.5 }},
		{"NaN alpha", "alpha", func(in *Input) { in.Config.Alpha = math.NaN() }},
		{"no kind", "kind", func(in *Input) { in.Config.Kind = 0 }},
		{"one arm", "arms", func(in *Input) { in.Arms = in.Arms[:1] }},
		{"duplicate keys", "arms[1].key", func(in *Input) { in.Arms[1].Key = "a" }},
		{"negative units", "arms[1].metric.units", func(in *Input) { in.Arms[1].Metric.Units = -1 }},
		{"conversions above units", "arms[0].metric.sum", func(in *Input) { in.Arms[0].Metric.Sum = 101 }},
		{"negative conversions", "arms[0].metric.sum", func(in *Input) { in.Arms[0].Metric.Sum = -1 }},
		{"NaN sum", "arms[0].metric.sum", func(in *Input) { in.Arms[0].Metric.Sum = math.NaN() }},
		{"impossible sum of squares", "arms[1].metric.sumSquares", func(in *Input) {
			in.Config.Kind = Mean
			in.Arms[0].Metric.SumSquares = 10
			in.Arms[1].Metric = Summary{Units: 10, Sum: 100, SumSquares: 999}
		}},
		{"negative weight", "arms[0].weight", func(in *Input) { in.Arms[0].Weight = -1 }},
		{"no weight at all", "arms.weight", func(in *Input) { in.Arms[0].Weight, in.Arms[1].Weight = 0, 0 }},
		{"more multiple exposures than units", "multipleExposures", func(in *Input) { in.MultipleExposures = 201 }},
		{"CUPED without a covariate", "arms[0].pre", func(in *Input) { in.Config.CUPED = true }},
		{"impossible cross-product", "arms[0].pre.sumProducts", func(in *Input) {
			in.Config.CUPED = true
			in.Arms[0].Pre = &Covariate{Sum: 4, SumProducts: 50}
			in.Arms[1].Pre = &Covariate{Sum: 4, SumProducts: 1}
		}},
		{"improper proper prior", "prior", func(in *Input) { in.Config.Prior = &Prior{Proper: true} }},
		{"negative sequential tuning", "sequentialTuning", func(in *Input) { in.Config.SequentialTuning = -1 }},
	}
	for _, c := range cases {
		in := ok()
		c.edit(&in)
		_, err := Analyze(in)
		var ie *InputError
		if !errors.Is(err, ErrInvalidInput) || !errors.As(err, &ie) || ie.Field != c.field {
			t.Errorf("%s: err = %v, want an InputError on %q", c.name, err, c.field)
		}
	}
	if _, err := Analyze(ok()); err != nil {
		t.Fatalf("the valid input was refused: %v", err)
	}
}

func TestMultipleExposuresPassThrough(t *testing.T) {
	t.Parallel()
	in := pair(Proportion, Summary{Units: 600, Sum: 60}, Summary{Units: 400, Sum: 50})
	in.MultipleExposures = 25
	res := mustAnalyze(t, in)
	if res.MultipleExposures != 25 || res.MultipleExposureShare != 0.025 {
		t.Errorf("multiple exposures = %d (%v), want 25 (0.025)", res.MultipleExposures, res.MultipleExposureShare)
	}
}

func TestSRMNeedsEightUnitsPerArm(t *testing.T) {
	t.Parallel()
	// 1 vs 7 is a wild split, but 1 unit says nothing: no warning.
	in := pair(Proportion, Summary{Units: 1}, Summary{Units: 7})
	s := mustAnalyze(t, in).SRM
	if s.Warning || !s.TooFewUnits {
		t.Errorf("SRM with 1 and 7 units: warning=%v tooFew=%v, want no warning, too few", s.Warning, s.TooFewUnits)
	}
	// A zero-weight arm (a retired arm still reporting) is ignored.
	in = Input{Config: Config{Kind: Proportion}, Arms: []Arm{
		{Key: "a", Weight: 1, Metric: Summary{Units: 5000}},
		{Key: "b", Weight: 1, Metric: Summary{Units: 5000}},
		{Key: "old", Weight: 0, Metric: Summary{Units: 3}},
	}}
	s = mustAnalyze(t, in).SRM
	if s.Warning || s.TooFewUnits || s.DF != 1 || s.PValue != 1 {
		t.Errorf("SRM with a zero-weight arm = %+v", s)
	}
}

func TestBayesianPriorAndDirection(t *testing.T) {
	t.Parallel()
	in := pair(Proportion, Summary{Units: 400, Sum: 40}, Summary{Units: 400, Sum: 52})
	v := mustAnalyze(t, in).Arms[1].Versus
	lift, se := v.Relative.Estimate, v.Relative.StdErr
	// N(0, 0.09) prior: posterior mean = lift·0.09/(0.09 + se²).
	near(t, "posterior mean", v.Bayesian.Mean, lift*0.09/(0.09+se*se), 1e-12)
	if !(v.Bayesian.Mean < lift) {
		t.Errorf("the prior must pull the lift toward 0: %v vs %v", v.Bayesian.Mean, lift)
	}
	in.Config.LowerIsBetter = true
	w := mustAnalyze(t, in).Arms[1].Versus.Bayesian
	near(t, "chance to win, lower is better", w.ChanceToWin, 1-v.Bayesian.ChanceToWin, 1e-12)
	near(t, "expected loss, lower is better", w.ExpectedLoss, v.Bayesian.ControlLoss, 1e-12)
}

// tQuantile is checked three ways: against the closed forms for 1 and 2
// degrees of freedom, against gonum's Quantile away from the extreme tail
// (where gonum's inverse incomplete beta drifts: at df = 39,000 and 1e-8
// it answers 51 instead of 5.6), and against gonum's Survival everywhere
// up to maxStudentDF, beyond which the normal is used.
func TestTQuantile(t *testing.T) {
	t.Parallel()
	uppers := []float64{1e-8, 0.0005, 0.005, 0.025, 0.05, 0.1, 0.25, 0.45}
	for _, u := range uppers {
		near(t, "Cauchy quantile", tQuantile(u, 1)*math.Tan(math.Pi*u), 1, 1e-10)
		near(t, "df=2 quantile", tQuantile(u, 2)/((1-2*u)/math.Sqrt(2*u*(1-u))), 1, 1e-10)
	}
	for _, df := range []float64{1, 1.5, 2, 3, 5, 9.9, 30, 120, 1000, 39000, maxStudentDF} {
		dist := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}
		for _, u := range uppers {
			got := tQuantile(u, df)
			near(t, fmt.Sprintf("Survival(tQuantile(%v, df=%v))/upper", u, df), dist.Survival(got)/u, 1, 1e-9)
			if u >= 0.0005 {
				want := dist.Quantile(1 - u)
				near(t, fmt.Sprintf("tQuantile(%v, df=%v)", u, df), got, want, 1e-9*math.Max(1, want))
			}
		}
	}
}
