// Package measurement is the contract of client events: what a client may
// report about what it showed and what the visitor did, how a batch of them
// is checked, and where accepted events go. It knows no NATS, no SQL and no
// HTTP: [ParseBatch] is pure, the durable log and the store are interfaces
// ([Log], [Store]) that measurement/eventlog and storage/postgres implement.
//
// # Events
//
// Every event has a client-generated id (1 to 64 characters of letters,
// digits and . _ : -; a UUID is the usual choice), a type and a visitorId.
// Duplicates of an id are dropped: a batch resent whole by the log within
// its dedupe window (MOSAIC_EVENTS_DEDUPE_WINDOW, 30 s), and for good by
// the store, whose key is (id, day).
//
//	| type       | required                   | optional                    |
//	|------------|----------------------------|-----------------------------|
//	| view       | decisionId+blockId, or entry | userId                    |
//	| conversion | goal                       | value (±1e12), currency (with value), userId |
//	| track      | name                       | properties (object), userId |
//	| identify   | userId                     | traits (object)             |
//	| consent    | granted and/or withdrawn   | userId                      |
//
// Every event may carry a timestamp (RFC 3339, the client's clock); without
// one it happened when it was received. A view's decisionId must be one
// Mosaic returned (decisionid.go): /collect cannot look it up (its record
// lands asynchronously, maybe from another replica), so it refuses, as
// UNKNOWN_DECISION, an id that is not a UUIDv7 or whose embedded time is
// after the view (a minute's leeway for clocks) or more than
// [Limits].MaxAge before it. Consent purposes are
// personalization, measurement and storage. A field of another type's
// event, or an unknown field, refuses the event: a typo must not quietly
// lose data.
//
// # Batches
//
// A batch is {"events":[…], "sentAt":"…"}: at most [MaxEvents] events and
// [MaxBodyBytes] bytes, read in one pass (json.Valid, then a walk of the
// bytes: jsonread.go) with encoding/json's rules. A body that is not such an object, or breaks those
// limits, is refused whole (BAD_USER_INPUT); otherwise every event is judged
// on its own and one bad event never sinks the batch: [Batch] lists the
// accepted events and a [Rejection] (index, code, message) per refused one.
//
// # Time
//
// Clients' clocks are wrong (kiosks, offline apps, a phone set by hand).
// When the batch says when it was sent (sentAt, on the client's clock),
// every timestamp is shifted by receivedAt − sentAt: the skew is measured
// once per batch and assumed steady while the batch was gathered. Corrected
// times older than [Limits].MaxAge are refused (TOO_OLD), later than
// receivedAt + MaxFuture too (IN_FUTURE): both name the bound.
//
// # Flow
//
// [Collector.Collect] parses a batch and appends the accepted events to the
// durable [Log] before the caller answers 202: an accepted event is on disk
// (JetStream's acknowledgement), never only in memory. A consumer writes
// the log into the [Store] in batches, idempotently, and acknowledges after
// the commit, so an outage of the store delays events, never loses them.
// A full log is [ErrLogFull] (SERVICE_UNAVAILABLE: retry later).
//
// # Decision records
//
// Delivery writes a [Decision] per entry a client asked for (not linked
// entries) that it decided for an identified visitor at the request's
// instant — never for a preview, an editor's time travel or a visitor
// without an id: a UUIDv7 id returned to the client as Entry.decisionId,
// the context, the entry version, and per block its variant, experiment,
// arm, campaign and [ReasonClass] (and the visitor's segments, which travel
// the log for measurement/recommend but are not stored). Recording never
// makes delivery wait: a
// [Recorder] puts the record in a bounded buffer and returns; one
// goroutine appends the buffer to the log ([DecisionLog]) in batches, and
// the log's consumer writes them to the [DecisionStore] (PostgreSQL
// measurement_decisions, idempotent by id). A full buffer or a log that
// refuses a batch drops records and counts them
// (mosaic_measurement_decisions_dropped_total).
//
// # Cached copies
//
// A record is written when delivery computes an answer. The answer —
// its decisionId with it — is shared like any other: the response cache
// and CDNs serve its bytes to other visitors of the same class (the same
// decisions), and those serves write nothing. They are counted when the
// client reports what it showed: a view naming the decisionId
// (views.go). A view by a visitor other than the record's becomes that
// visitor's own record: the record's decisions, the viewer's id, the
// view's time, a UUIDv5 id of decision and viewer ([DerivedID]), written
// through the [DecisionStore]'s move like any record (exposures,
// rollups, a withdrawal refusing it), once per viewer and decision.
// The events' transaction notes such views; a [ViewSweeper] on every
// replica settles them once their records are there (derived, own,
// repeat, anonymous — a record naming no visitor, decided without
// measurement consent, is nobody's to derive from —, withdrawn, or
// unmatched after [ViewWait]), counted in
// mosaic_measurement_views_settled_total. So a storefront that measures
// pays a record per computation, not per serve, and every shown copy
// counts. MOSAIC_DECISION_RECORDS=delivery writes a record per serve
// instead: an answer showing decisionId is then each visitor's own
// (Cache-Control private, no-store, no ETag), the response cache splicing
// each visitor's fresh ids into the kept bytes (graph/respsplice.go), at
// the cost bench/RESULTS.md shows. Answers that read a person's frequency
// caps are private in both: caps count deliveries. A document without
// decisionId writes a record each time it is computed; its cached copies
// write none and cannot be named by a view: their trace is the views
// naming the entry.
// MOSAIC_DECISION_RECORDS=off turns records off (no Recorder: decisionId
// is null); it exists to measure what they cost (bench/load -records).
//
// # Rollups
//
// Reports read rollups of sufficient statistics, never raw rows. They are
// kept by the store in the transaction that writes each batch of events or
// records, from the rows that batch made new, so a redelivered batch adds
// nothing; the arithmetic is here (rollup.go), pure:
//
//   - Exposures: a unit's first recorded exposure to an experiment
//     ([ExposuresOf], [MergeExposures]) fixes its arm, time, device,
//     channel and locale for good; every arm it is shown is kept, and a
//     unit shown a second arm counts once as a multiple exposure. Rolled
//     up as units and multi-arm units per experiment × arm × device ×
//     channel × locale × day of first exposure. A campaign is a subject
//     too ([CampaignSubject], its variants as arms), so its conversions,
//     revenue and their variance after first reach roll up as an
//     experiment's do. The people held out of a campaign's holdout
//     (BlockDecision.Cohort, reason class holdout) are its arm "holdout"
//     ([BlockDecision.CampaignArm]): the control its lift is measured
//     against.
//
//   - Metric totals: a conversion (by goal) or track event (by name)
//     counts for each experiment its unit was exposed to, at or after the
//     exposure and within each of [Windows] (24 h, 72 h, 7 d, 30 d; a
//     metric's conversion window is one of them). Per unit, experiment,
//     event name and window the store keeps the total (count, Σ value);
//     when it changes from (c, s) to (c′, s′) the rollup per experiment ×
//     arm × event name × window × device × channel × locale × day of first
//     exposure
//     gets converters += [c = 0 < c′], Σcount += c′−c, Σcount² += c′²−c²,
//     Σvalue += s′−s, Σvalue² += s′²−s² ([ApplyContributions]). With the
//     exposure rollup's units (units without events count 0) that is a
//     rate or a mean and its variance per arm. Views, identify and consent
//     events are not metrics; property filters on metrics need raw rows.
//
//   - Order: events and records come through two consumers. A conversion
//     stored before its exposure record is counted when the record is
//     written (the store looks up the unit's earlier events in the
//     windows); one lock per schema, taken after a batch's rows are in and
//     held to its commit, makes each event count exactly once per
//     experiment.
//
//   - Campaign reach: per campaign × variant × day the distinct visitor
//     ids reached (a set of one row per visitor id and day, from which the
//     distinct count of people over any range is taken, each visitor id
//     resolved to its person when the report reads, so a merge or unmerge
//     after the exposure counts) and per campaign × variant × device ×
//     channel × day the visitor ids first reached that day and the blocks
//     shown ([CampaignExposuresOf]). Rows written before migration 000023
//     hold the person's unit (a cluster id), which resolves to itself.
//     A held-out block reaches no one.
//
//   - Funnels' copy of the events: each view, conversion and track event
//     as (day, name id, time, the visitor id's 64-bit hash), so a funnel
//     reads narrow rows from an index instead of the events table; the
//     person is resolved when the funnel reads, like KPIs'.
//
//   - Site-wide KPIs ([KpiOfEvents], [KpiOfDecisions]): per visitor id
//     its latest decision record's device, channel and locale (a visitor
//     id is one browser or app install; events carry no context) and
//     when it was first seen; the days it was seen (views, conversions,
//     track and identify events, decision records; not consent answers);
//     its conversions per goal and day (count, those with a value, their
//     sum, the first one's time). Kept per visitor id, not per unit: the
//     KPI report resolves people when it reads, so a merge counts for
//     past days too (measurement/report's package comment).
//
// A record without a visitor id (no measurement consent) exposes no unit:
// its exposures are counted in aggregate only ([AnonymousExposures]), and
// no event can be attributed to it.
//
// The unit is the person: [Units] maps visitor ids to units and back. The
// default, [VisitorUnits], takes each visitor id as a unit; the server
// counts identity clusters (the store's IdentityUnits, set with SetUnits):
// a linked visitor id's unit is its cluster id, so a person exposed on one
// device and converting on another is one unit. A unit is resolved when
// its rows are written: an event stored in the same batch as the identify
// that links its visitor id counts under the cluster (the store overlays
// the batch's own links), and a later link or merge does not move rows
// already rolled up under the visitor id.
// Erasure and a withdrawal of measurement delete the per-unit rows of the
// person (cluster and visitor ids); the aggregates keep their counts.
//
// Cached answers without a decisionId write no record, so they expose no
// unit to an experiment and reach no one in the campaign rollups (those
// with one are counted through their views: Cached copies, above); the
// client's view events naming the entry are their trace, rolled up as
// views per entry and day ([EntryViews]). Views naming a decision are not
// rolled up as views: the decision record (the viewer's own, or derived
// from the view) counts that exposure.
//
// Events and records are kept MOSAIC_EVENTS_RETENTION_DAYS: the store
// keeps them in day partitions and drops whole days past it (rollups:
// below).
//
// # Identities
//
// identify events (visitorId is userId) join a person's visitor ids into
// an identity cluster, with at most one user id; the rules
// (measurement/identity: blocked values, one user id per cluster,
// MOSAIC_IDENTITY_MAX_VISITORS per MOSAIC_IDENTITY_WINDOW, kiosk sessions,
// an append-only link history, unmerges that hold) are applied by the
// log's consumer in the transaction that stores the events — never while
// a request waits. /collect already refuses an identify naming a
// placeholder id (BLOCKED_VALUE). Each stored identify's outcome is
// counted once its batch commits (mosaic_measurement_identities_total by
// outcome and refusal code), and visitors the [ArmCache] could not load
// or forgot (mosaic_measurement_arm_cache_drops_total by reason). A person's experiment arm is first-touch
// per cluster; later exposures of its other devices to another arm are
// marked conflict ([PeopleStore].ClusterOf is the person key reports
// count by). Delivery keeps the person's arm on every device: an
// [ArmCache] answers a visitor's pinned arms from memory (never a
// database round trip in the request) and loads what it does not know in
// the background, so a device's first requests after its sign-in (until
// the identify is stored and the pins loaded, at most the cache's TTL,
// 30 s by default) may still show its own bucket; those exposures are the
// conflicts.
//
// # Consent
//
// Purposes are measurement/consent's. Delivery records a decision against
// the visitor only with measurement; without it the record carries no
// visitor id (counted in aggregate). A consent event withdrawing
// measurement deletes the visitor id's decision records, view, conversion
// and track events and exposures up to the withdrawal (the consent events
// stay: they are the record of the choice), also records that reach the
// store after it; withdrawing personalization deletes the traits its
// identify events stored. Consent is per visitor id, as a browser's
// choice is.
//
// # Editors
//
// [People] answers the editors' GraphQL views (visitorProfile, decision,
// eventCounts) and runs deleteVisitorData (right to erasure: every record
// of the person's cluster, idempotent) and unmergeIdentity; both are
// audited by the GraphQL audit log, which keeps the ids the editor named.
//
// A decision record of a visitor id already linked to a user id when the
// consumer writes it names that user id; earlier records stay as written
// (the cluster joins them).
//
// Screen bundles carry a decision id per frame when asked for a visitor
// (a kiosk session); a bundle for a context is decided for no one and
// records nothing (bundle's package comment).
//
// Erasure removes what is stored: events of the person still in the
// durable log when it runs land afterwards.
//
// Retention of rollups: the per-unit rows (a unit's exposures with its
// metric totals, its campaign reach days) are personal data and follow
// MOSAIC_EVENTS_RETENTION_DAYS, but are kept at least the acceptance
// window plus the longest conversion window, which a late conversion
// still counts in; a unit exposed again after its exposure row went
// counts as a new unit. The daily aggregates name no one and are small:
// MOSAIC_ROLLUP_RETENTION_DAYS (0, the default, keeps them all; else at
// least that same floor) deletes the days before it. Both run hourly with
// the partition drops. The person's pinned arm (identity exposures) is
// identity's and stays.
//
// After unmergeIdentity the rollups are not rewritten. What the cluster
// counted while the visitor id was linked stays the cluster's: its
// exposure (the person's first-touch arm, day, device), its metric totals
// and the daily aggregates built from them (campaign outcomes included),
// so experiment results and a campaign's units and conversions still
// count that person once, as before the unmerge. Reports that resolve
// people when they read — kpis (people, lifetime value, time to
// conversion), funnel (people, cross-device steps) and campaign reach
// (from migration 000023 on) — split the person at once: the unlinked
// visitor id is a person of its own in every report computed after the
// unmerge, past days included. From the
// unmerge on, the visitor id is its own unit: its next conversions count
// against an exposure of its own (one from before its link, or the next
// decision record's, which then adds a unit to the experiment in the arm
// it is shown), never against the cluster's. Rows are not moved back
// because per-unit rows hold totals, not which device brought them:
// splitting them needs the raw events and decision records re-read and
// past days' aggregates (sums of squares included) taken apart, from raw
// rows that retention may already have dropped.
//
// Not yet: moving rollup rows back on
// unmergeIdentity (above); a decision record written in the same
// transaction as an identify does not exist (records and events have
// separate consumers), so only events get the batch's links. Measured on
// this loaded 2-core machine (bench/RESULTS.md): /collect accepts 30–47 k
// events/s and writes 12–28 k events/s end to end to PostgreSQL (target
// 20,000, reached in 2 runs of 5, median 19,700; the consumer's database
// work is now the limit), and decision records cost 14–19 % of server CPU per
// executed request (target 5 %, not met; the record's encoding is no
// longer the cost, which is not yet attributed) — nothing for answers
// served from the response cache.
package measurement
