package eventlog_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/internal/testdb"
	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/measurement/eventlog"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// cpuTime is the process's user + system CPU time so far.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	require.NoError(b, syscall.Getrusage(syscall.RUSAGE_SELF, &ru))
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkDecisionPipeline: what a decision record costs this process
// after delivery handed it over — appended to the embedded log in
// batches of 256 (as the Recorder does), read back by the consumer and
// written to PostgreSQL — in CPU time per record (cpu-µs/record; the
// database's own work is another process's). Records are the load
// test's: 9 blocks, one in an experiment.
//
//	go run ./internal/tools/testenv -- go test ./measurement/eventlog -run '^$' -bench DecisionPipeline -benchtime 20000x
func BenchmarkDecisionPipeline(b *testing.B) {
	pool, _ := testdb.Schema(b)
	store := postgres.NewMeasurementStore(pool)
	l, err := eventlog.Open(b.Context(), eventlog.Config{Dir: b.TempDir(), Store: store, Decisions: store})
	require.NoError(b, err)
	b.Cleanup(l.Close)
	require.NoError(b, l.Start(b.Context()))
	ds := pageRecords(b.N)
	b.ResetTimer()
	cpu0 := cpuTime(b)
	for start := 0; start < len(ds); start += 256 {
		require.NoError(b, l.AppendDecisions(b.Context(), ds[start:min(start+256, len(ds))]))
	}
	recordsLanded(b, l, pool, cpu0)
}

// pageRecords are n records of the load test's page (9 blocks, one in
// an experiment) for 5,000 visitors.
func pageRecords(n int) []measurement.Decision {
	at := time.Now().UTC()
	ds := make([]measurement.Decision, n)
	for i := range ds {
		d := measurement.Decision{ID: uuid.Must(uuid.NewV7()).String(), Time: at, VisitorID: fmt.Sprintf("visitor-%d", i%5000),
			Channel: "web", Device: "desktop", Locale: "en-US", Segments: []string{"returning"}, Consent: true,
			Purposes: measurement.Purposes(), EntryID: "0193a1b2-c3d4-7e5f-8a9b-000000000001", EntrySlug: "home", EntryVersion: 3}
		for j := range 9 {
			d.Blocks = append(d.Blocks, measurement.BlockDecision{BlockID: fmt.Sprintf("block-%d", j), Variant: "default", Reason: measurement.ReasonDefault})
		}
		d.Blocks[2] = measurement.BlockDecision{BlockID: "block-2", Variant: "b", Experiment: "hero-test", Arm: "b", Reason: measurement.ReasonExperiment}
		ds[i] = d
	}
	return ds
}

// recordsLanded waits for the log to drain, checks every record was
// stored and reports the process's CPU per record since cpu0.
func recordsLanded(b *testing.B, l *eventlog.Log, pool *pgxpool.Pool, cpu0 time.Duration) {
	b.Helper()
	for {
		n, _, err := l.Pending(b.Context())
		require.NoError(b, err)
		if n == 0 {
			break
		}
		time.Sleep(5 * time.Millisecond) // a benchmark's drain wait
	}
	cpu := cpuTime(b) - cpu0
	b.StopTimer()
	var rows int
	require.NoError(b, pool.QueryRow(b.Context(), `SELECT count(*) FROM measurement_decisions`).Scan(&rows))
	require.Equal(b, b.N, rows)
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/record")
}

// countingStore counts the store's transactions (WriteDecisions calls).
type countingStore struct {
	measurement.DecisionStore
	calls atomic.Int64
}

func (c *countingStore) WriteDecisions(ctx context.Context, ds []measurement.Decision) (int, error) {
	c.calls.Add(1)
	return c.DecisionStore.WriteDecisions(ctx, ds)
}

// BenchmarkDecisionPipelinePaced: the same records at the load test's
// pace instead of as fast as they go — 100 every 50 ms (2,000 a second,
// a message per 50 ms as the Recorder lingers) — where a consumer
// writing each fetch as it comes pays a transaction per message. Reports
// this process's CPU per record and the records per transaction.
//
//	go run ./internal/tools/testenv -- go test ./measurement/eventlog -run '^$' -bench DecisionPipelinePaced -benchtime 20000x
func BenchmarkDecisionPipelinePaced(b *testing.B) {
	pool, _ := testdb.Schema(b)
	store := postgres.NewMeasurementStore(pool)
	counted := &countingStore{DecisionStore: store}
	l, err := eventlog.Open(b.Context(), eventlog.Config{Dir: b.TempDir(), Store: store, Decisions: counted})
	require.NoError(b, err)
	b.Cleanup(l.Close)
	require.NoError(b, l.Start(b.Context()))
	ds := pageRecords(b.N)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	b.ResetTimer()
	cpu0 := cpuTime(b)
	for start := 0; start < len(ds); start += 100 {
		<-tick.C
		require.NoError(b, l.AppendDecisions(b.Context(), ds[start:min(start+100, len(ds))]))
	}
	recordsLanded(b, l, pool, cpu0)
	b.ReportMetric(float64(b.N)/float64(counted.calls.Load()), "records/transaction")
}
