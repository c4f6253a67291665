package capcount_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/internal/testdb"
	"github.com/mosaichq/mosaic/measurement/capcount"
	p "github.com/mosaichq/mosaic/personalization"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// spyStore is the real store, noting what each load asked and returned.
type spyStore struct {
	*postgres.MeasurementStore
	mu    sync.Mutex
	loads []spyLoad
}

type spyLoad struct {
	since time.Time
	ids   []string
}

func (s *spyStore) CapRecords(ctx context.Context, asks []capcount.Ask, perVisitor int) (map[string]capcount.Person, error) {
	got, err := s.MeasurementStore.CapRecords(ctx, asks, perVisitor)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range asks {
		l := spyLoad{since: a.Since}
		for _, d := range got[a.VisitorID].Records {
			l.ids = append(l.ids, d.ID)
		}
		s.loads = append(s.loads, l)
	}
	return got, err
}

func (s *spyStore) since(n int) []spyLoad {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]spyLoad(nil), s.loads[n:]...)
}

// The counter keeps only targets the engine asked about (the capped
// ones), reloads a person from its newest loaded record on rather than
// reading its history again, loads in full when a new cap appears, and
// keeps at most Records exposures per target.
func TestKeepsCappedTargetsAndLoadsIncrementally(t *testing.T) {
	t.Parallel()
	pool, _ := testdb.Schema(t)
	spy := &spyStore{MeasurementStore: postgres.NewMeasurementStore(pool)}
	b := &testBundle{store: spy.MeasurementStore, now: time.Now().UTC()}
	b.counter = capcount.New(capcount.Config{Store: spy, Flush: time.Millisecond, TTL: time.Millisecond,
		Slack: time.Millisecond, Full: time.Hour, Records: 3})
	t.Cleanup(b.counter.Close)

	var old []string
	for i := range 4 {
		old = append(old, b.record(t, "reader", "web", b.now.Add(-time.Duration(10-i)*time.Hour)))
	}
	// Only banner is capped: the records' other blocks (e1's default,
	// promo's sale-promo) and the campaign are not kept.
	require.Equal(t, 3, b.loaded(t, "reader", banner, time.Time{}, "").Seen, "the newest Records of 4")
	require.Equal(t, map[p.CapTarget]int{banner: 3}, b.counter.Kept("reader"), "an uncapped target was kept")
	uncapped := p.CapTarget{Scope: p.ScopeVariant, Block: "promo", Key: "sale-promo"}
	b.counter.Note("reader", "not-stored", b.now, "web", []p.CapTarget{uncapped})
	require.NotContains(t, b.counter.Kept("reader"), uncapped, "Note kept an uncapped target")

	// New records are read on their own: no later load reads an old one
	// again, but for the newest, within Slack of itself.
	n := len(spy.since(0))
	fresh := b.record(t, "reader", "web", b.now.Add(-time.Minute))
	require.Eventually(t, func() bool {
		return b.counter.For("reader").CapCount(banner, b.now.Add(-2*time.Hour), "").Seen == 1
	}, 10*time.Second, time.Millisecond, "the new record never counted")
	later := spy.since(n)
	require.NotEmpty(t, later)
	for _, l := range later {
		require.False(t, l.since.IsZero(), "a full load without a reason")
		for _, id := range l.ids {
			require.NotContains(t, old[:3], id, "an incremental load read an old record again")
		}
	}
	require.Contains(t, later[len(later)-1].ids, fresh)
	require.Equal(t, 3, b.loaded(t, "reader", banner, time.Time{}, "").Seen, "still the newest 3 of 5")

	// A target capped after the person was loaded: its history was not
	// kept, so the person is unloaded for it until a full load.
	sale := p.CapTarget{Scope: p.ScopeCampaign, Key: "sale"}
	require.True(t, b.counter.For("reader").CapCount(sale, time.Time{}, "").Unloaded, "counted a new cap from a history kept without it")
	require.Equal(t, 3, b.loaded(t, "reader", sale, time.Time{}, "").Seen)
	require.Equal(t, map[p.CapTarget]int{banner: 3, sale: 3}, b.counter.Kept("reader"))
}
