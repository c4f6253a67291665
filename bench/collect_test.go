package bench

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
	"github.com/mosaichq/mosaic/measurement"
)

// collectBench posts 50-event batches to /collect over HTTP.
type collectBench struct {
	app *testapp.App
	key string
	seq atomic.Int64
	// event is the i-th event of batch n (nil: a track event).
	event func(n int64, i int) string
}

func newCollectBench(b *testing.B) *collectBench {
	app := testapp.New(b, testapp.Options{NoSeed: true, Measurement: true})
	return &collectBench{app: app, key: app.APIKey(auth.ScopeEventsWrite)}
}

func (c *collectBench) post(b *testing.B) bool {
	n := c.seq.Add(1)
	ev := make([]string, 50)
	for i := range ev {
		if c.event != nil {
			ev[i] = c.event(n, i)
			continue
		}
		ev[i] = fmt.Sprintf(`{"id":"b%d-%d","type":"track","visitorId":"visitor-%d","name":"scroll","properties":{"depth":%d,"page":"/products/wool-scarf"}}`,
			n, i, (int(n)*50+i)%5000, i)
	}
	body := fmt.Appendf(nil, `{"sentAt":%q,"events":[%s]}`, time.Now().UTC().Format(time.RFC3339Nano), strings.Join(ev, ","))
	req, _ := http.NewRequest(http.MethodPost, c.app.URL+"/collect", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(auth.APIKeyHeader, c.key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Error(err)
		return false
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		b.Errorf("status %d", resp.StatusCode)
		return false
	}
	return true
}

// drain waits for the log to be empty, checks every event is stored once
// and reports the lag (stored_at − received_at: accepted → committed).
func (c *collectBench) drain(b *testing.B, events int) {
	deadline := time.Now().Add(5 * time.Minute)
	for {
		n, _, err := c.app.Measure.Log.Pending(b.Context())
		if err == nil && n == 0 {
			break
		}
		if time.Now().After(deadline) {
			b.Fatalf("%d events still pending after 5 minutes", n)
		}
		time.Sleep(10 * time.Millisecond) // a benchmark's drain wait, not a test's
	}
	var rows int
	var p50, p99 float64
	if err := c.app.Pool.QueryRow(b.Context(), `SELECT count(*),
			percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM stored_at - received_at)),
			percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM stored_at - received_at))
		FROM measurement_events`).Scan(&rows, &p50, &p99); err != nil {
		b.Fatal(err)
	}
	if rows != events {
		b.Fatalf("%d rows for %d accepted events", rows, events)
	}
	b.ReportMetric(p50*1000, "lag-p50-ms")
	b.ReportMetric(p99*1000, "lag-p99-ms")
}

// BenchmarkCollect: as fast as 8 clients go; the clock stops when every
// accepted event is in PostgreSQL. ns/op is per batch.
func BenchmarkCollect(b *testing.B) {
	newCollectBench(b).throughput(b)
}

// throughput posts b.N batches from 8 clients (4 per core) as fast as they
// go and stops the clock when every accepted event is in PostgreSQL,
// reporting events/s end to end and as accepted.
func (c *collectBench) throughput(b *testing.B) {
	b.SetParallelism(4)
	clock := newCPUClock(b, c.app.Pool)
	pg0, self0 := clock.read()
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if !c.post(b) {
				return
			}
		}
	})
	accepted := time.Since(start)
	c.drain(b, b.N*50)
	total := time.Since(start)
	b.StopTimer()
	pg1, self1 := clock.read()
	b.ReportMetric(float64(b.N*50)/total.Seconds(), "events/s")
	b.ReportMetric(float64(b.N*50)/accepted.Seconds(), "accepted-events/s")
	// CPU per event, less stretched by other jobs on the machine than the
	// wall clock: this process's (clients, /collect, the embedded log, the
	// consumer) and PostgreSQL's.
	b.ReportMetric(float64((self1-self0).Microseconds())/float64(b.N*50), "go-cpu-µs/event")
	b.ReportMetric(float64((pg1-pg0).Microseconds())/float64(b.N*50), "pg-cpu-µs/event")
	// Failed transactions (retried: a deadlock, the store away) would
	// show as lag, not as lost events.
	var retries dto.Metric
	if err := c.app.Measure.Metrics.WriteErrors.WithLabelValues(measurement.KindEvents).Write(&retries); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(retries.GetCounter().GetValue(), "write-retries")
}

// BenchmarkCollectPaced: 100 batches/s (5,000 events/s) from one client,
// below capacity, for the lag a steady stream sees.
func BenchmarkCollectPaced(b *testing.B) {
	c := newCollectBench(b)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	b.ResetTimer()
	for range b.N {
		<-tick.C
		if !c.post(b) {
			return
		}
	}
	c.drain(b, b.N*50)
}
