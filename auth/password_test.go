package auth

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/errs"
)

// cheap keeps the tests fast; the format and checks are the same.
var cheap = PasswordParams{Memory: 8 * 1024, Time: 1, Threads: 1}

func TestPasswordRoundTrip(t *testing.T) {
	t.Parallel()
	h, err := HashPassword("correct horse battery", cheap)
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(h, "$argon2id$v=19$m=8192,t=1,p=1$"), h)

	ok, err := CheckPassword(h, "correct horse battery")
	require.NoError(t, err)
	require.True(t, ok)
	for _, wrong := range []string{"correct horse batterY", "", "correct horse battery ", strings.Repeat("x", 10000)} {
		ok, err := CheckPassword(h, wrong)
		require.NoError(t, err)
		require.False(t, ok, "%q", wrong)
	}

	again, err := HashPassword("correct horse battery", cheap)
	require.NoError(t, err)
	require.NotEqual(t, h, again, "a fresh salt per hash")
	require.False(t, BurnPasswordCheck("correct horse battery"))
}

func TestPasswordPolicy(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"", "short", "nine char", strings.Repeat("x", MaxPasswordLen+1)} {
		_, err := HashPassword(bad, cheap)
		require.Equal(t, errs.BadUserInput, errs.CodeOf(err), "%q", bad)
	}
}

func TestCheckPasswordMalformedHash(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{
		"", "plain", "$2a$10$bcrypthashbcrypthashbcrypthashbcrypthashbcrypthash",
		"$argon2id$v=18$m=8192,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", // 95 GiB: refused, not attempted
		"$argon2id$v=19$m=8192,t=1,p=1$!!$aGFzaGhhc2hoYXNoaGFzaA",
	} {
		ok, err := CheckPassword(bad, "whatever password")
		require.Error(t, err, "%q", bad)
		require.False(t, ok)
	}
}

func BenchmarkCheckPassword(b *testing.B) {
	h, err := HashPassword("correct horse battery", DefaultPasswordParams)
	require.NoError(b, err)
	for b.Loop() {
		_, _ = CheckPassword(h, "correct horse battery")
	}
}
