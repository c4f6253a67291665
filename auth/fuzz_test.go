package auth

import (
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/errs"
)

// FuzzVerify: Verify never panics, refuses with UNAUTHENTICATED and never
// names the secret, and accepts exactly the tokens it issued — no other
// spelling of them, no token it did not sign.
func FuzzVerify(f *testing.F) {
	b := setup(f)

	issued := map[string]Role{}
	for _, role := range Roles() {
		token, err := b.tokens.Issue("fuzz@example.com", role, time.Hour)
		require.NoError(f, err)
		issued[token] = role
		f.Add(token)
		f.Add("Bearer " + token)
		f.Add(token[:len(token)-1])
		f.Add(strings.Replace(token, ".", "..", 1))
	}
	valid := b.validClaims()
	f.Add(sign(f, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, valid))
	f.Add(sign(f, jwt.SigningMethodHS512, b.secret, valid))
	f.Add(sign(f, jwt.SigningMethodHS256, []byte(strings.Repeat("k", 32)), valid))
	f.Add(sign(f, jwt.SigningMethodHS256, b.secret, with(valid, "exp", nil)))
	f.Add("")
	f.Add("..")
	f.Add("eyJhbGciOiJIUzI1NiJ9.e30.")
	f.Add("e30.e30.e30")

	f.Fuzz(func(t *testing.T, token string) {
		p, err := b.tokens.Verify(token)
		if err == nil {
			role, ok := issued[token]
			require.True(t, ok, "accepted a token it did not issue: %q", token)
			require.Equal(t, role, p.Role)
			require.Equal(t, "fuzz@example.com", p.Subject)
			return
		}
		require.Zero(t, p)
		require.Equal(t, errs.Unauthenticated, errs.CodeOf(err))
		requireNoSecret(t, err, b.secret)
	})
}
