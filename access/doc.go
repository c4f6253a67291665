// Package access is who may use Mosaic and what they did: local editor
// accounts with argon2id passwords and a rate-limited login, delivery and
// preview API keys (shown once, stored as SHA-256, scoped, expiring,
// revocable, last use recorded in batches), and the append-only audit log of
// management actions.
//
// It knows no SQL and no GraphQL: storage/postgres implements [Store]; the
// graph package calls the [Service] and records every successful management
// mutation with [Service.Record].
//
// # API key lookups
//
// A request's key is hashed and looked up by hash. Hits and misses are
// cached for Config.KeyCacheTTL (10s) so that delivery traffic costs no
// query per request. Revoking a key takes effect at once on the replica that
// revoked it; the store announces the revocation with its commit and every
// other replica drops its cached lookups when it hears it (ForgetCachedKeys),
// so the TTL only bounds a replica that missed the announcement. Expiry is
// checked on every request. Last use is collected in memory and written once per
// Config.LastUsedInterval, one UPDATE for all keys used.
//
// # The audit log
//
// Rows are appended after the action they describe has committed, so a
// crash between the two loses the row (the action's own tables keep who and
// when for entries, segments and experiments). The table refuses UPDATE,
// DELETE and TRUNCATE by trigger. For defence against a compromised
// application, run Mosaic as a role that does not own the tables and grant
// it only what it needs on the log:
//
//	REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM mosaic_app;
//	GRANT SELECT, INSERT ON audit_log TO mosaic_app;
package access
