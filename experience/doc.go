// Package experience is the personalization service: it owns segments and
// experiments, keeps the compiled decision engine ready for every request,
// checks variants when editors save them, and decides a whole delivered
// entry — its own variants and every block's — in one pass.
//
// It sits between the pure engine (package personalization) and the
// adapters: persistence comes in through the Store interface (implemented
// by storage/postgres), content through the content package's types, and
// graph/ turns its results into GraphQL. It knows no SQL, HTTP or GraphQL.
//
// # The engine cache
//
// Compiling CEL rules costs far more than evaluating them, so the engine is
// built once from the stored segments, experiments and campaigns and
// swapped in atomically. Every write through the Service rebuilds it before
// returning (an editor reads their own write), and the store announces the
// write on the change feed so other replicas rebuild too (Service.Reload).
// A stored rule that no longer compiles (say, after a CEL upgrade) is
// logged and left out rather than taking delivery down.
//
// # Variants in content
//
// Variants are stored inside content: an inline block's "variants" list and
// an entry's own variants (used for global blocks, which are entries). Each
// is the JSON form of personalization.Variant:
//
//	{"key": "vip", "targeting": {"segments": ["vip"], "devices": ["mobile"],
//	 "channels": ["web"], "locales": ["en"]}, "campaign": "winter-sale",
//	 "experiment": "cta-test", "arm": "b", "priority": 1,
//	 "fields": {"title": "Welcome back"}}
//
// ParseVariants reads that form strictly; delivery reads it leniently,
// straight from the stored JSON (stored.go). Service.CheckVariants is the hook
// the content service calls on every save, so a variant naming an unknown
// device, channel, experiment or arm is refused before it is written.
// Editor adds, edits, removes and reorders variants on a draft with the
// same expectedVersion concurrency as any other draft edit.
//
// # Rolling a winner out
//
// StopAndRollout stops an experiment and makes its winning arm's copy the
// default of every block that tested it, as ordinary draft saves and
// publications (new versions in each entry's history, undone with
// rollbackEntry). It refuses up front, before changing anything, when an
// entry has unpublished draft edits: publishing them is not its call.
//
// # Deleting definitions
//
// Deleting a segment or an experiment does not touch content: a variant
// naming a deleted segment matches only visitors who still send it, and a
// variant naming an unknown experiment is never eligible (saving or
// publishing a draft that still names either is refused until the variant
// is fixed, since CheckVariants runs on every save and publish). A variant
// may target only defined segments, so a typo is refused rather than saved
// as a variant nobody sees; explicit segments (sent by a client or a CDP)
// are declared once as a segment without a rule.
package experience
