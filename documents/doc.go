// Package documents keeps the GraphQL documents Mosaic executes by id.
//
// Trusted documents are a frontend's operations, registered ahead of
// time from the manifest its build writes (Apollo's
// persisted-query-manifest, or the id→text map of GraphQL Code Generator's
// client preset and Relay). Clients then send only the id —
// `GET /graphql?documentId=…` — which is short, cacheable by a CDN, and,
// with MOSAIC_TRUSTED_DOCUMENTS=enforce, the only thing the public may
// send: an arbitrary query is refused unless it is the full text of a
// trusted document or comes from an editor.
//
// Automatic persisted queries (APQ) are kept for development: a client
// registers a query by its SHA-256 the first time it sends it. Both kinds
// live in PostgreSQL, so a hash registered on one replica is known on
// every other; each replica keeps the ones it used in memory.
//
// Ids: a document is found by the id its manifest gave it, by
// "sha256:<hex>" (the GraphQL-over-HTTP persisted documents form) and by
// the bare hex of its text's SHA-256 (APQ's form).
package documents
