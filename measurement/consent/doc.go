// Package consent is the one home of consent by purpose: which purposes a
// visitor granted, read from what a client sends (consent, purposes, a TCF
// v2 string) and the Sec-GPC header, and what each purpose allows. The
// decision engine (personalization), delivery's decision records and the
// event consumer all ask a [Set]; none decides on a boolean of its own.
//
// # Purposes
//
//   - personalization: segments (explicit ones and rules over traits) may
//     choose variants. Without it only context variants apply — channel,
//     device, locale and campaigns — and a default shown because of that
//     says so in its reason.
//   - measurement: what delivery decides is recorded against the visitor
//     id (decision records, experiment exposures) and experiments bucket
//     on the visitor id. Without it experiments still bucket, on a key
//     that lives for one UTC day (the visitor id and the date, hashed by
//     the engine, stored nowhere) so a refresh does not reshuffle; the
//     decision record carries no visitor id, so the exposure is counted
//     in aggregate only; the reason names the purpose.
//   - storage: the client may keep identifiers on the device. Mosaic
//     itself stores nothing on devices (no cookies); the purpose is
//     accepted, recorded on decision records, and left to the client.
//
// # What a client sends
//
// One of: consent: true|false (shorthand for every purpose or none),
// purposes: [...] (the purposes granted; unknown names are
// BAD_USER_INPUT), or tcf: a TCF v2 consent string (TCF v2.2 is v2 with
// policy version 4 or later). Nothing sent grants every purpose, as
// consent's default always has: a site that must ask first sends what
// its visitor chose. Two of them at once are BAD_USER_INPUT.
//
// # TCF v2 mapping
//
// The core string's purpose consents (decoded with
// github.com/prebid/go-gdpr), not legitimate interest, and no vendor
// consent (Mosaic is the publisher's own server, not a registered vendor):
//
//	| Mosaic purpose  | TCF purposes needed                                  |
//	|-----------------|------------------------------------------------------|
//	| storage         | 1 Store and/or access information on a device        |
//	| personalization | 5 Create profiles to personalise content, and        |
//	|                 | 6 Use profiles to select personalised content        |
//	| measurement     | 8 Measure content performance                        |
//
// A string that does not decode, or is not version 2, is BAD_USER_INPUT.
//
// # Global Privacy Control
//
// A request with Sec-GPC: 1 opts out of the sale and sharing of personal
// data. Mosaic treats it as withdrawing measurement (no record linked to
// the visitor, nothing kept per visitor id) and personalization (no
// segments or traits, the profile-based choices), whatever else the
// request grants; storage is left as sent. [Set.Reason] names what
// limited a decision, "Global Privacy Control" among them.
package consent
