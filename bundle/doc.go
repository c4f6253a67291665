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
package bundle
