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
