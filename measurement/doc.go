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
// Duplicates of an id are dropped: by the log within its dedupe window, and
// for good by the store, whose key is (id, day).
//
//	| type       | required                   | optional                    |
//	|------------|----------------------------|-----------------------------|
//	| view       | decisionId+blockId, or entry | userId                    |
//	| conversion | goal                       | value, currency (with value), userId |
//	| track      | name                       | properties (object), userId |
//	| identify   | userId                     | traits (object)             |
//	| consent    | granted and/or withdrawn   | userId                      |
//
// Every event may carry a timestamp (RFC 3339, the client's clock); without
// one it happened when it was received. Consent purposes are
// personalization, measurement and storage. A field of another type's
// event, or an unknown field, refuses the event: a typo must not quietly
// lose data.
//
// # Batches
//
// A batch is {"events":[…], "sentAt":"…"}: at most [MaxEvents] events and
// [MaxBodyBytes] bytes. A body that is not such an object, or breaks those
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
// arm, campaign and [ReasonClass]. Recording never makes delivery wait: a
// [Recorder] puts the record in a bounded buffer and returns; one
// goroutine appends the buffer to the log ([DecisionLog]) in batches, and
// the log's consumer writes them to the [DecisionStore] (PostgreSQL
// measurement_decisions, idempotent by id). A full buffer or a log that
// refuses a batch drops records and counts them
// (mosaic_measurement_decisions_dropped_total). Cached answers: a document
// selecting decisionId is never served from a cache (the response cache
// bypasses it, Cache-Control is private, no-store). A document without it
// still writes a record each time it is executed, but its answers served
// from the response cache or a CDN write none: those exposures are counted
// from the client's view events, which name the entry.
//
// Events and records are kept MOSAIC_EVENTS_RETENTION_DAYS: the store
// keeps them in day partitions and drops whole days past it.
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
// placeholder id (BLOCKED_VALUE). A person's experiment arm is first-touch
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
// Not yet (issue 17, later parts): decision ids in screen bundles and
// rollups. Erasure removes what is stored: events
// of the person still in the durable log when it runs land afterwards.
package measurement
