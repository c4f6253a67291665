package auth

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/errs"
)

func TestMiddleware(t *testing.T) {
	t.Parallel()
	b := setup(t)

	editor, err := b.tokens.Issue("ana", RoleEditor, time.Hour)
	require.NoError(t, err)
	expired := sign(t, jwt.SigningMethodHS256, b.secret, with(b.validClaims(), "exp", b.now.Add(-time.Hour).Unix()))

	tests := []struct {
		name    string
		headers []string // Authorization values
		role    Role     // want a principal with this role; "" for none
		wantErr *errs.Error
		// Require(ctx, content.read) should give this code ("" for nil).
		require errs.Code
	}{
		{name: "NoHeader", require: errs.Unauthenticated},
		{name: "EmptyHeader", headers: []string{""}, require: errs.Unauthenticated},
		{name: "ValidBearer", headers: []string{"Bearer " + editor}, role: RoleEditor},
		{name: "SchemeCaseInsensitive", headers: []string{"bearer " + editor}, role: RoleEditor},
		{name: "ExtraSpaces", headers: []string{"  Bearer   " + editor + "  "}, role: RoleEditor},
		{name: "Expired", headers: []string{"Bearer " + expired}, wantErr: ErrTokenExpired, require: errs.Unauthenticated},
		{name: "Garbage", headers: []string{"Bearer undefined"}, wantErr: ErrTokenMalformed, require: errs.Unauthenticated},
		{name: "BasicScheme", headers: []string{"Basic YW5hOnB3"}, wantErr: ErrAuthorizationHeader, require: errs.Unauthenticated},
		{name: "BearerWithoutToken", headers: []string{"Bearer "}, wantErr: ErrAuthorizationHeader, require: errs.Unauthenticated},
		{name: "TokenWithoutScheme", headers: []string{editor}, wantErr: ErrAuthorizationHeader, require: errs.Unauthenticated},
		{name: "TwoHeaders", headers: []string{"Bearer " + editor, "Bearer " + editor}, wantErr: ErrAuthorizationHeaders, require: errs.Unauthenticated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			called := false
			h := Middleware(b.tokens, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				called = true
				ctx := r.Context()

				p, ok := FromContext(ctx)
				require.Equal(t, tt.role != "", ok)
				require.Equal(t, tt.role, p.Role)

				if tt.wantErr == nil {
					require.NoError(t, ErrorFromContext(ctx))
				} else {
					require.ErrorIs(t, ErrorFromContext(ctx), tt.wantErr)
				}

				err := Require(ctx, PermContentRead)
				if tt.require == "" {
					require.NoError(t, err)
				} else {
					require.Equal(t, tt.require, errs.CodeOf(err))
					if tt.wantErr != nil {
						// The client learns why, not just "authentication required".
						require.ErrorIs(t, err, tt.wantErr)
					}
				}
				w.WriteHeader(http.StatusNoContent)
			}))

			req := httptest.NewRequest(http.MethodPost, "/graphql", nil)
			for _, v := range tt.headers {
				req.Header.Add("Authorization", v)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)

			require.True(t, called, "a bad token must not stop public delivery")
			require.Equal(t, http.StatusNoContent, rec.Code)
			require.Equal(t, []string{"Authorization, X-API-Key"}, rec.Header().Values("Vary"))
		})
	}
}

func TestMiddlewareNilVerifier(t *testing.T) {
	t.Parallel()
	require.Panics(t, func() { Middleware(nil, http.NotFoundHandler()) })
}
