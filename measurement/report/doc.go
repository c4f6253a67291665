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
// A campaign's report (CampaignReport) reads its reach rollups and, for
// an event, the metric rollups kept under measurement.CampaignSubject;
// WithHoldout compares its "holdout" arm (the people held out of the
// campaign, the control) with every variant's people through
// stats.Analyze — the lift of the conversion rate and of revenue per
// visitor, with intervals, p-values and an SRM check against the holdout
// share — and says in words when that lift cannot be read.
//
// Scheduled reports (Announcer) go out as webhook events: report.daily,
// each running experiment's summary over its run on its primary and
// guardrail metrics, once per UTC day; and experiment.sample_reached once
// per run when its units reach its planned sample size. Every replica
// runs the rounds; a claim row written in the same transaction as the
// event (AnnounceStore.Announce) makes each announcement happen once,
// also after restarts, and unlike the event log it is never pruned.
// A round looks back one day only: the first check of a new installation
// (one MOSAIC_REPORT_INTERVAL after it starts) sends yesterday's
// report.daily although it ran none of yesterday, with the running
// experiments' whole runs up to that check (intended: the numbers are
// whole runs anyway, and a receiver learns at once that reports flow);
// days missed while every replica was down are not sent later.
//
// The eligibility report is the exception: the rollups keep exposures
// only, not the visitors a segment, device or campaign variant took
// first, so it reads decision records (each block's reason class) over a
// required range of at most 31 days and says how many it read.
//
// # KPIs
//
// Kpis reads the site-wide KPI rollup (migration 000016, arithmetic in
// measurement/kpi.go): everyone seen, not only the people an experiment
// exposed. What a marketer reads:
//
//   - People are identity clusters, resolved when the report reads (rows
//     are per visitor id): a phone and a laptop merged by identify are
//     one person in every report, past days included; unmergeIdentity
//     splits them again.
//   - Device, channel and locale are the visitor id's. A visitor id is
//     one browser or app install, so "which device converts" is the
//     device the conversion was sent from; events carry no context, so
//     it is the one delivery saw, from the visitor id's latest decision
//     record. A visitor id delivery never decided for (a client that only
//     sends events, or one without measurement consent when delivered)
//     counts under "". A person seen on two devices is in both cells and
//     once in the total.
//   - Visitors: people with a decision record or a view, conversion, track
//     or identify event on a day of the range (UTC days, both included).
//     Conversion rate = people with a conversion / visitors; AOV = revenue
//     / conversions carrying a value (orders); revenue per visitor =
//     revenue / visitors; LTV = the mean, over the range's people, of all
//     each spent (every device) up to the range's end. goal narrows
//     conversions to one goal.
//   - Time to conversion: for people whose first conversion ever fell in
//     the range, from their first visit on any device; median and p90
//     (PostgreSQL's percentile_cont), with its own sample size.
//   - The rollup's rows are personal data: they follow the per-unit
//     retention (MOSAIC_EVENTS_RETENTION_DAYS, at least the acceptance
//     plus the longest conversion window) and are deleted by erasure and
//     a measurement withdrawal, so KPIs reach back as far as that.
//
// # Funnels
//
// Funnel reads every matching event (a step is any event name, so no
// rollup can hold every funnel) from the events' narrow copy (migration
// 000023: name id, time, visitor id hash; exact, not sampled): the range
// of first steps is at most 31 days, plus the window for the later steps,
// and the report says how many events it read. People are resolved when
// the funnel reads, as for KPIs: a merge after the events joins their
// steps, an unmerge splits them. A person's furthest attempt counts: from a first step in the
// range, each next step is the earliest matching event at or after the
// previous one and within the window of the first (taking the earliest
// never reaches fewer steps). An event before the previous step, outside
// the window, or of another person does not count. Steps done on another
// visitor id of the same person (merged by identify) count and are
// cross-device; visitor ids never merged are two people. A breakdown
// groups funnels by the context of the first step's visitor id. The
// store holds the matching events in memory to sort them by person (32
// bytes each), so a funnel reading more than MaxFunnelEvents (10 M) is
// BAD_USER_INPUT asking for a shorter range. A store that can
// (FunnelPartsStore) feeds one walk per core, each over people of its
// own, and the walks' counts and medians are added up: the same answer
// as one walk.
package report
