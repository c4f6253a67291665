// Package delivery owns what a delivered answer is, for every surface that
// serves published content — GraphQL (graph), signed screen bundles
// (bundle), the REST bundle and heartbeat endpoints (server), the live
// event stream (internal/app's /events):
//
//   - who may read: the one API-key rule (Policy.Authorize: a refused
//     credential is that refusal, never anonymous; public delivery off
//     refuses anonymous callers), channel-limited keys (Channel), and the
//     preview permission that time travel and drafts need (Preview);
//   - the request's instant and the visitor's context (Request.Context:
//     consent defaults, the key's channel, the default locale, the device
//     from a web User-Agent) and one visitor per context per request
//     (Request.Visitor), so segments are computed once;
//   - the entry at that instant, decided once per block for the visitor
//     (Request.Entry, Request.List, Decide): callers map an Entry, they
//     never decide;
//   - the decision record of every entry a client asked for, decided for
//     an identified visitor at the request's instant (Request.Entry,
//     List, EntriesByIDs; not previews, time travel or simulated
//     profiles), and of a linked entry (Request.Linked) whose decision
//     read the person's frequency caps or exposed an experiment arm or a
//     holdout cohort, so that what was delivered to the person is what
//     caps and experiment results count (linked.go):
//     Entry.DecisionID, handed to a non-blocking Recorder
//     (measurement.Recorder); ShowDecision marks an answer carrying one
//     as the visitor's alone (never shared by caches); an in-process
//     cache serving it again writes the next visitor's record from what
//     it kept (Request.Recorded, Entry.ForRecords, Service.Rerecord), so
//     records are built in one place (NewDecision) either way; an answer
//     that read a person's cap counts is private too (CapsRead), and a
//     function of the caps it read and their states (CapChecks), which
//     such a cache keys it on (graph/respcaps.go);
//   - recommended reference lists (recommend.go): a block field whose
//     type names a recommendation source gets the Recommender's entries
//     (measurement/recommend, from memory), published and filtered, then
//     the editor's list to fill it; Block.Recommendations say why. A
//     per-person source makes the answer the visitor's own (Personal:
//     never kept or shared by a cache, whoever asks), an aggregate one
//     bounds its validity by the ranking refresh;
//   - asset fields (WalkAssets, AssetIDs, AssetValue): one walker for
//     expansion in GraphQL and for bundle manifests;
//   - how long the answer stays true (Request.Validity: the content epoch
//     and the next transition — campaign start, end or stop, or scheduled
//     publication — of what it read; MaxAge caps HTTP cache lifetimes
//     there).
//
// It is domain code: no SQL, no HTTP, no GraphQL. Callers parse their own
// transport into an Input and map errors and answers; the rules live here
// once.
package delivery
