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
// background loader reads the person's newest records (Config.Records per
// visitor id) from the store in batches. What this replica decides is
// added at once (Note, with the record's id); a load replaces what was
// loaded before and keeps this replica's exposures it did not return yet.
// Exposures are merged by decision id, so nothing is counted twice.
//
// # How far replicas can over-deliver
//
// Replicas do not talk to each other; each learns of the others'
// exposures only through the store, late by the log's lag plus one load.
// To bound what that costs, a replica holds at most one unconfirmed
// exposure per person and target: once it has shown a capped target to a
// person, it shows it to that person again only after a load has returned
// that exposure from the store (it reloads every Config.Flush while it
// waits). Meanwhile the target is skipped ("capped for now: ... the last
// not yet counted across replicas"). So:
//
//   - one replica alone never shows a target more than Max times: every
//     exposure it made is in its count, confirmed or not;
//   - with R replicas, every exposure missing from a replica's count when
//     it decides was made by another replica and is either that replica's
//     single unconfirmed one, or was stored after this replica's last
//     load. With loads at least every Flush while persons are active, a
//     replica is missing at most one exposure per other replica, and the
//     person sees a capped target at most Max + (R − 1) times: one per
//     other replica per flush interval (TestOverDeliveryBound in server/
//     runs two instances on one database and checks Max + 1).
//
// An exposure whose record never reaches the store (the recorder dropped
// it) stops holding the target after Config.PendingTimeout and is counted
// from memory alone.
package capcount
