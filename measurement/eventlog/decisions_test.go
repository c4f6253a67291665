package eventlog_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/measurement/eventlog"
	"github.com/mosaichq/mosaic/storage/postgres"
)

func decisions(n int) []measurement.Decision {
	out := make([]measurement.Decision, n)
	for i := range out {
		out[i] = measurement.Decision{ID: uuid.Must(uuid.NewV7()).String(), Time: time.Now().UTC(), VisitorID: "v",
			Consent: true, EntryID: "e1", EntrySlug: "home", EntryVersion: 3,
			Blocks: []measurement.BlockDecision{{BlockID: "b1", Variant: "vip", Reason: measurement.ReasonSegment},
				{BlockID: "b2", Variant: "default", Experiment: "hero", Arm: "control", Reason: measurement.ReasonExperiment}}}
	}
	return out
}

func decisionCount(t *testing.T, pool *pgxpool.Pool, where string) int {
	t.Helper()
	var n int
	require.NoError(t, pool.QueryRow(context.Background(), `SELECT count(*) FROM measurement_decisions WHERE `+where).Scan(&n))
	return n
}

// Decision records go through the log to their table once, appended twice
// or not (150: three messages of at most 64), and never reach the events'
// consumer.
func TestDecisionsLandOnce(t *testing.T) {
	b := setup(t)
	store := postgres.NewMeasurementStore(b.pool)
	l := open(t, b, eventlog.Config{Store: store, Decisions: store})
	require.NoError(t, l.Start(t.Context()))
	ds := decisions(150)
	require.NoError(t, l.AppendDecisions(t.Context(), ds))
	require.NoError(t, l.AppendDecisions(t.Context(), ds[:10]))
	require.Eventually(t, func() bool {
		pending, _, err := l.Pending(t.Context())
		return err == nil && pending == 0 && decisionCount(t, b.pool, "true") >= 150
	}, 20*time.Second, 20*time.Millisecond)
	require.Equal(t, 150, decisionCount(t, b.pool, "true"))
	require.Equal(t, 150, decisionCount(t, b.pool, "experiments = '{hero}' AND entry_version = 3"))
	require.Zero(t, count(t, b.pool))
}

// A data dir from before decision records (the stream on events' subjects
// only, the events' consumer unfiltered) opens and starts: the stream
// gains the decisions' subject and the consumer a filter.
func TestDecisionsUpgradeFromEventsOnlyStream(t *testing.T) {
	b := setup(t)
	srv, err := server.NewServer(&server.Options{JetStream: true, StoreDir: b.dir, DontListen: true, NoSigs: true, NoLog: true})
	require.NoError(t, err)
	srv.Start()
	require.True(t, srv.ReadyForConnections(30*time.Second))
	nc, err := nats.Connect("", nats.InProcessServer(srv))
	require.NoError(t, err)
	js, err := jetstream.New(nc)
	require.NoError(t, err)
	st, err := js.CreateStream(t.Context(), jetstream.StreamConfig{Name: eventlog.DefaultStream, Subjects: []string{"mosaic.events.>"},
		Retention: jetstream.WorkQueuePolicy, Storage: jetstream.FileStorage})
	require.NoError(t, err)
	_, err = st.CreateConsumer(t.Context(), jetstream.ConsumerConfig{Durable: "mosaic-store", AckPolicy: jetstream.AckExplicitPolicy})
	require.NoError(t, err)
	nc.Close()
	srv.Shutdown()
	srv.WaitForShutdown()

	store := postgres.NewMeasurementStore(b.pool)
	l := open(t, b, eventlog.Config{Store: store, Decisions: store})
	require.NoError(t, l.Start(t.Context()))
	_, err = l.Append(t.Context(), events(3, "up"))
	require.NoError(t, err)
	require.NoError(t, l.AppendDecisions(t.Context(), decisions(2)))
	require.Eventually(t, func() bool {
		return count(t, b.pool) == 3 && decisionCount(t, b.pool, "true") == 2
	}, 20*time.Second, 20*time.Millisecond)
}

// A backlog of full messages is written in transactions of about 2,000
// items, not a fetch's worth (up to 1,000 messages of 64): 4,500 events
// pending when the consumer starts take at least three.
func TestBacklogWrittenInBoundedRuns(t *testing.T) {
	t.Parallel()
	b := setup(t)
	metrics := measurement.NewMetrics()
	l := open(t, b, eventlog.Config{Metrics: metrics})
	batch := make([]measurement.Event, 0, 4500)
	for i := range 9 {
		batch = append(batch, events(500, fmt.Sprint("backlog", i))...)
	}
	_, err := l.Append(t.Context(), batch)
	require.NoError(t, err)
	require.NoError(t, l.Start(t.Context()))
	waitRows(t, l, b.pool, 4500)
	var m dto.Metric
	require.NoError(t, metrics.BatchSize.Write(&m))
	require.GreaterOrEqual(t, m.GetHistogram().GetSampleCount(), uint64(3))
	require.EqualValues(t, 4500, m.GetHistogram().GetSampleSum())
}
