package errs

import (
	"errors"
	"io"
	"net"
	"strings"
	"syscall"
)

// One rule for outages: an error that says a dependency could not be
// reached — the database refusing connections, a connection cut mid-query,
// the server shutting down — is SERVICE_UNAVAILABLE (retryable), never
// INTERNAL (a bug of ours) and never UNAUTHENTICATED or NOT_FOUND (which
// tell a client to give up). Adapters' errors are recognised by the
// standard interfaces they implement, so this package imports no driver.

// sqlStater is implemented by PostgreSQL errors (pgconn.PgError).
type sqlStater interface{ SQLState() string }

// unavailableStates are the SQLSTATEs of a server that cannot serve now:
// connection exceptions (class 08), shutdowns and too many connections.
var unavailableStates = map[string]bool{"57P01": true, "57P02": true, "57P03": true, "53300": true, "53000": true}

// IsOutage reports whether err says a dependency is unreachable or going
// away, rather than that a request was wrong.
func IsOutage(err error) bool {
	if err == nil {
		return false
	}
	if e, ok := As(err); ok && e.Code != Internal {
		return e.Code == ServiceUnavailable // a coded error says what it is
	}
	var st sqlStater
	if errors.As(err, &st) {
		s := st.SQLState()
		return strings.HasPrefix(s, "08") || unavailableStates[s]
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	for _, target := range []error{syscall.ECONNREFUSED, syscall.ECONNRESET, syscall.EPIPE, syscall.ETIMEDOUT,
		syscall.EHOSTUNREACH, syscall.ENETUNREACH, io.ErrUnexpectedEOF} {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

// Unavailable is err as SERVICE_UNAVAILABLE when it is an outage
// (IsOutage), else err unchanged. what names the dependency's job for the
// client ("the database", "asset storage").
func Unavailable(err error, what string) error {
	if e, ok := As(err); ok && e.Code != Internal {
		return err
	}
	if !IsOutage(err) {
		return err
	}
	return Wrap(ServiceUnavailable, err, "%s is unavailable right now; try again shortly", what)
}
