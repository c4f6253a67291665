package measurement_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/measurement"
)

// armStore answers from a map and counts what it was asked.
type armStore struct {
	mu    sync.Mutex
	arms  map[string]map[string]string
	asked []string
}

func (s *armStore) PersonArms(_ context.Context, ids []string) (map[string]map[string]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.asked = append(s.asked, ids...)
	out := map[string]map[string]string{}
	for _, id := range ids {
		if a, ok := s.arms[id]; ok {
			out[id] = a
		}
	}
	return out, nil
}

func (s *armStore) set(id string, arms map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.arms[id] = arms
}

func (s *armStore) askedCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.asked)
}

// Arms never waits for the store: the first ask answers nothing and
// queues a load; a fresh answer (also "none") is not asked again within
// the TTL; past it the old answer serves while the new one loads.
func TestArmCache(t *testing.T) {
	t.Parallel()
	store := &armStore{arms: map[string]map[string]string{"laptop": {"hero": "a"}}}
	var mu sync.Mutex
	now := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	c := measurement.NewArmCache(measurement.ArmCacheConfig{Store: store, TTL: time.Minute, Now: clock})
	t.Cleanup(c.Close)

	require.Nil(t, c.Arms("laptop"), "nothing known yet: the visitor's own bucket")
	require.Nil(t, c.Arms("stranger"))
	require.Eventually(t, func() bool { return c.Arms("laptop") != nil }, 5*time.Second, time.Millisecond)
	require.Equal(t, map[string]string{"hero": "a"}, c.Arms("laptop"))
	require.Eventually(t, func() bool { return store.askedCount() == 2 }, 5*time.Second, time.Millisecond)
	for range 10 {
		c.Arms("laptop")
		c.Arms("stranger")
	}
	require.Equal(t, 2, store.askedCount(), "fresh answers, also none, are not asked again")

	store.set("laptop", map[string]string{"hero": "b"})
	mu.Lock()
	now = now.Add(time.Minute)
	mu.Unlock()
	require.Equal(t, map[string]string{"hero": "a"}, c.Arms("laptop"), "stale: still answered while it reloads")
	require.Eventually(t, func() bool { return c.Arms("laptop")["hero"] == "b" }, 5*time.Second, time.Millisecond)
	c.Close() // safe twice (Cleanup closes again)
}

// BenchmarkArmCacheHit is what a personalized read pays for pins.
func BenchmarkArmCacheHit(b *testing.B) {
	store := &armStore{arms: map[string]map[string]string{"v": {"hero": "a"}}}
	c := measurement.NewArmCache(measurement.ArmCacheConfig{Store: store, TTL: time.Hour})
	b.Cleanup(c.Close)
	c.Arms("v")
	require.Eventually(b, func() bool { return c.Arms("v") != nil }, 5*time.Second, time.Millisecond)
	b.ReportAllocs()
	for b.Loop() {
		c.Arms("v")
	}
}

// failingArms blocks each load until released, then fails it.
type failingArms struct{ release chan struct{} }

func (s *failingArms) PersonArms(ctx context.Context, _ []string) (map[string]map[string]string, error) {
	select {
	case <-s.release:
	case <-ctx.Done():
	}
	return nil, errors.New("database away")
}

// What the cache cannot load is counted, never waited for: visitors past
// a full queue (queue_full) and those of a failed load (load_failed).
func TestArmCacheCountsDrops(t *testing.T) {
	t.Parallel()
	store := &failingArms{release: make(chan struct{})}
	metrics := measurement.NewMetrics()
	c := measurement.NewArmCache(measurement.ArmCacheConfig{Store: store, Metrics: metrics})
	t.Cleanup(c.Close)
	drops := func(reason string) int {
		var m dto.Metric
		require.NoError(t, metrics.ArmDrops.WithLabelValues(reason).Write(&m))
		return int(m.GetCounter().GetValue())
	}
	// The loader takes at most a batch of 500 and waits on the store; the
	// queue holds 4096: 5000 visitors overflow it.
	for i := range 5000 {
		c.Arms(fmt.Sprint("v", i))
	}
	require.Positive(t, drops(measurement.ArmDropQueueFull), "a full queue skips the load and counts it")
	require.Zero(t, drops(measurement.ArmDropLoadFailed), "nothing failed yet")
	close(store.release)
	require.Eventually(t, func() bool { return drops(measurement.ArmDropLoadFailed) >= 1 }, 5*time.Second, time.Millisecond)
}
