package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/mosaichq/mosaic/errs"
)

// PasswordParams are argon2id's cost parameters.
type PasswordParams struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
}

// DefaultPasswordParams follow OWASP's argon2id recommendation (19 MiB,
// 2 passes, 1 lane): about 20 ms on one core, which is slow for a guesser
// and cheap enough for a rate-limited login.
var DefaultPasswordParams = PasswordParams{Memory: 19 * 1024, Time: 2, Threads: 1}

// Password length bounds. The upper bound keeps argon2id's input (and the
// request) small; length matters more than composition rules (NIST 800-63B).
const (
	MinPasswordLen = 10
	MaxPasswordLen = 256
)

const (
	saltBytes = 16
	hashBytes = 32
)

// CheckPasswordPolicy returns BAD_USER_INPUT when password is too short or
// too long.
func CheckPasswordPolicy(password string) error {
	n := utf8.RuneCountInString(password)
	switch {
	case n < MinPasswordLen:
		return errs.Invalid(fmt.Sprintf("password is too short: want at least %d characters", MinPasswordLen),
			errs.FieldError{Path: "password", Message: "too short"})
	case len(password) > MaxPasswordLen:
		return errs.Invalid(fmt.Sprintf("password is too long: want at most %d bytes", MaxPasswordLen),
			errs.FieldError{Path: "password", Message: "too long"})
	}
	return nil
}

// HashPassword checks the policy and returns password hashed with argon2id
// and a fresh salt, in PHC string form
// ($argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>), so parameters can be
// raised later without invalidating stored hashes.
func HashPassword(password string, p PasswordParams) (string, error) {
	if err := CheckPasswordPolicy(password); err != nil {
		return "", err
	}
	var salt [saltBytes]byte
	_, _ = rand.Read(salt[:])
	sum := argon2.IDKey([]byte(password), salt[:], p.Time, p.Memory, p.Threads, hashBytes)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt[:]), b64.EncodeToString(sum)), nil
}

var b64 = base64.RawStdEncoding

// CheckPassword reports whether password matches encoded (from
// HashPassword). A malformed encoded hash is an error, never a match.
func CheckPassword(encoded, password string) (bool, error) {
	p, salt, want, err := parsePHC(encoded)
	if err != nil {
		return false, err
	}
	if len(password) > MaxPasswordLen {
		return false, nil
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is checked against when a login names no (enabled) user, so
// that "no such user" takes as long as "wrong password" and response times
// do not reveal which emails have accounts.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("not-a-real-password-"+rand.Text(), DefaultPasswordParams)
	return h
})

// BurnPasswordCheck spends the time of one CheckPassword and returns false.
func BurnPasswordCheck(password string) bool {
	_, _ = CheckPassword(dummyHash(), password)
	return false
}

func parsePHC(encoded string) (PasswordParams, []byte, []byte, error) {
	var p PasswordParams
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, fmt.Errorf("password hash is not argon2id PHC")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, nil, nil, fmt.Errorf("password hash has unsupported version %q", parts[2])
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return p, nil, nil, fmt.Errorf("password hash parameters %q: %w", parts[3], err)
	}
	// Bounds keep a corrupted or planted row from costing gigabytes.
	if p.Memory < 8*1024 || p.Memory > 1<<20 || p.Time < 1 || p.Time > 10 || p.Threads < 1 || p.Threads > 16 {
		return p, nil, nil, fmt.Errorf("password hash parameters %q out of bounds", parts[3])
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return p, nil, nil, fmt.Errorf("password hash salt is malformed")
	}
	sum, err := b64.DecodeString(parts[5])
	if err != nil || len(sum) < 16 || len(sum) > 64 {
		return p, nil, nil, fmt.Errorf("password hash is malformed")
	}
	return p, salt, sum, nil
}
