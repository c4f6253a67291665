// Package auth says who is calling and what they may do: editor roles and
// their permissions, API key scopes, the principal in a request's context,
// editor tokens (Mosaic's own HS256 JWTs and an identity provider's RS256 /
// EdDSA ones), API key and password hashing, the HTTP middleware that reads
// credentials, and the dev secret shared by `mosaic dev` and `mosaic token`.
//
// It knows nothing of GraphQL or SQL. Resolvers call [Require] with the one
// permission their operation needs and return its error unchanged; the error
// presenter maps the code to extensions.code (UNAUTHENTICATED, FORBIDDEN).
//
// # Roles and permissions
//
// Four fixed roles. admin may do everything; publisher is editor plus going
// live (publish, stopping campaigns), forgetting screens taken out of service
// and reading the audit log; viewer only reads drafts and previews. Changing
// the content model is admin-only, as in Contentful, because a model change
// can break every frontend at once. API keys have no role: a key's scope
// grants at most preview (or, for events.write, reporting client events to
// POST /collect), so a key can never manage anything, whatever it is used
// for.
//
//	| permission        | admin | publisher | editor | viewer | delivery key | preview key | events.write key |
//	|-------------------|-------|-----------|--------|--------|--------------|-------------|------------------|
//	| model.write       |  yes  |     -     |   -    |   -    |      -       |      -      |        -         |
//	| content.read      |  yes  |    yes    |  yes   |  yes   |      -       |      -      |        -         |
//	| content.write     |  yes  |    yes    |  yes   |   -    |      -       |      -      |        -         |
//	| content.publish   |  yes  |    yes    |   -    |   -    |      -       |      -      |        -         |
//	| campaign.schedule |  yes  |    yes    |  yes   |   -    |      -       |      -      |        -         |
//	| campaign.stop     |  yes  |    yes    |   -    |   -    |      -       |      -      |        -         |
//	| fleet.write       |  yes  |    yes    |   -    |   -    |      -       |      -      |        -         |
//	| segment.write     |  yes  |    yes    |  yes   |   -    |      -       |      -      |        -         |
//	| experiment.write  |  yes  |    yes    |  yes   |   -    |      -       |      -      |        -         |
//	| webhook.write     |  yes  |     -     |   -    |   -    |      -       |      -      |        -         |
//	| apikey.write      |  yes  |     -     |   -    |   -    |      -       |      -      |        -         |
//	| user.write        |  yes  |     -     |   -    |   -    |      -       |      -      |        -         |
//	| audit.read        |  yes  |    yes    |   -    |   -    |      -       |      -      |        -         |
//	| documents.write   |  yes  |     -     |   -    |   -    |      -       |      -      |        -         |
//	| preview           |  yes  |    yes    |  yes   |  yes   |      -       |     yes     |        -         |
//	| events.write      |  yes  |     -     |   -    |   -    |      -       |      -      |       yes        |
//	| people.read       |  yes  |    yes    |   -    |   -    |      -       |      -      |        -         |
//	| people.erase      |  yes  |     -     |   -    |   -    |      -       |      -      |        -         |
//
// preview gates `at` and `preview` in the experience context: without it a
// delivery query sees published content at the server's clock. content.read
// gates drafts, history and other management reads. A test checks this table
// against [Allowed] and [ScopeAllows], so it cannot drift. Reading published
// content needs no permission: anyone may, or, when the server is configured
// to require a key (MOSAIC_PUBLIC_DELIVERY=false), any authenticated caller.
//
// # Requests
//
// [Middleware] reads "Authorization: Bearer <token or key>" or
// "X-API-Key: <key>" and never rejects: a valid credential puts a
// [Principal] in the context ([FromContext]); a bad one stores the reason
// ([ErrorFromContext]), which [Require] returns so the client learns "token
// expired" rather than "authentication required"; no header leaves the
// request anonymous, which is fine for delivery queries. The GraphQL
// handler then refuses any operation but login whose credential was
// refused: an expired token or a revoked key must not quietly read as
// anonymous. [Credentials] routes each credential to its verifier.
//
// # Tokens
//
// [Tokens] issues and verifies HS256 JWTs with iss and aud ("mosaic" by
// default), sub, role, iat, nbf, exp and jti. Verification pins the algorithm
// (alg "none", HS512, RS256... are refused), requires exp, honours nbf and
// iat with a small leeway for clock skew, and refuses unknown roles. Every
// refusal is UNAUTHENTICATED with a short reason ([ErrTokenExpired],
// [ErrTokenSignature], ...) that never includes the secret.
//
// [JWKS] verifies tokens from an identity provider: RS256 or EdDSA only,
// keys fetched from its JWKS URL and refreshed in the background, issuer and
// audience required, the role read from a configurable claim.
//
// # API keys and passwords
//
// [NewAPIKey] makes a key of 256 random bits ("mk_" + 43 characters). Only
// its SHA-256 is stored. A slow password hash exists to make guessing a
// low-entropy secret expensive; a 256-bit key cannot be guessed however fast
// the hash, and a fast hash lets every delivery request find its key with one
// indexed lookup instead of spending ~20 ms of CPU (which would itself be a
// denial-of-service lever). Passwords, which people choose, are hashed with
// argon2id ([HashPassword]) in PHC form so the cost can be raised later.
package auth
