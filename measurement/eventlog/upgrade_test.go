package eventlog_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/measurement/eventlog"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// rawStream opens the data dir's embedded server without a Log, as an
// earlier version (or an operator) sees it; close undoes it.
func rawStream(t *testing.T, dir string) (js jetstream.JetStream, close func()) {
	t.Helper()
	srv, err := server.NewServer(&server.Options{JetStream: true, StoreDir: dir, DontListen: true, NoSigs: true, NoLog: true})
	require.NoError(t, err)
	srv.Start()
	require.True(t, srv.ReadyForConnections(30*time.Second))
	nc, err := nats.Connect("", nats.InProcessServer(srv))
	require.NoError(t, err)
	js, err = jetstream.New(nc)
	require.NoError(t, err)
	return js, func() {
		nc.Close()
		srv.Shutdown()
		srv.WaitForShutdown()
	}
}

// A replica upgraded while an earlier version's messages wait in the
// stream (JSON: arrays of events and records, and the single objects of
// still earlier versions) writes them all, with what it appends itself
// (measurement/wire) — and what it appends goes on subjects the earlier
// version's consumers never read, so a replica not yet upgraded, sharing
// the stream, cannot take a message it would have to drop.
func TestUpgradeMidStream(t *testing.T) {
	b := setup(t)
	js, closeRaw := rawStream(t, b.dir)
	st, err := js.CreateStream(t.Context(), jetstream.StreamConfig{Name: eventlog.DefaultStream,
		Subjects: []string{"mosaic.events.>", "mosaic.decisions"}, Retention: jetstream.WorkQueuePolicy, Storage: jetstream.FileStorage})
	require.NoError(t, err)
	for name, filter := range map[string]string{"mosaic-store": "mosaic.events.>", "mosaic-decisions": "mosaic.decisions"} {
		_, err = st.CreateConsumer(t.Context(), jetstream.ConsumerConfig{Durable: name, FilterSubject: filter, AckPolicy: jetstream.AckExplicitPolicy})
		require.NoError(t, err)
	}
	oldEvents, oldDecisions := events(5, "old"), decisions(4)
	for _, m := range []struct {
		subject string
		v       any
	}{
		{"mosaic.events.track", oldEvents[:4]}, {"mosaic.events.track", oldEvents[4]},
		{"mosaic.decisions", oldDecisions[:3]}, {"mosaic.decisions", oldDecisions[3]},
	} {
		data, err := json.Marshal(m.v)
		require.NoError(t, err)
		_, err = js.Publish(t.Context(), m.subject, data)
		require.NoError(t, err)
	}
	closeRaw()

	// The upgraded replica appends before any consumer runs.
	store := postgres.NewMeasurementStore(b.pool)
	l := open(t, b, eventlog.Config{Store: store, Decisions: store})
	_, err = l.Append(t.Context(), events(70, "new"))
	require.NoError(t, err)
	require.NoError(t, l.AppendDecisions(t.Context(), decisions(70)))
	l.Close()

	js, closeRaw = rawStream(t, b.dir)
	for name, want := range map[string]uint64{"mosaic-store": 2, "mosaic-decisions": 2} {
		c, err := js.Consumer(t.Context(), eventlog.DefaultStream, name)
		require.NoError(t, err)
		info, err := c.Info(t.Context())
		require.NoError(t, err)
		require.Equal(t, want, info.NumPending, "%s: an earlier version's consumer sees only its version's messages", name)
	}
	closeRaw()

	l = open(t, b, eventlog.Config{Store: store, Decisions: store})
	require.NoError(t, l.Start(t.Context()))
	require.Eventually(t, func() bool {
		pending, _, err := l.Pending(t.Context())
		return err == nil && pending == 0 && count(t, b.pool) == 75 && decisionCount(t, b.pool, "true") == 74
	}, 20*time.Second, 20*time.Millisecond)
	var old int
	require.NoError(t, b.pool.QueryRow(t.Context(), `SELECT count(*) FROM measurement_events WHERE id LIKE 'old-%'`).Scan(&old))
	require.Equal(t, 5, old)
	ids := make([]string, len(oldDecisions))
	for i, d := range oldDecisions {
		ids[i] = "'" + d.ID + "'"
	}
	require.Equal(t, 4, decisionCount(t, b.pool, "id IN ("+strings.Join(ids, ",")+")"))
}

// An earlier version restarted during a rolling upgrade sets the shared
// stream's subjects back to its own. The upgraded replicas' next appends
// put theirs back and go through: no 503 on /collect, no record dropped,
// and the earlier version's subjects stay.
func TestEarlierVersionResetsSubjects(t *testing.T) {
	t.Parallel()
	url := externalNATS(t)
	b := setup(t)
	store := postgres.NewMeasurementStore(b.pool)
	l := openExternal(t, url, eventlog.Config{Store: store, Decisions: store})
	require.NoError(t, l.Start(t.Context()))

	nc, err := nats.Connect(url)
	require.NoError(t, err)
	defer nc.Close()
	js, err := jetstream.New(nc)
	require.NoError(t, err)
	old := []string{"mosaic.events.>", "mosaic.decisions"}
	st, err := js.Stream(t.Context(), eventlog.DefaultStream)
	require.NoError(t, err)
	info, err := st.Info(t.Context())
	require.NoError(t, err)
	cfg := info.Config
	cfg.Subjects = old // what the earlier version's CreateOrUpdateStream sets
	_, err = js.UpdateStream(t.Context(), cfg)
	require.NoError(t, err)

	_, err = l.Append(t.Context(), events(30, "after-reset"))
	require.NoError(t, err, "the upgraded replica puts its subjects back")
	info, err = st.Info(t.Context())
	require.NoError(t, err)
	require.Subset(t, info.Config.Subjects, old, "the earlier version's subjects stay")
	require.Contains(t, info.Config.Subjects, "mosaic.wire1.>")

	cfg.Subjects = old
	_, err = js.UpdateStream(t.Context(), cfg)
	require.NoError(t, err)
	require.NoError(t, l.AppendDecisions(t.Context(), decisions(10)))
	waitRows(t, l, b.pool, 30)
	require.Eventually(t, func() bool { return decisionCount(t, b.pool, "true") == 10 }, 20*time.Second, 20*time.Millisecond)
}
