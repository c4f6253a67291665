// Package capcount counts, per person, the exposures frequency caps are
// kept on (personalization.Cap), in memory, so that deciding a capped
// variant costs no database round trip.
//
// # Where counts come from
//
// An exposure is a decision record (measurement.Decision) whose block
// showed a variant (target: block and variant), a campaign's variant
// (target: the campaign) or an experiment's arm (target: the experiment);
// personalization.Exposed is that rule, used both for what this replica
// decides (Counter.Note) and for what it loads. Records are written by
// the event log's consumer to measurement_decisions; a person is an
// identity cluster (measurement/identity), so a load returns the records
// of every visitor id of the cluster: a second device, once identified,
// is counted with the first. Only records naming a visitor count, that is
// visitors with an id and measurement consent; anyone else cannot be
// counted, and a capped target is not shown to them (a cap is a promise
// the engine could not keep for them).
//
// # Memory, then the shared store
//
// Counter.CapCount answers from memory at once. The first time a person
// is asked about, and again when its counts are older than Config.TTL, a
// background loader reads the person's records from the store in batches.
// What this replica decides is added at once (Note, with the record's
// id); a load replaces what was loaded before from its start on and keeps
// this replica's exposures it did not return yet. Exposures are merged by
// decision id, so nothing is counted twice.
//
// Only capped targets are kept: the engine asks CapCount only about
// targets with a cap, so the targets asked about are the capped ones, and
// a record's or a Note's other targets (most blocks' variants) are
// dropped. A target asked about for the first time — a cap an editor just
// published — has no history in the memory of people loaded before, so
// each of them is answered "not loaded" for it until a full load.
//
// Loads are incremental: the first is in full (the newest Config.Records
// records per visitor id), later ones read only the records from the
// newest loaded one on, less Config.Slack for records the log stored
// late, so a reload costs what happened since, not the person's history
// again. A person is loaded in full again when a new cap appears, when its
// cluster gains or loses a visitor id, and every Config.Full (records
// stored later than Slack after their time are counted from then).
// Memory is bounded: Config.MaxPeople people, Config.Records exposures
// per person and target (the newest), Config.MaxTargets capped targets.
//
// # How far replicas can over-deliver
//
// Replicas do not talk to each other; each learns of the others'
// exposures only through the store, late by the log's lag plus one load.
// Three rules bound what that costs:
//
//  1. a person whose counts are not loaded yet is not shown a capped
//     target ("capped for now: the person's views are being loaded"): a
//     replica never decides from an empty memory of someone;
//  2. a replica holds at most one unconfirmed exposure per person and
//     target: once it has shown a capped target to a person, it shows it
//     to that person again only after a load returned that exposure from
//     the store (it reloads every Config.Flush while it waits);
//  3. deciding an entry and noting what it showed happen under one lock
//     per visitor id (Counter.Hold), so a visitor's concurrent requests
//     on one replica cannot both take the last exposure.
//
// So one replica alone never shows a target more than Max times: every
// exposure it made is in its count. With R replicas, an exposure missing
// from a replica's count when it decides was made by another replica and
// not yet stored when this replica last loaded; each other replica has at
// most one exposure not yet stored (rule 2), and the store orders writes,
// so of two replicas waiting on each other's last exposure the later
// load sees the earlier write. A person therefore sees a capped target at
// most Max + (R − 1) times: one per other replica, however long the
// contention lasts. TestOverDeliveryBound (server/) runs two instances on
// one database, two concurrent clients each per person, and checks that
// nobody sees it more than Max + 1 times (and fails without rule 3).
//
// The price is reach, never over-delivery: the first view of a person a
// replica has not loaded, and views while its last exposure travels
// through the log (milliseconds to a second), skip the capped target and
// are reported as pending suppressions.
//
// A variant cap counts on the variant's block (target: block id and
// variant key). A global block's variants are its entry's: they count on
// the global entry's id wherever it is placed, and when it is delivered on
// its own (personalization.Block.CapID; records carry the block's globalId),
// so one budget holds across every page that shows it.
//
// A linked entry (a product in a productList, decided inside its
// parent's answer) counts as any entry does: when deciding it read caps,
// delivery writes it a decision record of its own when — and only when —
// it is delivered (delivery/linked.go). Limits: two devices of one
// person deciding in the same instant on one replica hold different
// locks.
//
// An exposure whose record never reaches the store (the recorder dropped
// it) stops holding the target after Config.PendingTimeout and is counted
// from memory alone.
package capcount
