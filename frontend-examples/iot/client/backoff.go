package client

import (
	"math/rand/v2"
	"time"
)

// Backoff is exponential backoff with full jitter: the n-th wait is
// uniform in [0, min(Cap, Base·2ⁿ)). Full jitter spreads a fleet of
// displays that lost the server at the same instant, so they do not all
// come back at the same instant either.
type Backoff struct {
	Base, Cap time.Duration
	attempt   int
	// rand returns a value in [0, n); nil: math/rand/v2.
	rand func(n int64) int64
}

// NewBackoff is the client's backoff: base 500 ms, cap 30 s.
func NewBackoff() *Backoff { return &Backoff{Base: 500 * time.Millisecond, Cap: 30 * time.Second} }

// Next is the wait before the next attempt.
func (b *Backoff) Next() time.Duration {
	ceil := b.Cap
	// Past 2^20 the product overflows long before it matters: the cap wins.
	if b.attempt < 20 {
		ceil = min(b.Cap, b.Base<<b.attempt)
	}
	b.attempt++
	if ceil <= 0 {
		return 0
	}
	r := b.rand
	if r == nil {
		r = rand.Int64N
	}
	return time.Duration(r(int64(ceil)))
}

// Reset starts over after a healthy connection.
func (b *Backoff) Reset() { b.attempt = 0 }

// jitter adds up to a tenth of d (at most 2 s, at least 50 ms) so polls
// of many displays sharing a max-age do not land together.
func jitter(d time.Duration) time.Duration {
	j := min(max(d/10, 50*time.Millisecond), 2*time.Second)
	return d + time.Duration(rand.Int64N(int64(j)))
}
