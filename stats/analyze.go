package stats

import "math"

// Result is the analysis of one metric of one experiment.
type Result struct {
	Kind       Kind
	Alpha      float64 // the α used (after defaults)
	Sequential bool
	Arms       []ArmResult // in Input order; Arms[0] is the control
	SRM        SRM
	// MultipleExposures is passed through from the Input;
	// MultipleExposureShare is its share of all units (0 with no units).
	MultipleExposures     int64
	MultipleExposureShare float64
}

// ArmResult is one arm's own numbers and, for a variant, its comparison
// with the control.
type ArmResult struct {
	Key   string
	Units int64
	// Mean is the conversion rate (Proportion) or the mean per unit (Mean),
	// unadjusted; Variance is the per-unit variance and StdErr √(Variance/n).
	Mean, Variance, StdErr float64
	// Versus is nil for the control.
	Versus *Comparison
}

// Comparison is a variant against the control.
type Comparison struct {
	// Absolute is the difference of means (variant − control) with Welch's
	// test; it is defined even when the control is zero.
	Absolute Effect
	// Relative is the lift (variant − control)/|control| with a
	// delta-method interval: the headline number ("+12 %").
	Relative Effect
	// Bayesian is the posterior of the relative lift.
	Bayesian Bayesian
	// CUPED is true when the pre-exposure adjustment was applied (it is
	// skipped, as in GrowthBook, when the pre-period has no variance).
	CUPED bool
	// Theta is the CUPED coefficient used (0 without CUPED).
	Theta float64
}

// Analyze compares every variant (Arms[1:]) with the control (Arms[0]). It
// does no I/O and keeps no state; an error means the input itself is wrong
// (errors.Is(err, ErrInvalidInput)). Outputs that cannot be computed are
// marked not Defined with a Reason, never NaN.
func Analyze(in Input) (Result, error) {
	cfg, err := in.Config.normalized()
	if err != nil {
		return Result{}, err
	}
	if err := in.validate(cfg.Kind, cfg.CUPED); err != nil {
		return Result{}, err
	}
	res := Result{
		Kind: cfg.Kind, Alpha: cfg.Alpha, Sequential: cfg.Sequential,
		Arms:              make([]ArmResult, len(in.Arms)),
		SRM:               checkSRM(in.Arms, cfg.SRMThreshold),
		MultipleExposures: in.MultipleExposures,
	}
	var total int64
	for i, a := range in.Arms {
		s := newSample(cfg.Kind, a.Metric)
		ar := ArmResult{Key: a.Key, Units: a.Metric.Units, Mean: s.mean(), Variance: s.variance()}
		if s.n > 0 {
			ar.StdErr = math.Sqrt(ar.Variance / s.n)
		}
		res.Arms[i] = ar
		total += a.Metric.Units
	}
	if total > 0 {
		res.MultipleExposureShare = float64(in.MultipleExposures) / float64(total)
	}
	for i := 1; i < len(in.Arms); i++ {
		c := compare(cfg, in.Arms[0], in.Arms[i])
		res.Arms[i].Versus = &c
	}
	return res, nil
}

func compare(cfg Config, control, variant Arm) Comparison {
	var a, b armStat
	cuped := false
	if cfg.CUPED {
		a, b, cuped = cupedPair(cfg.Kind, control, variant)
	} else {
		a, b = plainStat(newSample(cfg.Kind, control.Metric)), plainStat(newSample(cfg.Kind, variant.Metric))
	}
	abs := absoluteMoments(a, b)
	rel := relativeMoments(a, b, cuped)
	df := 0.0
	if pairReason(a, b) == "" {
		df = welchDF(a, b)
	}
	c := Comparison{CUPED: cuped}
	if cuped {
		c.Theta = a.theta
	}
	if cfg.Sequential {
		n := a.n + b.n
		c.Absolute = sequentialTest(abs, df, n, cfg.Alpha, cfg.SequentialTuning)
		c.Relative = sequentialTest(rel, df, n, cfg.Alpha, cfg.SequentialTuning)
	} else {
		crit := criticalT(cfg.Alpha, df)
		c.Absolute = welchTest(abs, df, crit)
		c.Relative = welchTest(rel, df, crit)
	}
	c.Bayesian = bayesian(rel, *cfg.Prior, cfg.Alpha, cfg.LowerIsBetter)
	return c
}
