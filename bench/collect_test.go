package bench

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
)

// BenchmarkCollect posts 50-event batches to POST /collect over HTTP (4
// clients per core) and stops the clock only when every accepted event is
// in PostgreSQL: the end-to-end rate through the embedded JetStream log
// and the COPY writer. ns/op is per batch.
func BenchmarkCollect(b *testing.B) {
	app := testapp.New(b, testapp.Options{NoSeed: true, Measurement: true})
	key := app.APIKey(auth.ScopeEventsWrite)
	var seq atomic.Int64
	batch := func() []byte {
		n := seq.Add(1)
		ev := make([]string, 50)
		for i := range ev {
			ev[i] = fmt.Sprintf(`{"id":"b%d-%d","type":"track","visitorId":"visitor-%d","name":"scroll","properties":{"depth":%d,"page":"/products/wool-scarf"}}`,
				n, i, (int(n)*50+i)%5000, i)
		}
		return fmt.Appendf(nil, `{"sentAt":%q,"events":[%s]}`, time.Now().UTC().Format(time.RFC3339Nano), strings.Join(ev, ","))
	}
	var accepted time.Duration
	b.SetParallelism(4)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest(http.MethodPost, app.URL+"/collect", bytes.NewReader(batch()))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set(auth.APIKeyHeader, key)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusAccepted {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
	accepted = time.Since(start)
	deadline := time.Now().Add(5 * time.Minute)
	for {
		n, _, err := app.Measure.Log.Pending(b.Context())
		if err == nil && n == 0 {
			break
		}
		if time.Now().After(deadline) {
			b.Fatalf("%d events still pending after 5 minutes", n)
		}
		time.Sleep(10 * time.Millisecond) // a benchmark's drain wait, not a test's
	}
	total := time.Since(start)
	b.StopTimer()
	var rows int
	if err := app.Pool.QueryRow(b.Context(), `SELECT count(*) FROM measurement_events`).Scan(&rows); err != nil {
		b.Fatal(err)
	}
	if rows != b.N*50 {
		b.Fatalf("%d rows for %d accepted events", rows, b.N*50)
	}
	b.ReportMetric(float64(b.N*50)/total.Seconds(), "events/s")
	b.ReportMetric(float64(b.N*50)/accepted.Seconds(), "accepted-events/s")
}
