// Package content is Mosaic's content domain: content types defined at run
// time, their field validations and JSON Schemas, localized entries with
// drafts and immutable published versions, modular blocks, and the delivery
// read path with its published-content cache.
//
// It knows no SQL, HTTP or GraphQL: persistence comes in through the Store
// interface (implemented by storage/postgres) and callers talk to Service.
//
// # Locales
//
// Every entry has one row per locale. A field marked Localized may differ
// per locale; any other field is set only on the default locale and shared
// by all of them. Reads walk a fallback chain (ro-RO → ro → en): each
// localized field takes the first locale in the chain that has a value.
//
// # Versions
//
// Drafts carry a version that increments on every save; writers pass the
// version they last saw (expectedVersion) and a stale one is a CONFLICT.
// Publishing copies the draft into an immutable, numbered published version;
// rollback republishes an old version as a new one, so history only grows.
//
// # Blocks
//
// A field of kind "blocks" holds ordered blocks. An inline block is
// {"id", "type", "fields", "variants"} validated against a block content
// type; a global block is {"id", "ref"} pointing at a published entry of a
// block type, so one promo banner can be shared by web, app and kiosk pages.
//
// # Recommended reference lists
//
// A reference list field (of a block type, or of an entry type: a
// product's "related") may name a recommendation source
// in its settings (Field.Recommend: popular, alsoViewed or recentlyViewed,
// with an audience, window, limit and type, tag and purchase filters): the
// setting is part of the model, so every block or entry of the type delivers
// recommended entries there, and the value editors store (and variants
// override) is the fallback. Only reference lists take one
// (BAD_USER_INPUT "fields.N.recommend" otherwise); delivery fills it
// (delivery/recommend.go).
//
// # Model changes
//
// Every change of a content type — field operations (ChangeContentType), a
// full definition (ReplaceContentType, UpdateContentType) or a model file
// (Import) — takes one path: the diff of old and new, the entries holding a
// value in each changed or removed field (drafts and every published
// version), and a CONFLICT for removing or retyping a field that holds
// content unless the caller forces it by key. A dry run returns the diff
// and writes nothing. Publishing a draft the live version already shows is
// idempotent: no new version. Deleting a type (DeleteContentType) has no
// force: it is refused with CONFLICT while any entry, block or other type's
// allowed types still uses it.
//
// # Delivery at an instant
//
// A campaign release schedules publications: immutable versions that
// become visible at the campaign's start (package campaign). Every delivery
// read is made at an instant (EntryAt, EntriesByIDsAt, ListRequest.At;
// zero means now) and sees, per entry and locale, the newer of the live
// publication and the scheduled publications visible at that instant, so
// a release appears at exactly its start with no job having run. Cached
// values carry the window of instants they are true for and never outlive
// the next scheduled publication (NextPublication).
//
// The published-content cache is bounded in estimated bytes
// (Config.CacheBytes, MOSAIC_CONTENT_CACHE_BYTES), not entries: a resolved
// entry is decoded JSON, whose weight varies tenfold between a product and
// a page of targeted blocks (cachesize.go). Any change purges it. Blocks
// keep their variants as the JSON they were stored in (stored.go): a
// visitor sees at most one per block, so delivery parses them once per
// cached entry and decodes only the chosen ones' fields.
package content
