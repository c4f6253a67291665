package stats

import (
	"errors"
	"math"
	"testing"
)

// FuzzAnalyze feeds arbitrary sums, weights and settings: Analyze must
// either refuse with an InputError or return only finite numbers, with
// probabilities in [0, 1] and ordered intervals. It must never panic.
func FuzzAnalyze(f *testing.F) {
	f.Add(uint8(1), int64(1000), 50.0, 50.0, int64(1000), 60.0, 60.0, 0.05, 1.0, 1.0, false, false, 0.0, 0.0, 0.0, int64(0))
	f.Add(uint8(2), int64(3407), 1396.87, 52377.9767, int64(3461), 2422.7, 134698.29, 0.1, 0.5, 0.5, true, true, 16.87, 527.9767, 1.0, int64(10))
	f.Add(uint8(1), int64(0), 0.0, 0.0, int64(0), 0.0, 0.0, 0.0, 1.0, 1.0, false, true, 0.0, 0.0, 0.0, int64(0))
	f.Add(uint8(1), int64(1000), 0.0, 0.0, int64(1000), 30.0, 0.0, -0.5, 1.0, 1.0, false, false, 0.0, 0.0, 0.0, int64(0))
	f.Add(uint8(2), int64(2), 1e300, 1e300, int64(2), -1e300, 1e300, 0.999, 1e300, 1e-300, true, false, 1e150, 1e300, 1e300, int64(1))
	f.Add(uint8(2), int64(math.MaxInt64), 1.0, 1.0, int64(1), 1.0, 1.0, 1.0, 1.0, 1.0, false, false, 0.0, 0.0, 0.0, int64(-1))
	f.Fuzz(func(t *testing.T, kind uint8, na int64, sa, qa float64, nb int64, sb, qb, alpha, wa, wb float64,
		cuped, sequential bool, preSum, preSq, preProd float64, multi int64) {
		in := Input{
			Config: Config{Kind: Kind(kind), Alpha: alpha, CUPED: cuped, Sequential: sequential},
			Arms: []Arm{
				{Key: "control", Weight: wa, Metric: Summary{Units: na, Sum: sa, SumSquares: qa}},
				{Key: "variant", Weight: wb, Metric: Summary{Units: nb, Sum: sb, SumSquares: qb}},
			},
			MultipleExposures: multi,
		}
		if cuped {
			for i := range in.Arms {
				in.Arms[i].Pre = &Covariate{Sum: preSum, SumSquares: preSq, SumProducts: preProd}
			}
		}
		res, err := Analyze(in)
		if err != nil {
			var ie *InputError
			if !errors.Is(err, ErrInvalidInput) || !errors.As(err, &ie) || ie.Field == "" || ie.Reason == "" {
				t.Fatalf("error %v is not an InputError", err)
			}
			return
		}
		allFinite(t, res)
		prob := func(name string, p float64) {
			if p < 0 || p > 1 {
				t.Errorf("%s = %v outside [0, 1]", name, p)
			}
		}
		prob("SRM p", res.SRM.PValue)
		prob("multiple-exposure share", res.MultipleExposureShare)
		v := res.Arms[1].Versus
		for _, e := range []Effect{v.Absolute, v.Relative} {
			prob("p-value", e.PValue)
			if e.CILow > e.CIHigh {
				t.Errorf("interval %v..%v is reversed", e.CILow, e.CIHigh)
			}
			if !e.Defined && (e.Reason == "" || e.Estimate != 0 || e.Significant) {
				t.Errorf("undefined effect with numbers: %+v", e)
			}
		}
		prob("chance to win", v.Bayesian.ChanceToWin)
		if v.Bayesian.ExpectedLoss < 0 || v.Bayesian.ControlLoss < 0 {
			t.Errorf("negative loss: %+v", v.Bayesian)
		}
	})
}
