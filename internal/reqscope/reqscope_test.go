package reqscope_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/internal/reqscope"
)

func TestOneValueCarriesBoth(t *testing.T) {
	ctx := reqscope.With(context.Background(), &reqscope.Scope{ID: "r1", ClientIP: "192.0.2.1"})
	require.Equal(t, reqscope.Scope{ID: "r1", ClientIP: "192.0.2.1"}, reqscope.From(ctx))

	// Setting one keeps the other, and leaves the parent as it was.
	child := reqscope.WithID(ctx, "r2")
	require.Equal(t, reqscope.Scope{ID: "r2", ClientIP: "192.0.2.1"}, reqscope.From(child))
	require.Equal(t, "r1", reqscope.From(ctx).ID)
	child = reqscope.WithClientIP(child, "198.51.100.7")
	require.Equal(t, reqscope.Scope{ID: "r2", ClientIP: "198.51.100.7"}, reqscope.From(child))

	require.Equal(t, reqscope.Scope{}, reqscope.From(context.Background()))
}

func TestCarrierIsTheParentWithAScope(t *testing.T) {
	type other struct{}
	parent, cancel := context.WithCancel(context.WithValue(context.Background(), other{}, "kept"))
	c := &reqscope.Carrier{Context: parent, Scope: reqscope.Scope{ID: "r1", ClientIP: "192.0.2.1"}}
	require.Equal(t, reqscope.Scope{ID: "r1", ClientIP: "192.0.2.1"}, reqscope.From(c))
	require.Equal(t, "kept", c.Value(other{}))

	// A child's scope shadows the carrier's; the carrier's is unchanged.
	child := reqscope.WithID(c, "r2")
	require.Equal(t, reqscope.Scope{ID: "r2", ClientIP: "192.0.2.1"}, reqscope.From(child))
	require.Equal(t, "r1", reqscope.From(c).ID)

	// Cancelling the parent reaches contexts derived from the carrier.
	derived, stop := context.WithCancel(c)
	defer stop()
	cancel()
	<-derived.Done()
	require.ErrorIs(t, derived.Err(), context.Canceled)
}
