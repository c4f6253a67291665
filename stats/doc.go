// Package stats is the experiment statistics of Mosaic: given each arm's
// sufficient statistics for one metric, it says how each variant compares
// with the control, how sure we can be, and whether the traffic split
// itself can be trusted. It is pure: no I/O, no state, no other Mosaic
// package. The rollups feed it sums; reports show what it returns.
//
// The formulas follow GrowthBook's gbstats (github.com/growthbook/growthbook,
// packages/stats/gbstats, read at commit 8f1db4456915) so results can be
// checked against a widely used engine; its own test values are our golden
// tests. Distributions (normal, Student t, chi-square) come from
// gonum.org/v1/gonum/stat/distuv.
//
// # Input
//
// Per arm: units n (visitors exposed), Σx and Σx². For a conversion metric
// (Proportion) x is 0 or 1, so Σx is the number of converting visitors and
// Σx² = Σx. Sums of disjoint units add up, so days and breakdown cells can
// be summed first. Arms[0] is the control; each arm has its configured
// weight. CUPED adds, per arm, the same metric before first exposure: Σy,
// Σy² and the cross-product Σx·y.
//
// # Formulas
//
// Per arm: mean m = Σx/n. Per-unit variance v = p(1−p) for a proportion
// (GrowthBook's choice) and (Σx² − (Σx)²/n)/(n−1) for a mean.
//
// Absolute difference: Δ = m_b − m_a, se² = v_b/n_b + v_a/n_a.
//
// Relative lift: L = (m_b − m_a)/|m_a|, with the delta-method variance
// se² = v_b/(n_b·m_a²) + v_a·m_b²/(n_a·m_a⁴).
//
// Welch's t-test (fixed horizon): t = estimate/se with Welch–Satterthwaite
// df = (v_a/n_a + v_b/n_b)² / ((v_a/n_a)²/(n_a−1) + (v_b/n_b)²/(n_b−1));
// p = 2·P(T_df > |t|); interval estimate ± t_{df,1−α/2}·se. α defaults to
// 0.05 (a 95 % interval).
//
// Bayesian: the data say L ~ N(L̂, se²); the prior on L is N(0, 0.3²) by
// default. The posterior has precision 1/se² + 1/0.09 and mean
// (L̂/se²)/precision. Chance to win = P(L > 0); expected loss of shipping
// the variant = E[max(0, −L)]; of keeping the control = E[max(0, L)]
// (GrowthBook's "risk"). For a metric where lower is better the signs flip.
//
// SRM: Pearson's χ² = Σ (observed − expected)²/expected over arms with a
// positive weight, df = arms − 1; warning when p < 0.001 and every such arm
// has at least 8 units.
//
// CUPED (optional): θ = cov(x, y)/var(y) pooled over control and variant;
// each arm's mean becomes m_x − θ·m_y and its variance
// v_x + θ²v_y − 2θ·cov. The lift keeps the unadjusted control mean as its
// denominator and gbstats' delta-method variance for it. With no pre-period
// variance θ = 0 and the plain analysis is used (Comparison.CUPED = false).
//
// Sequential (optional): an asymptotic confidence sequence (Waudby-Smith et
// al., arXiv:2103.06476, eq. 9, as gbstats): with N = n_a + n_b,
// ρ² = (−2 ln α + ln(−2 ln α + 1))/τ and τ the tuning parameter (default
// 5000 units, where the interval is tightest), the half-width is
// se·√N · √(2(Nρ²+1)·ln(√(Nρ²+1)/α) / (Nρ)²), and p = min(1, 1/e) with
// e-value e = exp(ρ²·N·(L̂/se)²/(2(Nρ²+1)))/√(Nρ²+1).
//
// # Assumptions
//
// Every interval and p-value rests on the normal approximation of the
// means (central limit theorem): units are independent, each counted in one
// arm, and samples are not tiny. Below 2 units in an arm nothing is
// computed; with few conversions (say fewer than 10 per arm) the numbers
// are computed but not to be trusted. Each variant is compared with the
// control alone: with many variants, some will look significant by chance
// (no multiple-comparison correction). The fixed-horizon p-value is only
// valid if you decide once, at the planned sample size; use Sequential if
// the results will be watched and acted on as they come in.
//
// Where we differ from gbstats: it refuses a comparison when either arm has
// zero variance; we compute whatever has a positive standard error, so an
// arm with no conversions still gets its (absolute) difference while its
// relative lift, whose delta-method variance is then zero, is not Defined.
// Beyond 1e5 degrees of freedom the normal replaces the Student t (they
// differ by < 2.4e-5 there), and t quantiles are found by Newton's method
// on gonum's t survival function (faster than, and in the far tail more
// exact than, gonum's StudentsT.Quantile).
//
// Outputs that cannot be computed are not Defined and carry a Reason —
// notably a relative lift when the control's rate is zero — and never NaN.
// Malformed input (negative units, conversions above units, Σx² below
// (Σx)²/n, α outside (0, 1)) is an error matching ErrInvalidInput.
//
// # What each output means, in plain words
//
//   - Mean: the conversion rate (or average revenue, or average count) of
//     the visitors in that arm.
//   - Relative lift: how much better or worse the variant did than the
//     control, in percent of the control ("+12 %").
//   - Confidence interval: the range of lifts consistent with the data. If
//     it does not cross zero, the difference is "statistically
//     significant"; if it does, the test cannot tell the arms apart yet.
//   - p-value: how surprising this difference would be if the variant
//     really made no difference. Small (below α) means "unlikely to be
//     luck".
//   - Chance to win: the probability that the variant is truly better than
//     the control. 95 % means "very likely better"; 50 % means "no idea".
//   - Expected loss: how much lift you would give up, on average, if you
//     ship the variant and it turns out worse. Ship when it is below what
//     you can afford to lose.
//   - SRM warning: the arms did not get the traffic share they were
//     configured for ("arm b got 53 % instead of 50 %"). Something is
//     broken in assignment or tracking, and no other number can be trusted
//     until the cause is found.
//   - Multiple exposures: visitors who saw more than one arm. A large share
//     blurs the difference between arms.
//   - Sequential: the intervals are wider, but stay honest however often
//     you look; without it, checking daily and stopping at the first
//     significant day finds "winners" that are not.
//   - CUPED: uses what visitors did before the test to remove noise, so the
//     same traffic gives narrower intervals.
package stats
