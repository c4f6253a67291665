// Package report answers marketers' questions from the measurement
// rollups (migration 000014): which metrics an experiment is judged on
// (metrics as data, stored and audited), how each arm did on one of them
// (experimentResults), with the statistics of package stats, and who was
// kept out of a test by a higher-precedence variant (Eligibility).
//
// Results never scan raw events or decision records: a report reads per-arm
// sums over days of first exposure, which measurement/rollup.go keeps per
// experiment × arm × event × conversion window × device × channel × locale
// × day, and hands them to stats.Analyze. So:
//
//   - A metric's conversion window must be one of the rollup windows
//     (measurement.Windows: 24h, 72h, 7d, 30d); another cannot be derived
//     (the sum of squares of per-unit totals does not add across windows).
//   - A property filter ("purchase where plan = pro") cannot be answered:
//     the rollups keep totals per event name only. createMetric refuses a
//     filter with BAD_USER_INPUT rather than silently ignoring it.
//   - The unit is the person (identity cluster), as the rollups count it;
//     "visitors" in a report are such units.
//   - from/to select cohorts by the UTC day of first exposure. A unit's
//     events count within its window from its own first exposure; units
//     exposed less than a window ago are counted with the events they have
//     sent so far (their window is still open), so the latest days
//     understate a metric until their window closes.
//
// Results can carry a per-day series (each UTC day's cohort and running
// totals, the rollups grouped by day) and breakdowns by DEVICE, CHANNEL or
// LOCALE of the unit's first exposure: both rollups keep those columns,
// so a unit and its metric sums fall in the same cell and each cell is
// analysed like the whole. SEGMENT is refused: segments are evaluated per
// request and the rollups keep none (see Segment).
//
// Metric kinds map to stats as: CONVERSION → Proportion (units with at
// least one such event); REVENUE → Mean of the per-unit sum of values;
// COUNT → Mean of the per-unit number of events.
//
// Scheduled reports (Announcer) go out as webhook events: report.daily,
// each running experiment's summary over its run on its primary and
// guardrail metrics, once per UTC day; and experiment.sample_reached once
// per run when its units reach its planned sample size. Every replica
// runs the rounds; a claim row written in the same transaction as the
// event (AnnounceStore.Announce) makes each announcement happen once,
// also after restarts, and unlike the event log it is never pruned.
//
// The eligibility report is the exception: the rollups keep exposures
// only, not the visitors a segment, device or campaign variant took
// first, so it reads decision records (each block's reason class) over a
// required range of at most 31 days and says how many it read.
package report
