package auth

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/errs"
)

func TestRequire(t *testing.T) {
	t.Parallel()

	t.Run("Anonymous", func(t *testing.T) {
		t.Parallel()
		ctx := context.Background()
		_, ok := FromContext(ctx)
		require.False(t, ok)
		require.NoError(t, ErrorFromContext(ctx))

		err := Require(ctx, PermContentRead)
		e, ok := errs.As(err)
		require.True(t, ok)
		require.Equal(t, errs.Unauthenticated, e.Code)
		require.Contains(t, e.Message, "content.read")
	})

	t.Run("Allowed", func(t *testing.T) {
		t.Parallel()
		ctx := WithPrincipal(context.Background(), Principal{Subject: "ana", Role: RoleEditor, Kind: KindEditorToken})
		p, ok := FromContext(ctx)
		require.True(t, ok)
		require.Equal(t, "ana", p.Subject)
		require.NoError(t, Require(ctx, PermContentWrite))
		require.NoError(t, Require(ctx, PermPreview))
	})

	t.Run("Forbidden", func(t *testing.T) {
		t.Parallel()
		ctx := WithPrincipal(context.Background(), Principal{Subject: "ana", Role: RoleEditor})
		err := Require(ctx, PermContentPublish)
		e, ok := errs.As(err)
		require.True(t, ok)
		require.Equal(t, errs.Forbidden, e.Code)
		require.Equal(t, "role editor lacks permission content.publish", e.Message)
	})

	t.Run("BadTokenWins", func(t *testing.T) {
		t.Parallel()
		ctx := withError(context.Background(), fail(ErrTokenExpired, nil))
		_, ok := FromContext(ctx)
		require.False(t, ok)
		require.ErrorIs(t, ErrorFromContext(ctx), ErrTokenExpired)
		require.ErrorIs(t, Require(ctx, PermPreview), ErrTokenExpired)
	})

	t.Run("LastWriterWins", func(t *testing.T) {
		t.Parallel()
		ctx := withError(context.Background(), fail(ErrTokenExpired, nil))
		ctx = WithPrincipal(ctx, Principal{Subject: "ana", Role: RoleAdmin})
		require.NoError(t, ErrorFromContext(ctx))
		require.NoError(t, Require(ctx, PermUserWrite))
	})
}

func TestAuthenticate(t *testing.T) {
	t.Parallel()

	t.Run("Valid", func(t *testing.T) {
		t.Parallel()
		v := VerifierFunc(func(string) (Principal, error) { return Principal{Subject: "ana", Role: RoleViewer}, nil })
		ctx := Authenticate(context.Background(), v, "x")
		p, ok := FromContext(ctx)
		require.True(t, ok)
		require.Equal(t, RoleViewer, p.Role)
	})

	t.Run("VerifierFailureIsStillUnauthenticated", func(t *testing.T) {
		t.Parallel()
		cause := errors.New("jwks fetch: connection refused")
		v := VerifierFunc(func(string) (Principal, error) { return Principal{}, cause })
		ctx := Authenticate(context.Background(), v, "x")
		_, ok := FromContext(ctx)
		require.False(t, ok)
		err := Require(ctx, PermContentRead)
		require.Equal(t, errs.Unauthenticated, errs.CodeOf(err))
		require.ErrorIs(t, err, cause)
		e, _ := errs.As(err)
		require.NotContains(t, e.Message, "connection refused")
	})
}
