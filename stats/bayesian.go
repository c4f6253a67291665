package stats

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Bayesian is the posterior of the relative lift under a Gaussian prior,
// following gbstats' EffectBayesianABTest (packages/stats/gbstats/bayesian/
// tests.py): the data enter as N(lift, se²) and combine with the prior by
// precision weighting.
type Bayesian struct {
	Defined bool
	Reason  Reason
	// ChanceToWin is the posterior probability that the variant is better
	// than the control (lift > 0, or < 0 when lower is better).
	ChanceToWin float64
	// ExpectedLoss is the lift, in relative terms, you expect to give up if
	// you ship the variant and it is in fact worse: E[max(0, −lift)]
	// (gbstats' risk of the treatment; flipped when lower is better).
	ExpectedLoss float64
	// ControlLoss is the same for keeping the control: E[max(0, lift)].
	ControlLoss float64
	// Mean and StdDev describe the posterior of the relative lift; the
	// credible interval holds (1−α) of it.
	Mean, StdDev              float64
	CredibleLow, CredibleHigh float64
}

var stdNormal = distuv.Normal{Mu: 0, Sigma: 1}

func bayesian(m moments, prior Prior, alpha float64, lowerIsBetter bool) Bayesian {
	if m.reason != "" {
		return Bayesian{Reason: m.reason}
	}
	dataVar := m.stdErr * m.stdErr
	prec := 1 / dataVar
	mean := m.estimate
	if prior.Proper {
		prec += 1 / prior.Variance
		mean = (m.estimate/dataVar + prior.Mean/prior.Variance) / prec
	}
	sd := math.Sqrt(1 / prec)
	z := mean / sd
	ctw := stdNormal.CDF(z) // P(lift > 0) = Φ(μ/σ)
	riskCtrl, riskTrt := risks(mean, sd)
	if lowerIsBetter {
		ctw = stdNormal.CDF(-z)
		riskCtrl, riskTrt = riskTrt, riskCtrl
	}
	q := stdNormal.Quantile(1 - alpha/2)
	b := Bayesian{
		Defined: true, ChanceToWin: ctw, ExpectedLoss: riskTrt, ControlLoss: riskCtrl,
		Mean: mean, StdDev: sd, CredibleLow: mean - q*sd, CredibleHigh: mean + q*sd,
	}
	for _, x := range []float64{b.ChanceToWin, b.ExpectedLoss, b.ControlLoss, b.Mean, b.StdDev, b.CredibleLow, b.CredibleHigh} {
		if !finite(x) {
			return Bayesian{Reason: ReasonNumerical}
		}
	}
	return b
}

// risks returns E[max(0, X)] and E[max(0, −X)] for X ~ N(mu, sigma²): the
// loss of keeping the control and of shipping the variant. gbstats' get_risk
// computes them as P(X>0)·E[X | X>0] with truncated-normal means; the closed
// forms μΦ(μ/σ) + σφ(μ/σ) and σφ(μ/σ) − μΦ(−μ/σ) are the same numbers
// without scipy's truncnorm. Beyond |μ/σ| > 37, where Φ is 0 or 1 in float64,
// gbstats short-circuits to (max(μ,0), max(−μ,0)); so do we.
func risks(mu, sigma float64) (ctrl, trt float64) {
	if sigma > 0 && math.Abs(mu/sigma) > 37 {
		return math.Max(mu, 0), math.Max(-mu, 0)
	}
	z := mu / sigma
	phi := stdNormal.Prob(z)
	ctrl = mu*stdNormal.CDF(z) + sigma*phi
	trt = sigma*phi - mu*stdNormal.CDF(-z)
	return math.Max(ctrl, 0), math.Max(trt, 0)
}
