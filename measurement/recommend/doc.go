// Package recommend keeps what recommendations are read from — views per
// entry, co-views, each person's history and purchases — in memory,
// updated incrementally from the event log and answered without a
// database round trip (delivery asks it per block; content.Recommend is
// how a field asks for it).
//
// # Sources
//
//   - popular: the entries with the most views in a window (whole hours
//     up to 24h, whole days up to 30d: counts.go), among everyone or the
//     visitors of one device, channel or segment. A view counts under the
//     dimensions of the visitor's latest decision record the engine has
//     seen (device, channel, segments); a view before any record counts
//     only under everyone. Rankings are recomputed from the counters at
//     most every Config.Refresh (1 s): the bound on how long a new view
//     takes to move one.
//   - alsoViewed: for the current entry, the entries most people viewed
//     too: when a person views an entry for the first time (among the
//     last Config.MaxRecent they viewed), it is paired once with each of
//     those. Counts are people, not views; an entry keeps its
//     Config.MaxNeighbors (50) most co-viewed neighbours, up to half as
//     many again between prunes. Co-views have no
//     window: they are counted from the start-up rebuild (the last 30
//     days) on.
//   - recentlyViewed: the person's last distinct entries, most recent
//     first. The person is the identity cluster (measurement/identity):
//     each batch's visitor ids are resolved through measurement.Units
//     after its commit, and a visitor id newly linked brings its history
//     to the cluster, so what was viewed on the phone shows on the tablet
//     once both are signed in.
//
// The current entry is never recommended; ExcludePurchased leaves out
// what the person bought: a track event named "purchase" whose
// properties name the entry ("entry": id, or "entries": [ids]).
// Views are counted by the view event's entry, which delivery resolves
// as an entry id (what Entry.id says).
//
// # Feed
//
// [Events] and [Decisions] wrap the stores the log's consumers write to:
// a batch is observed after its commit, and a batch redelivered whole
// (nothing new written) is not counted twice; one that overlaps a stored
// batch only partly (rare: the log drops whole resends first) counts its
// old events again. [Engine.Rebuild] reads the
// last 30 days back from the store at start (segments are not stored:
// until a visitor's next record, its views count under device and
// channel only); live batches wait meanwhile and are applied after it,
// those it already read skipped. With several replicas sharing an
// external NATS stream each event is consumed by one replica, so a
// committed batch is not counted where it was committed but published
// ([Engine.Share], plain NATS through measurement/eventlog) and counted by
// every replica's engine on receipt, that one included. At most once: a
// replica cut off from NATS misses what was published meanwhile until its
// next start rebuilds it. With the embedded log (no other replica can
// connect) internal/app does not share: batches are counted where they
// are committed.
//
// # Privacy
//
// A consent event withdrawing measurement or personalization forgets the
// person's history and purchases here (per-person sources then show the
// editor's list). Erasure (deleteVisitorData) forgets the cluster and its
// visitor ids at once, on every replica when they share batches
// ([Engine.Forget]); aggregate counts name no one and stay. Delivery asks
// for per-person sources only with personalization consent and a visitor
// id, and marks such answers as the visitor's own (never kept by a
// cache, whoever asks).
//
// # Bounds
//
// Per entry and audience a counter is ~150 bytes (31 daily slots, and 24
// hourly ones while the entry had views in the last day); a co-view pair
// ~55 bytes, at most 75 per entry; people and visitor ids are kept up to
// Config.MaxPeople (MOSAIC_RECOMMEND_MAX_PEOPLE), least recently active
// dropped first. bench/RESULTS.md (issue 19) has the
// measured memory per 100,000 products and the freshness.
package recommend
