package bench

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/mosaichq/mosaic/measurement"
)

// rollupVisitors are exposed to an experiment before conversions come,
// so every conversion updates per-unit totals and the metric rollup.
const rollupVisitors = 5000

// exposeAll sends a decision record per visitor-0…4999 (experiment hero,
// arms a and b) through the log, waits for their exposures, and returns
// the records' ids.
func (c *collectBench) exposeAll(b *testing.B) []string {
	now := time.Now().UTC()
	ds := make([]measurement.Decision, rollupVisitors)
	for i := range ds {
		arm := []string{"a", "b"}[i%2]
		ds[i] = measurement.Decision{ID: uuid.Must(uuid.NewV7()).String(), Time: now, VisitorID: fmt.Sprint("visitor-", i),
			Device: []string{"mobile", "desktop"}[i%3%2], Channel: "web", Consent: true, EntryID: "e", EntrySlug: "home",
			Blocks: []measurement.BlockDecision{{BlockID: "hero", Variant: arm, Experiment: "hero", Arm: arm, Reason: measurement.ReasonExperiment}}}
	}
	for i := 0; i < len(ds); i += 500 {
		if err := c.app.Measure.Log.AppendDecisions(b.Context(), ds[i:i+500]); err != nil {
			b.Fatal(err)
		}
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		var n int
		if err := c.app.Pool.QueryRow(b.Context(), `SELECT count(*) FROM measurement_exposures`).Scan(&n); err != nil {
			b.Fatal(err)
		}
		if n == rollupVisitors {
			ids := make([]string, len(ds))
			for i, d := range ds {
				ids[i] = d.ID
			}
			return ids
		}
		if time.Now().After(deadline) {
			b.Fatalf("%d of %d exposures after 2 minutes", n, rollupVisitors)
		}
		time.Sleep(20 * time.Millisecond) // a benchmark's wait, not a test's
	}
}

// conversion is event i of batch n: a purchase by an exposed visitor.
func conversion(n int64, i int) string {
	return fmt.Sprintf(`{"id":"c%d-%d","type":"conversion","visitorId":"visitor-%d","goal":"purchase","value":%d.5,"currency":"EUR"}`,
		n, i, (int(n)*50+i)%rollupVisitors, i%40+1)
}

// BenchmarkCollectExposed is BenchmarkCollect with every event a
// conversion of an exposed visitor: each updates 4 per-unit totals (one
// per window) and the metric rollup in the write's transaction.
func BenchmarkCollectExposed(b *testing.B) {
	c := newCollectBench(b)
	c.event = conversion
	c.exposeAll(b)
	c.throughput(b)
	c.checkRollup(b, b.N*50)
}

// checkRollup: every conversion counted once in the 24 h window.
func (c *collectBench) checkRollup(b *testing.B, events int) {
	var n int
	if err := c.app.Pool.QueryRow(b.Context(), `SELECT coalesce(sum(count), 0)::int FROM measurement_metric_daily
		WHERE experiment = 'hero' AND event = 'purchase' AND window_hours = 24`).Scan(&n); err != nil {
		b.Fatal(err)
	}
	if n != events {
		b.Fatalf("the rollup counts %d conversions of %d", n, events)
	}
}

// BenchmarkRollupFreshness: conversions of exposed visitors at 100
// batches/s (5,000 events/s) from one client; a poller reads the rollup
// every 10 ms. Freshness is, per batch, the time from its 202 to the
// first poll that sees the rollup's count reach the events accepted so
// far (the consumer writes in log order), so it includes up to one poll
// interval.
func BenchmarkRollupFreshness(b *testing.B) {
	c := newCollectBench(b)
	c.event = conversion
	c.exposeAll(b)
	c.freshness(b, `SELECT coalesce(sum(count), 0)::int FROM measurement_metric_daily
		WHERE experiment = 'hero' AND event = 'purchase' AND window_hours = 24`, 0)
	c.checkRollup(b, b.N*50)
}

// BenchmarkViewFreshness is BenchmarkRollupFreshness for views of cached
// copies: each event is a view, by a visitor never decided for, of a
// decision recorded for one of the exposed visitors — as a storefront
// reports a page the response cache or a CDN served. Freshness runs to
// the viewer's exposure in the experiment's rollup: the view stored, the
// sweep (measurement.ViewSweepInterval) deriving the viewer's record, its
// exposure rolled up.
func BenchmarkViewFreshness(b *testing.B) {
	c := newCollectBench(b)
	ids := c.exposeAll(b)
	c.event = func(n int64, i int) string {
		return fmt.Sprintf(`{"id":"w%d-%d","type":"view","visitorId":"viewer-%d-%d","decisionId":%q,"blockId":"hero"}`,
			n, i, n, i, ids[(int(n)*50+i)%len(ids)])
	}
	c.freshness(b, `SELECT count(*)::int FROM measurement_exposures WHERE experiment = 'hero'`, rollupVisitors)
}

// freshness posts b.N batches of 50 events at 100 batches/s while a
// poller reads count (a number that grows by one per event counted, from
// base) every 10 ms, and reports per batch the time from its 202 to the
// first poll that counts it.
func (c *collectBench) freshness(b *testing.B, count string, base int) {
	type poll struct {
		at    time.Time
		count int
	}
	var mu sync.Mutex
	var polls []poll
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			var n int
			if err := c.app.Pool.QueryRow(b.Context(), count).Scan(&n); err != nil {
				continue
			}
			mu.Lock()
			polls = append(polls, poll{time.Now(), n - base})
			mu.Unlock()
		}
	}()
	accepted := make([]time.Time, 0, b.N)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	b.ResetTimer()
	for range b.N {
		<-tick.C
		if !c.post(b) {
			return
		}
		accepted = append(accepted, time.Now())
	}
	c.drain(b, b.N*50)
	b.StopTimer()
	// Until a poll counts every event (a view's record is written after
	// the event lands), then one more.
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(10 * time.Millisecond) {
		mu.Lock()
		last := 0
		if len(polls) > 0 {
			last = polls[len(polls)-1].count
		}
		mu.Unlock()
		if last >= b.N*50 {
			break
		}
		if time.Now().After(deadline) {
			b.Fatalf("after 2 minutes the count is %d of %d", last, b.N*50)
		}
	}
	close(stop)
	<-done
	fresh := make([]float64, 0, len(accepted))
	j := 0
	for i, at := range accepted {
		want := (i + 1) * 50
		for j < len(polls) && polls[j].count < want {
			j++
		}
		if j == len(polls) {
			b.Fatalf("no poll saw %d", want)
		}
		fresh = append(fresh, max(0, polls[j].at.Sub(at).Seconds()*1000))
	}
	slices.Sort(fresh)
	b.ReportMetric(fresh[len(fresh)/2], "fresh-p50-ms")
	b.ReportMetric(fresh[len(fresh)*99/100], "fresh-p99-ms")
	b.ReportMetric(fresh[len(fresh)-1], "fresh-max-ms")
}
