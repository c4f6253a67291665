package postgres_test

import (
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// waitTimeout bounds every wait for a notification; a healthy feed
// delivers in milliseconds.
const waitTimeout = 10 * time.Second

// startFeed starts a feed on b's database that sends changes to the
// returned channel, waits until it listens, and stops it at the end.
func startFeed(t *testing.T, b *testBundle, also func(postgres.Change)) <-chan postgres.Change {
	t.Helper()
	ch := make(chan postgres.Change, 64)
	feed := postgres.NewFeed(b.pool, slog.New(slog.DiscardHandler), func(c postgres.Change) {
		if also != nil {
			also(c)
		}
		ch <- c
	})
	feed.Start(t.Context())
	t.Cleanup(feed.Stop)
	t.Cleanup(feed.Stop) // Stop is safe twice
	select {
	case <-feed.Ready():
	case <-time.After(waitTimeout):
		t.Fatal("the feed did not start listening")
	}
	return ch
}

// waitFor returns the first change matching ok. NOTIFY is database-wide,
// so changes of tests running in other schemas arrive too: match on ids.
func waitFor(t *testing.T, ch <-chan postgres.Change, ok func(postgres.Change) bool) postgres.Change {
	t.Helper()
	deadline := time.After(waitTimeout)
	for {
		select {
		case c := <-ch:
			if ok(c) {
				return c
			}
		case <-deadline:
			t.Fatal("no matching change within", waitTimeout)
		}
	}
}

func TestFeed(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ch := startFeed(t, b, nil)

	// Model changes are announced.
	_, err := b.svc.CreateContentType(t.Context(), productType())
	require.NoError(t, err)
	c := waitFor(t, ch, func(c postgres.Change) bool { return c.Action == "model" && c.Type == "product" })
	require.Positive(t, c.Epoch)

	// So are publishes, unpublishes and deletes, with a growing epoch. The
	// epoch to beat is read from this schema: the model change above may
	// be another test's (NOTIFY is database-wide; both create "product").
	e := b.create(t, "product", "shoe", map[string]any{"title": "Shoe"})
	before, err := b.store.Epoch(t.Context())
	require.NoError(t, err)
	b.publish(t, e)
	pub := waitFor(t, ch, func(c postgres.Change) bool { return c.Entry == e.ID && c.Action == "publish" })
	require.Equal(t, postgres.Change{Epoch: pub.Epoch, Action: "publish", Entry: e.ID, Locale: "en", Type: "product"}, pub)
	require.Greater(t, pub.Epoch, before)
	epoch, err := b.store.Epoch(t.Context())
	require.NoError(t, err)
	require.Equal(t, pub.Epoch, epoch)

	_, err = b.svc.UnpublishEntry(t.Context(), actor, e.ID, "en")
	require.NoError(t, err)
	waitFor(t, ch, func(c postgres.Change) bool { return c.Entry == e.ID && c.Action == "unpublish" })
	require.NoError(t, b.svc.DeleteEntry(t.Context(), actor, e.ID))
	waitFor(t, ch, func(c postgres.Change) bool { return c.Entry == e.ID && c.Action == "delete" })
}

// TestFeedPurgesReplicaCache wires a feed to a second replica as the app
// does: a publish on one replica is seen by the other once the change
// arrives, with no sleeps.
func TestFeedPurgesReplicaCache(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.model(t)
	replica := b.newService(t)
	page := b.publish(t, b.create(t, "page", "home", map[string]any{"title": "One"}))
	r, err := replica.Entry(t.Context(), "page", "home", "en")
	require.NoError(t, err)
	require.Equal(t, "One", r.Fields["title"]) // now cached on the replica

	ch := startFeed(t, b, func(c postgres.Change) { replica.Changed(c.Action == "model" || c.Action == "resync") })
	b.publish(t, b.update(t, page, map[string]any{"title": "Two"}))
	waitFor(t, ch, func(c postgres.Change) bool { return c.Entry == page.ID && c.Action == "publish" })

	r, err = replica.Entry(t.Context(), "page", "home", "en")
	require.NoError(t, err)
	require.Equal(t, "Two", r.Fields["title"])
}

func TestFeedStopBeforeStart(t *testing.T) {
	t.Parallel()
	f := postgres.NewFeed(nil, slog.New(slog.DiscardHandler), func(postgres.Change) {})
	f.Stop() // nothing to stop; must not block or panic
	var _ content.Store = (*postgres.Store)(nil)
}
