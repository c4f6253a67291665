package errs

import (
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"
)

type pgError struct{ code string }

func (e pgError) Error() string    { return "pg " + e.code }
func (e pgError) SQLState() string { return e.code }

func TestIsOutage(t *testing.T) {
	t.Parallel()
	dial := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{nil, false},
		{errors.New("boom"), false},
		{fmt.Errorf("failed to connect: %w", dial), true},
		{fmt.Errorf("query: %w", pgError{"57P01"}), true},  // admin shutdown
		{fmt.Errorf("query: %w", pgError{"08006"}), true},  // connection failure
		{fmt.Errorf("query: %w", pgError{"23505"}), false}, // unique violation: ours to map
		{fmt.Errorf("read: %w", io.ErrUnexpectedEOF), true},
		{Wrap(BadUserInput, io.ErrUnexpectedEOF, "body is not JSON"), false}, // a coded error says what it is
		{Wrap(Internal, dial, "loading"), true},
		{E(ServiceUnavailable, "search is closed"), true},
	} {
		if got := IsOutage(tc.err); got != tc.want {
			t.Errorf("IsOutage(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
	if CodeOf(Unavailable(fmt.Errorf("x: %w", dial), "the database")) != ServiceUnavailable {
		t.Error("an outage becomes SERVICE_UNAVAILABLE")
	}
	if CodeOf(Unavailable(errors.New("bug"), "the database")) != Internal {
		t.Error("anything else stays what it was")
	}
}
