package recommend_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/measurement/eventlog"
	"github.com/mosaichq/mosaic/measurement/recommend"
)

// written is a store that takes every event as new (what the log's
// consumer sees after a commit).
type written struct{}

func (written) WriteEvents(_ context.Context, evs []measurement.Event) (int, error) {
	return len(evs), nil
}

// Two replicas on one NATS server: a batch committed by one replica's
// consumer is counted by both engines, once each; before sharing, only by
// the one that committed it.
func TestShareCountsOnEveryReplica(t *testing.T) {
	t.Parallel()
	log, err := eventlog.Open(t.Context(), eventlog.Config{Dir: t.TempDir()})
	require.NoError(t, err)
	t.Cleanup(log.Close)
	a, b := recommend.New(recommend.Config{Refresh: time.Nanosecond}), recommend.New(recommend.Config{Refresh: time.Nanosecond})
	popular := func(e *recommend.Engine) []recommend.Item {
		return e.Recommend(recommend.Query{Source: recommend.Popular, Window: time.Hour, Candidates: 5})
	}
	view := func(id, entry string) measurement.Event {
		now := time.Now()
		return measurement.Event{ID: id, Type: measurement.TypeView, VisitorID: "v-" + id, Entry: entry, Time: now, ReceivedAt: now}
	}
	storeA := recommend.Events{Store: written{}, Engine: a}

	_, err = storeA.WriteEvents(t.Context(), []measurement.Event{view("1", "scarf")})
	require.NoError(t, err)
	require.Len(t, popular(a), 1)
	require.Empty(t, popular(b), "not shared yet: only the replica that committed it")

	for _, e := range []*recommend.Engine{a, b} {
		unshare, err := e.Share(log)
		require.NoError(t, err)
		t.Cleanup(unshare)
	}
	_, err = storeA.WriteEvents(t.Context(), []measurement.Event{view("2", "scarf"), view("3", "mug")})
	require.NoError(t, err)
	for name, e := range map[string]*recommend.Engine{"a": a, "b": b} {
		require.Eventually(t, func() bool { return len(popular(e)) == 2 }, 10*time.Second, 5*time.Millisecond, "replica %s counts the batch", name)
	}
	require.Equal(t, uint64(2), popular(a)[0].Count, "a: counted once more, not twice")
	require.Equal(t, uint64(1), popular(b)[0].Count)

	// A replica of an earlier version, during a rolling upgrade, shares
	// its batches as JSON on the subject it knew: still counted.
	data, err := json.Marshal([]measurement.Event{view("4", "mug"), view("5", "mug")})
	require.NoError(t, err)
	require.NoError(t, log.Publish("recommend.events", data))
	for name, e := range map[string]*recommend.Engine{"a": a, "b": b} {
		require.Eventually(t, func() bool {
			p := popular(e)
			return len(p) == 2 && p[0].Count+p[1].Count == uint64(map[string]int{"a": 5, "b": 4}[name])
		}, 10*time.Second, 5*time.Millisecond, "replica %s counts the earlier version's batch", name)
	}
}
