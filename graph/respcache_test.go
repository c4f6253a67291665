package graph

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/content"
)

// The cache is bounded in bytes: the oldest answers go first.
func TestResponseCacheBoundedInBytes(t *testing.T) {
	t.Parallel()
	c := newResponseCache(&Resolver{Content: &content.Service{}}, Limits{ResponseCacheBytes: 20_000}, time.Minute)
	now := time.Now()
	for i := range 100 {
		c.put([32]byte{byte(i)}, &cachedResponse{body: make([]byte, 2000-entryOverhead), stored: now})
		require.LessOrEqual(t, c.stats().Bytes, int64(20_000))
	}
	require.Nil(t, c.get([32]byte{0}, now), "the oldest went first")
	require.NotNil(t, c.get([32]byte{99}, now), "the newest stays")
	require.NotNil(t, c.get([32]byte{99}, now.Add(time.Minute)), "kept past CacheMaxAge while nothing changed")
	require.Nil(t, c.get([32]byte{99}, now.Add(10*time.Minute+time.Second)), "no answer outlives 10 × CacheMaxAge")
	c.put([32]byte{2}, &cachedResponse{body: []byte("x"), stored: now, epochUntil: now.Add(time.Second)})
	require.Nil(t, c.get([32]byte{2}, now.Add(time.Second)), "nor the next transition of any campaign")
	c.put([32]byte{1}, &cachedResponse{body: []byte("x"), stored: now, until: now.Add(time.Second)})
	require.Nil(t, c.get([32]byte{1}, now.Add(time.Second)), "nor its next transition")
	require.Nil(t, newResponseCache(&Resolver{Content: &content.Service{}}, Limits{ResponseCacheBytes: -1}, time.Minute), "negative: off")
}
