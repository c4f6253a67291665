package auth

import "github.com/mosaichq/mosaic/errs"

// Why a token was refused. Every one is UNAUTHENTICATED with a message safe
// to show the client; Verify wraps the library's error as the cause (for
// logs), so match with errors.Is(err, auth.ErrTokenExpired).
var (
	ErrTokenMalformed       = errs.E(errs.Unauthenticated, "malformed token")
	ErrTokenMethod          = errs.E(errs.Unauthenticated, "token signing method not accepted")
	ErrTokenSignature       = errs.E(errs.Unauthenticated, "token signature invalid")
	ErrTokenExpired         = errs.E(errs.Unauthenticated, "token expired")
	ErrTokenNotValidYet     = errs.E(errs.Unauthenticated, "token not valid yet")
	ErrTokenAudience        = errs.E(errs.Unauthenticated, "token audience mismatch")
	ErrTokenIssuer          = errs.E(errs.Unauthenticated, "token issuer mismatch")
	ErrTokenNoExpiry        = errs.E(errs.Unauthenticated, "token has no expiry")
	ErrTokenNoSubject       = errs.E(errs.Unauthenticated, "token has no subject")
	ErrTokenUnknownRole     = errs.E(errs.Unauthenticated, "unknown role")
	ErrAuthorizationHeader  = errs.E(errs.Unauthenticated, "Authorization header must be \"Bearer <token>\"")
	ErrAuthorizationHeaders = errs.E(errs.Unauthenticated, "more than one Authorization header")
)

// fail returns a fresh error matching sentinel (same code and message) that
// keeps cause for logs.
func fail(sentinel *errs.Error, cause error) error {
	return errs.Wrap(sentinel.Code, cause, "%s", sentinel.Message)
}
