// Package bundle builds signed screen bundles: everything a kiosk or IoT
// display needs to show one screen for the next horizon, offline — the
// decided content now and at every transition inside the horizon
// (frames), the asset manifest, a version, an expiry — signed with
// Ed25519 over a canonical JSON encoding. It knows no SQL and no HTTP.
//
// The signed bytes are exactly the JSON encoding (encoding/json, no
// indentation, no trailing newline) of Bundle with Signature empty and
// omitted: struct fields in their declared order, map keys sorted.
// Document.JSON is that encoding with the signature added as the last
// member: a verifier removes `,"signature":"…"` (SignedBytes) and checks
// the signature, base64url without padding, with the key named by keyId.
//
// Order: a version is "<epoch>-<hash>", the content epoch when it was
// built and a hash of what it shows. A client keeps a new bundle only if
// (epoch, generatedAt) — both signed — is not below its current one's, so
// an old signed bundle replayed to it is refused. Each frame's key hashes
// it and everything after it; screens report the key they show.
//
// Decision ids: a bundle is decided for a context (screen, channel,
// device, locale), shared by every screen that asks and cached, so its
// frames carry no decision id and no decision record is written — there is
// no visitor to record (a screen's exposures are its heartbeats' frame
// keys and its view events by entry). A bundle asked for a visitor
// (Request.VisitorID: a kiosk session that started with someone at the
// screen) is decided for that visitor — experiments bucket on the id — is
// never cached, and each published frame gets a decision record timed at
// its start and that record's id (Frame.DecisionID) for the screen's view
// events. The records of later frames are decisions made ahead: a session
// that ends before a frame starts never sees it, which its missing view
// events tell. The records are written by whoever sends the document
// (Builder.Record), not on a 304.
//
// Frequency caps: a screen is shared, so a person's caps cannot be kept
// there. A block showing a capped variant (or a capped campaign's or
// experiment's) carries the cap as a Budget for that screen with the
// Fallback to show once the screen has spent it (budget.go); the screen
// counts its own exposures offline. Per-person caps apply to deliveries
// to people (measurement/capcount), never to screen bundles.
package bundle
