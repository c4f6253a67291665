// Package personalization is Mosaic's decision engine: for one request it
// turns a visitor's context into segments and picks exactly one variant of
// every block, deterministically, with a reason in words.
//
// It is pure: no I/O, no clocks except an injectable Options.Now, no
// package state except the immutable CEL environment. Storage and GraphQL
// adapters feed it segments, campaigns and experiments and render its
// decisions.
//
// # Flow
//
// Once, when definitions change: CompileSegments (CEL rules, checked with
// positions, cost-bounded), then NewEngine with the campaigns and
// experiments. Once per request: Engine.Visitor, which applies consent purposes,
// fixes the instant and evaluates the segments. Then per block:
// Visitor.Decide or Visitor.DecidePage; Merge applies the chosen
// variant's overrides; Visitor.Explain tells editors why.
//
// # Eligibility
//
// A variant is eligible when all of these hold:
//
//   - its Targeting matches: every non-empty dimension (segments, devices,
//     channels, locales) contains a value of the visitor's (any-of within a
//     dimension, all-of across dimensions);
//   - it has no Campaign, or that campaign is live at Context.At for
//     Context.Channel ([StartsAt, EndsAt), not stopped, channel in scope);
//   - it has no Experiment, or the visitor is bucketed into its Arm;
//   - no frequency cap stops it: its own Cap, its campaign's or its
//     experiment's, counted on the person through Context.Caps (cap.go;
//     checked last, so only otherwise eligible variants are counted). A
//     capped variant is skipped, the decision's reason names it and
//     Decision.Suppressed lists it if it would have won; without a
//     counter (nobody to count) a capped variant is never shown.
//
// A variant naming an unknown campaign or experiment is never eligible.
// Nor is one naming an experiment that is not running (Experiment.Stopped:
// a draft, or stopped): it buckets nobody, a pinned arm included, records
// no exposure, and the default decision says "experiment X is not running".
//
// # Precedence
//
// Among eligible variants the first rule that separates two decides:
//
//  1. variants of a live campaign before variants without a campaign;
//  2. higher campaign Priority;
//  3. more specific targeting: the number of non-empty targeting
//     dimensions, plus one for an experiment;
//  4. higher Variant.Priority;
//  5. earlier in the block's list.
//
// The order is total, so the result never depends on map order or timing.
// With no eligible variant the block shows "default". If the visitor is
// bucketed into an experiment arm that has no variant in the block (a
// control arm), the default decision still names the experiment and arm
// so the exposure can be recorded.
//
// # Consent
//
// Context.Purposes says what the visitor consented to
// (measurement/consent reads it from the request). Without personalization
// the engine uses no segments: explicit segments, traits and the behaviour
// profile are dropped before anything reads them and no rule runs, so only context-level
// targeting applies — device, channel, locale and campaigns; a default
// shown because a variant needed a segment says so in its reason. Without
// measurement, experiments still bucket, on the visitor id and the UTC day
// (a key stored nowhere, so a refresh keeps the arm and tomorrow may not),
// and the reason says "bucketed for the day: no measurement consent".
// Without a visitor id nothing buckets.
//
// # Segment rules
//
// Rules are CEL expressions over `context` and `traits` that must evaluate
// to bool; see CompileRule. Behavioural rules also read the person's
// history through `events`, `profile` and `now` (behaviour.go,
// measurement/profile): Context.Profile, nil for an empty history (a
// profile not loaded yet is never an error). A rule reading them counts
// as reading the visitor id (SegmentSet.ReadsVisitorID): its segments
// depend on who the visitor is. Each evaluation is limited to MaxRuleCost and
// rules whose worst-case cost exceeds it are rejected when saved. A rule
// that fails at run time (missing trait, wrong type) does not match; the
// failure is logged once per segment and kind of error, not per request.
//
// # Bucketing
//
// Experiments use deterministic, sticky, weighted rendezvous hashing over
// SHA-256, specified in Bucket's doc comment so any client SDK can
// reimplement it; testdata/bucketing_vectors.json holds golden vectors.
// Changing weights moves few visitors, adding or removing an arm moves only
// visitors into or out of that arm. A visitor without an ID is never
// bucketed.
//
// # Campaign holdouts
//
// A campaign with a Holdout share (0 to MaxHoldout) keeps that share of
// the people its variants would win for on the block's default while it
// is live: when the winner of a block is a variant of such a campaign,
// the visitor is held out iff Bucket's holdout step, with
// HoldoutSubject(campaign) as the experiment key, says so — on the same
// bucketing key as experiments (the visitor id; without measurement
// consent a key for the UTC day), or their pinned cohort (Context.Arms
// under HoldoutSubject: first touch per identity cluster, "holdout" or
// "exposed"). A held-out decision shows "default" with no Campaign (the
// campaign's content and caps are untouched) and names the campaign in
// HoldoutCampaign with HeldOut set, its reason "held out of campaign X
// (10 % holdout): default"; a shown one names it in HoldoutCampaign too.
// Liveness is not affected: the holdout applies only while a variant of
// the campaign wins, so launch and stop stay exact. The cohort is part
// of Key and of AppendArmsOf for the HoldoutSubject key.
//
// # Caching
//
// A decision depends on the instant only through campaign windows, so it
// stays valid until NextTransition; cap cache entries and max-age there.
package personalization
