// Package search is Mosaic's full-text search: a bleve/v2 index of
// published entries, one per process, kept in the data directory and
// rebuildable at any time from PostgreSQL, the system of record.
//
// # Documents
//
// An index document is one entry in one supported locale, as delivery
// serves it there (fields merged along the fallback chain, so ro-RO finds
// what ro and then en say). Its text is the entry's own fields and its
// blocks', global blocks included: text, rich text as plain text and enum
// values; links and media URLs are left out, and so are variants (search
// matches the default content every visitor can get). The title (the first
// of title, name, headline, label) is weighed above the body. A field named
// "tags" (text list or enum) feeds the tags facet; the type feeds the types
// facet. Global blocks are not documents of their own: they are found
// through the entries that embed them, which are reindexed when they change.
//
// # Languages
//
// Text is analyzed by the locale's language analyzer from bleve (ar, da,
// de, en, es, fa, fi, fr, hi, hr, hu, it, nl, no, pl, pt, ro, ru, sv, tr,
// cjk for zh/ja/ko, ckb), others by a Unicode word analyzer; every one
// folds accents and diacritics before stop words and stemming, so
// "cumparaturi" finds "cumpărături" and highlights still point at the text
// as written.
//
// # Consistency
//
// The change feed's notifications reach Notify, which never blocks; one
// worker goroutine coalesces them and reindexes exactly the entries
// concerned (and their embedders), usually within milliseconds. The index
// stores, with the documents and in the same batch, its mapping version and
// the content epoch it has applied. On start, an index that is missing,
// unreadable, built by another MappingVersion or for other locales, or
// ahead of the database is rebuilt; otherwise the change log since its
// epoch is replayed, which repairs a crash between a database write and
// the index write. A feed that reconnects asks for the same replay.
//
// # Queries
//
// Request.Query is bleve's query string syntax, restricted to what a
// search box needs: words, +must, -mustNot, "phrases", fuzzy~1, prefix*,
// boosts^2 and field:value for title, body, type, tags and slug. Syntax
// errors, regular expressions, ranges, leading wildcards, more than
// MaxQueryLength characters or 16 terms, unknown locales and foreign
// cursors are BAD_USER_INPUT. Cursors are bleve search_after keys (score,
// document id) bound to the search they came from.
//
// # Results cache
//
// Repeated searches are answered from memory (cache.go): results are kept
// per request — query, locale, type, filter, page size, cursor, facets and
// highlights — with the index's change generation, which every write to
// the live index moves. Nothing from before a write is served after it,
// so a change is in every answer from the moment it is searchable.
// Config.ResultCacheSize bounds it (entries).
//
// Only published content is indexed: drafts are never searchable, whatever
// the token.
package search
