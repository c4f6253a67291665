package ratelimit

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func TestBucket(t *testing.T) {
	t.Parallel()
	c := &clock{t: time.Unix(1_700_000_000, 0)}
	l := New(Config{PerSecond: 2, Burst: 3, Now: c.now})

	for i := range 3 {
		ok, _ := l.Allow("a")
		require.True(t, ok, "burst request %d", i)
	}
	ok, wait := l.Allow("a")
	require.False(t, ok)
	require.Equal(t, 500*time.Millisecond, wait, "one token every 1/2 s")

	// Refusals take nothing: hammering does not push the client further back.
	for range 10 {
		_, wait = l.Allow("a")
	}
	require.Equal(t, 500*time.Millisecond, wait)

	ok, _ = l.Allow("b")
	require.True(t, ok, "keys have their own buckets")

	c.add(500 * time.Millisecond)
	ok, _ = l.Allow("a")
	require.True(t, ok)
	ok, _ = l.Allow("a")
	require.False(t, ok)
}

func TestDefaultsAndNil(t *testing.T) {
	t.Parallel()
	require.Nil(t, New(Config{}), "no rate: no limiter")
	var l *Limiter
	ok, _ := l.Allow("x")
	require.True(t, ok, "a nil limiter allows everything")

	l = New(Config{PerSecond: 0.1})
	ok, _ = l.Allow("x")
	require.True(t, ok)
	ok, wait := l.Allow("x")
	require.False(t, ok, "burst defaults to ceil(2*rate) = 1")
	require.InDelta(t, 10*time.Second, wait, float64(time.Second))
	require.Equal(t, 10, RetryAfterSeconds(wait.Round(time.Second)))
	require.Equal(t, 1, RetryAfterSeconds(time.Millisecond))
}

func TestBoundedKeys(t *testing.T) {
	t.Parallel()
	l := New(Config{PerSecond: 1, Burst: 1, MaxKeys: 10})
	ok, _ := l.Allow("first")
	require.True(t, ok)
	for i := range 100 {
		l.Allow(fmt.Sprint("k", i))
	}
	require.Equal(t, 10, l.buckets.Len())
	ok, _ = l.Allow("first")
	require.True(t, ok, "an evicted key starts with a full bucket")
}

// BenchmarkAllow is the per-request cost of the limiter on the hot path.
func BenchmarkAllow(b *testing.B) {
	for _, keys := range []int{1, 10_000} {
		b.Run(fmt.Sprintf("keys=%d", keys), func(b *testing.B) {
			l := New(Config{PerSecond: 1e9})
			names := make([]string, keys)
			for i := range names {
				names[i] = fmt.Sprint("ip:10.0.", i/256, ".", i%256)
			}
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				i := 0
				for pb.Next() {
					l.Allow(names[i%keys])
					i++
				}
			})
		})
	}
}
