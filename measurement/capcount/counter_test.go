package capcount_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/mosaichq/mosaic/internal/testdb"
	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/measurement/capcount"
	p "github.com/mosaichq/mosaic/personalization"
	"github.com/mosaichq/mosaic/storage/postgres"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

type testBundle struct {
	store   *postgres.MeasurementStore
	counter *capcount.Counter
	now     time.Time
}

// setup makes a counter over a fresh schema; ttl 0 is the default.
func setup(t *testing.T, ttl time.Duration) *testBundle {
	t.Helper()
	pool, _ := testdb.Schema(t)
	b := &testBundle{store: postgres.NewMeasurementStore(pool), now: time.Now().UTC()}
	b.counter = capcount.New(capcount.Config{Store: b.store, Flush: time.Millisecond, TTL: ttl})
	t.Cleanup(b.counter.Close)
	return b
}

var banner = p.CapTarget{Scope: p.ScopeVariant, Block: "hero", Key: "banner"}

// record writes a decision record showing banner (in campaign sale) to
// visitor on channel at, and returns its id.
func (b *testBundle) record(t *testing.T, visitor, channel string, at time.Time) string {
	t.Helper()
	id := uuid.Must(uuid.NewV7()).String()
	_, err := b.store.WriteDecisions(t.Context(), []measurement.Decision{{ID: id, Time: at, VisitorID: visitor, Channel: channel,
		Consent: true, Purposes: measurement.Purposes(), EntryID: "e1", EntrySlug: "home", EntryVersion: 1,
		Blocks: []measurement.BlockDecision{
			{BlockID: "e1", Variant: "default", Reason: measurement.ReasonDefault},
			{BlockID: "hero", Variant: "banner", Campaign: "sale", Reason: measurement.ReasonCampaign},
			{BlockID: "promo", Variant: "sale-promo", Campaign: "sale", Reason: measurement.ReasonCampaign},
		}}})
	require.NoError(t, err)
	return id
}

// loaded asks until the visitor's counts are in memory and not waiting.
func (b *testBundle) loaded(t *testing.T, visitor string, target p.CapTarget, since time.Time, channel string) p.CapCount {
	t.Helper()
	var n p.CapCount
	require.Eventually(t, func() bool {
		n = b.counter.For(visitor).CapCount(target, since, channel)
		return !n.Unloaded && !n.Pending
	}, 10*time.Second, time.Millisecond, "never loaded: %+v", n)
	return n
}

// Counts come from the person's decision records: windows and channels
// filter them, a campaign counts once per record however many blocks
// showed it, and nothing is known before the first load.
func TestCountsFromDecisionRecords(t *testing.T) {
	t.Parallel()
	b := setup(t, 0)
	b.record(t, "phone", "web", b.now.Add(-48*time.Hour))
	b.record(t, "phone", "app", b.now.Add(-time.Hour))

	first := b.counter.For("phone").CapCount(banner, time.Time{}, "")
	require.True(t, first.Unloaded, "the first answer comes before any load")
	require.Equal(t, 2, b.loaded(t, "phone", banner, time.Time{}, "").Seen)
	require.Equal(t, 1, b.loaded(t, "phone", banner, b.now.Add(-24*time.Hour), "").Seen, "a rolling day")
	require.Equal(t, 1, b.loaded(t, "phone", banner, time.Time{}, "web").Seen, "per channel")
	sale := p.CapTarget{Scope: p.ScopeCampaign, Key: "sale"}
	require.Equal(t, 2, b.loaded(t, "phone", sale, time.Time{}, "").Seen, "two blocks of one record: one exposure")
	require.Zero(t, b.loaded(t, "stranger", banner, time.Time{}, "").Seen)
	require.Nil(t, b.counter.For(""), "no visitor id: nobody to count")
}

// This replica's exposure counts at once and holds the target until a
// load returns it from the store: then it is counted once, not twice.
func TestOwnExposureWaitsForConfirmation(t *testing.T) {
	t.Parallel()
	b := setup(t, 0)
	require.Zero(t, b.loaded(t, "tab", banner, time.Time{}, "").Seen)

	id := uuid.Must(uuid.NewV7()).String()
	b.counter.Note("tab", id, b.now, "web", []p.CapTarget{banner})
	n := b.counter.For("tab").CapCount(banner, time.Time{}, "")
	require.Equal(t, 1, n.Seen)
	require.True(t, n.Pending, "not yet in the store")
	other := p.CapTarget{Scope: p.ScopeVariant, Block: "hero", Key: "other"}
	require.False(t, b.counter.For("tab").CapCount(other, time.Time{}, "").Pending, "only the shown target waits")

	// The record reaches the store (as the log's consumer would write it).
	_, err := b.store.WriteDecisions(t.Context(), []measurement.Decision{{ID: id, Time: b.now, VisitorID: "tab", Channel: "web",
		Consent: true, Purposes: measurement.Purposes(), EntryID: "e1", EntrySlug: "home", EntryVersion: 1,
		Blocks: []measurement.BlockDecision{{BlockID: "hero", Variant: "banner", Reason: measurement.ReasonContext}}}})
	require.NoError(t, err)
	require.Equal(t, 1, b.loaded(t, "tab", banner, time.Time{}, "").Seen, "confirmed, counted once")
}

// A person is an identity cluster: once two devices are linked, each
// counts the other's records.
func TestCountsFollowTheIdentityCluster(t *testing.T) {
	t.Parallel()
	b := setup(t, 5*time.Millisecond) // counts older than that are reloaded
	for i := range 3 {
		b.record(t, "phone-9", "app", b.now.Add(-time.Duration(i+1)*time.Hour))
	}
	require.Zero(t, b.loaded(t, "laptop-9", banner, time.Time{}, "").Seen, "not the same person yet")
	var events []measurement.Event
	for i, v := range []string{"phone-9", "laptop-9"} {
		at := b.now.Add(-time.Minute)
		events = append(events, measurement.Event{ID: fmt.Sprint("id-", i), Type: measurement.TypeIdentify, VisitorID: v,
			UserID: "user-9", Time: at, ReceivedAt: at})
	}
	_, err := b.store.WriteEvents(t.Context(), events)
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		return b.counter.For("laptop-9").CapCount(banner, time.Time{}, "").Seen == 3
	}, 10*time.Second, time.Millisecond, "the laptop counts the phone's records once linked (its next load after the TTL)")
}
