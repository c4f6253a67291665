package graph

import (
	"strconv"
	"strings"
	"sync"
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

// Hits read under a shared lock and move nothing: an answer in use is
// spared when it reaches the oldest end, so it outlives any number of
// others passing through, and an unused one still goes first.
func TestResponseCacheKeepsWhatIsInUse(t *testing.T) {
	t.Parallel()
	c := newResponseCache(&Resolver{Content: &content.Service{}}, Limits{ResponseCacheBytes: 20_000}, time.Minute)
	now := time.Now()
	entry := func() *cachedResponse { return &cachedResponse{body: make([]byte, 2000-entryOverhead), stored: now} }
	hot, cold := [32]byte{1}, [32]byte{2}
	c.put(hot, entry())
	c.put(cold, entry())
	for i := range 1000 { // 100 times what the bound holds
		c.put([32]byte{3, byte(i), byte(i >> 8)}, entry())
		require.NotNil(t, c.get(hot, now), "the answer in use, after %d others", i+1)
		require.LessOrEqual(t, c.stats().Bytes, int64(20_000))
	}
	require.Nil(t, c.get(cold, now), "the unused one went")
	oldest := func() [32]byte { k, _, _ := c.lru.GetOldest(); return k }
	before := oldest()
	for range 1000 {
		require.NotNil(t, c.get(hot, now))
		require.NotNil(t, c.get(before, now))
	}
	require.Equal(t, before, oldest(), "hits move nothing")
	c.put([32]byte{4}, entry())
	require.NotNil(t, c.get(before, now), "the oldest, used, was spared")
	require.NotEqual(t, before, oldest())
}

// Hits and puts at once (run with -race): every answer served is one
// that was put under its key.
func TestResponseCacheHitsAndPutsAtOnce(t *testing.T) {
	t.Parallel()
	c := newResponseCache(&Resolver{Content: &content.Service{}}, Limits{ResponseCacheBytes: 40_000}, time.Minute)
	now := time.Now()
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 2000 {
				k := [32]byte{byte(i % 50)}
				if (i+g)%3 == 0 {
					c.put(k, &cachedResponse{body: []byte{byte(i % 50)}, stored: now})
					continue
				}
				if e := c.get(k, now); e != nil {
					require.Equal(t, byte(i%50), e.body[0])
				}
			}
		})
	}
	wg.Wait()
	require.LessOrEqual(t, c.stats().Bytes, int64(40_000))
}

func TestHasCapToken(t *testing.T) {
	t.Parallel()
	require.False(t, hasCapToken(nil))
	require.False(t, hasCapToken([]string{firstSegmentToken, segmentToken + "vip", "cta-test"}))
	require.True(t, hasCapToken([]string{segmentToken + "vip", capToken + "c:winter", "cta-test"}))
	require.True(t, hasCapToken([]string{capToken + "v:hero"}))
}

// Plans are kept for the documents requests send, bounded in count and in
// the bytes of their texts whatever requests send.
func TestPlanCacheBounded(t *testing.T) {
	t.Parallel()
	pc := planCache{m: map[planKey]*docPlan{}}
	p := &docPlan{}
	for i := range 3 * maxPlans {
		pc.add(planKey{query: "{ q" + strconv.Itoa(i) + " }"}, p)
		require.LessOrEqual(t, len(pc.m), maxPlans)
	}
	big := strings.Repeat("x", maxPlanBytes/3)
	for i := range 10 {
		pc.add(planKey{query: big + strconv.Itoa(i)}, p)
		require.LessOrEqual(t, pc.bytes, maxPlanBytes)
	}
	got, ok := pc.get(planKey{query: big + "9"})
	require.True(t, ok)
	require.Same(t, p, got)
}
