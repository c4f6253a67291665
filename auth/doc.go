// Package auth says who is calling and what they may do: editor roles and
// their permissions, the principal in a request's context, HS256 editor
// tokens (JWTs), the HTTP middleware that reads them, and the dev secret
// shared by `mosaic dev` and `mosaic token`.
//
// It knows nothing of GraphQL or SQL. Resolvers call [Require] with the one
// permission their operation needs and return its error unchanged; the error
// presenter maps the code to extensions.code (UNAUTHENTICATED, FORBIDDEN).
//
// # Roles and permissions
//
// Four fixed roles. admin may do everything; publisher is editor plus going
// live (publish, stopping campaigns) and reading the audit log; viewer only
// reads drafts and previews. Changing the content model is admin-only, as in
// Contentful, because a model change can break every frontend at once.
//
//	| permission        | admin | publisher | editor | viewer |
//	|-------------------|-------|-----------|--------|--------|
//	| model.write       |  yes  |     -     |   -    |   -    |
//	| content.read      |  yes  |    yes    |  yes   |  yes   |
//	| content.write     |  yes  |    yes    |  yes   |   -    |
//	| content.publish   |  yes  |    yes    |   -    |   -    |
//	| campaign.schedule |  yes  |    yes    |  yes   |   -    |
//	| campaign.stop     |  yes  |    yes    |   -    |   -    |
//	| segment.write     |  yes  |    yes    |  yes   |   -    |
//	| experiment.write  |  yes  |    yes    |  yes   |   -    |
//	| webhook.write     |  yes  |     -     |   -    |   -    |
//	| apikey.write      |  yes  |     -     |   -    |   -    |
//	| user.write        |  yes  |     -     |   -    |   -    |
//	| audit.read        |  yes  |    yes    |   -    |   -    |
//	| preview           |  yes  |    yes    |  yes   |  yes   |
//
// preview gates `at` and `preview` in the experience context: without it a
// delivery query sees published content at the server's clock. content.read
// gates drafts, history and other management reads. A test checks this table
// against [Allowed], so it cannot drift.
//
// # Requests
//
// [Middleware] reads "Authorization: Bearer <token>" and never rejects: a
// valid token puts a [Principal] in the context ([FromContext]); a bad one
// stores the reason ([ErrorFromContext]), which [Require] returns so the
// client learns "token expired" rather than "authentication required"; no
// header leaves the request anonymous, which is fine for delivery queries.
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
// Verification sits behind the one-method [Verifier] interface so that
// tokens from an identity provider (RS256/EdDSA keys from a JWKS) can be
// added beside Mosaic's own without touching the middleware or resolvers.
package auth
