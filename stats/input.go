package stats

import (
	"errors"
	"fmt"
	"math"
)

// Kind says how a metric's per-unit values are distributed, which decides
// the per-unit variance.
type Kind uint8

const (
	// Proportion is a conversion metric: each unit converted (1) or not (0),
	// Sum is the number of converting units and the variance is p(1−p), as
	// GrowthBook's ProportionStatistic (gbstats/models/statistics.py).
	Proportion Kind = iota + 1
	// Mean is a revenue or count metric: Sum is Σx and SumSquares Σx² over
	// units, and the variance is the sample variance with n−1, as
	// GrowthBook's SampleMeanStatistic.
	Mean
)

func (k Kind) String() string {
	switch k {
	case Proportion:
		return "proportion"
	case Mean:
		return "mean"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Summary is one arm's sufficient statistics for one metric, as the rollups
// keep them: adding two Summaries of disjoint units gives the Summary of the
// union, so days and breakdowns can be summed before analysis.
type Summary struct {
	Units      int64   // units (visitors) exposed to the arm
	Sum        float64 // conversions for a Proportion; Σx for a Mean
	SumSquares float64 // Σx²; ignored for a Proportion (x² = x)
}

// Covariate is the same metric measured on the same units before their first
// exposure (CUPED). SumProducts is Σ x_post·x_pre over units.
type Covariate struct {
	Sum         float64
	SumSquares  float64 // ignored for a Proportion
	SumProducts float64
}

// Arm is one arm of an experiment. Weight is the configured traffic share
// (any positive scale: 50/50 and 0.5/0.5 are the same split; 0 leaves the
// arm out of the SRM check).
type Arm struct {
	Key    string
	Weight float64
	Metric Summary
	Pre    *Covariate // required on every arm when Config.CUPED
}

// Prior is a Gaussian prior on the relative lift. Proper=false is
// GrowthBook's improper flat prior (the posterior is the data alone).
type Prior struct {
	Mean     float64
	Variance float64
	Proper   bool
}

// DefaultPrior is N(0, 0.3²) on the relative lift, GrowthBook's proper
// prior: a lift beyond ±60 % is a priori unlikely (two standard deviations),
// which pulls small, noisy samples toward "no effect".
var DefaultPrior = Prior{Mean: 0, Variance: 0.09, Proper: true}

// Defaults of Config's zero values.
const (
	DefaultAlpha            = 0.05
	DefaultSRMThreshold     = 0.001
	DefaultSequentialTuning = 5000 // GrowthBook's sequential_tuning_parameter
	// MinSRMUnits is the fewest units every weighted arm needs before an SRM
	// warning is raised: below it the chi-square approximation is poor.
	MinSRMUnits = 8
)

// Config says how to analyse. Its zero value (but for Kind) is the default
// analysis: α = 0.05, prior N(0, 0.3²), no CUPED, fixed horizon.
type Config struct {
	Kind  Kind
	Alpha float64 // 0 means DefaultAlpha; otherwise in (0, 1)
	// LowerIsBetter flips the Bayesian chance to win and the risks for a
	// metric whose goal is DECREASE. The two-sided tests do not change.
	LowerIsBetter bool
	Prior         *Prior // nil means DefaultPrior
	// CUPED adjusts each comparison with the arms' pre-exposure Covariate.
	CUPED bool
	// Sequential replaces the fixed-horizon intervals and p-values with
	// anytime-valid ones, so results may be read every day.
	Sequential bool
	// SequentialTuning is the total sample size (both arms) where the
	// sequence is tightest; set it near the planned sample size. 0 means
	// DefaultSequentialTuning.
	SequentialTuning float64
	SRMThreshold     float64 // 0 means DefaultSRMThreshold
}

// Input is one metric of one experiment: Arms[0] is the control.
type Input struct {
	Config Config
	Arms   []Arm
	// MultipleExposures counts units that saw more than one arm; it is passed
	// through with its share so reports can warn about it.
	MultipleExposures int64
}

// ErrInvalidInput is matched (errors.Is) by every input error Analyze
// returns; callers map it to BAD_USER_INPUT.
var ErrInvalidInput = errors.New("invalid statistics input")

// InputError names the field that is wrong and why.
type InputError struct {
	Field  string
	Reason string
}

func (e *InputError) Error() string { return e.Field + ": " + e.Reason }

// Is makes errors.Is(err, ErrInvalidInput) true.
func (e *InputError) Is(target error) bool { return target == ErrInvalidInput }

func invalid(field, format string, args ...any) error {
	return &InputError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// normalized returns the Config with defaults filled in, or an input error.
func (c Config) normalized() (Config, error) {
	if c.Kind != Proportion && c.Kind != Mean {
		return c, invalid("kind", "must be Proportion or Mean, got %v", c.Kind)
	}
	if c.Alpha == 0 {
		c.Alpha = DefaultAlpha
	}
	if !(c.Alpha > 0 && c.Alpha < 1) { // also refuses NaN
		return c, invalid("alpha", "must be between 0 and 1 (exclusive), got %v", c.Alpha)
	}
	if c.Prior == nil {
		p := DefaultPrior
		c.Prior = &p
	} else if c.Prior.Proper {
		if !finite(c.Prior.Mean) || !(c.Prior.Variance > 0) || math.IsInf(c.Prior.Variance, 1) {
			return c, invalid("prior", "a proper prior needs a finite mean and a positive finite variance")
		}
	}
	if c.SequentialTuning == 0 {
		c.SequentialTuning = DefaultSequentialTuning
	}
	if !(c.SequentialTuning > 0) || math.IsInf(c.SequentialTuning, 1) {
		return c, invalid("sequentialTuning", "must be positive and finite, got %v", c.SequentialTuning)
	}
	if c.SRMThreshold == 0 {
		c.SRMThreshold = DefaultSRMThreshold
	}
	if !(c.SRMThreshold > 0 && c.SRMThreshold < 1) {
		return c, invalid("srmThreshold", "must be between 0 and 1 (exclusive), got %v", c.SRMThreshold)
	}
	return c, nil
}

// relTol absorbs rounding in sums of squares accumulated by a database.
const relTol = 1e-9

func (in Input) validate(kind Kind, cuped bool) error {
	if len(in.Arms) < 2 {
		return invalid("arms", "need a control and at least one variant, got %d arm(s)", len(in.Arms))
	}
	seen := make(map[string]bool, len(in.Arms))
	var total int64
	var weights float64
	for i, a := range in.Arms {
		f := fmt.Sprintf("arms[%d]", i)
		if seen[a.Key] {
			return invalid(f+".key", "duplicate arm key %q", a.Key)
		}
		seen[a.Key] = true
		if !(a.Weight >= 0) || math.IsInf(a.Weight, 1) {
			return invalid(f+".weight", "must be zero or positive and finite, got %v", a.Weight)
		}
		weights += a.Weight
		if err := a.Metric.validate(f+".metric", kind); err != nil {
			return err
		}
		if total > math.MaxInt64-a.Metric.Units {
			return invalid(f+".metric.units", "total units overflow")
		}
		total += a.Metric.Units
		if cuped {
			if a.Pre == nil {
				return invalid(f+".pre", "CUPED needs a pre-exposure covariate on every arm")
			}
			if err := a.Pre.validate(f+".pre", kind, a.Metric); err != nil {
				return err
			}
		}
	}
	if !(weights > 0) || math.IsInf(weights, 1) {
		return invalid("arms.weight", "at least one arm needs a positive weight and their sum must be finite")
	}
	if in.MultipleExposures < 0 || in.MultipleExposures > total {
		return invalid("multipleExposures", "must be between 0 and the total units (%d), got %d", total, in.MultipleExposures)
	}
	return nil
}

func (s Summary) validate(field string, kind Kind) error {
	if s.Units < 0 {
		return invalid(field+".units", "must not be negative, got %d", s.Units)
	}
	if !finite(s.Sum) {
		return invalid(field+".sum", "must be finite, got %v", s.Sum)
	}
	n := float64(s.Units)
	if kind == Proportion {
		if s.Sum < 0 || s.Sum > n {
			return invalid(field+".sum", "conversions must be between 0 and units (%d), got %v", s.Units, s.Sum)
		}
		return nil
	}
	if !finite(s.SumSquares) || s.SumSquares < 0 {
		return invalid(field+".sumSquares", "must be zero or positive and finite, got %v", s.SumSquares)
	}
	if s.Units == 0 && (s.Sum != 0 || s.SumSquares != 0) {
		return invalid(field, "no units but a non-zero sum")
	}
	// Cauchy–Schwarz: (Σx)² ≤ n·Σx². Anything else is corrupt data.
	if s.Sum*s.Sum > n*s.SumSquares*(1+relTol)+relTol {
		return invalid(field+".sumSquares", "sum of squares %v is below sum²/units: impossible", s.SumSquares)
	}
	return nil
}

func (c Covariate) validate(field string, kind Kind, post Summary) error {
	pre := Summary{Units: post.Units, Sum: c.Sum, SumSquares: c.SumSquares}
	if err := pre.validate(field, kind); err != nil {
		return err
	}
	if !finite(c.SumProducts) {
		return invalid(field+".sumProducts", "must be finite, got %v", c.SumProducts)
	}
	postSq, preSq := post.SumSquares, c.SumSquares
	if kind == Proportion {
		postSq, preSq = post.Sum, c.Sum
	}
	// Cauchy–Schwarz on the raw sums: (Σxy)² ≤ Σx²·Σy².
	if c.SumProducts*c.SumProducts > postSq*preSq*(1+relTol)+relTol {
		return invalid(field+".sumProducts", "|Σ post·pre| exceeds √(Σpost²·Σpre²): impossible")
	}
	return nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
