package bench

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/measurement/eventlog"
)

// pendingEvents is how many events BenchmarkEventLogPending leaves in the
// log.
const pendingEvents = 1_000_000

// BenchmarkEventLogPending: the embedded log (file storage) with its
// consumer not started — PostgreSQL away — takes 1 M events (the
// collect benchmarks' track event, 50 per append as /collect does,
// 8 appenders) and holds them pending. Reports the process's resident
// memory and the Go heap with them pending, against before the log was
// opened, and the bytes on disk. in-dedupe-window: measured at once, every
// id still in JetStream's duplicate window (30 s by default: a burst);
// window-passed: a 10 s window, measured after it passed (events that
// piled up over a longer outage). Run with -benchtime 1x: b.N is ignored.
func BenchmarkEventLogPending(b *testing.B) {
	b.Run("in-dedupe-window", func(b *testing.B) { eventLogPending(b, eventlog.DefaultDupWindow, 0) })
	b.Run("window-passed", func(b *testing.B) { eventLogPending(b, 10*time.Second, 12*time.Second) })
}

func eventLogPending(b *testing.B, window, wait time.Duration) {
	dir := b.TempDir()
	runtime.GC()
	debug.FreeOSMemory()
	rssBefore := rssKiB(b)
	l, err := eventlog.Open(b.Context(), eventlog.Config{Dir: dir, MaxBytes: 4 << 30, DupWindow: window})
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	props := json.RawMessage(`{"depth":12,"page":"/products/wool-scarf"}`)
	now := time.Now().UTC()
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	const appenders, batch = 8, 50
	for a := range appenders {
		wg.Go(func() {
			events := make([]measurement.Event, batch)
			for i := a * batch; i < pendingEvents; i += appenders * batch {
				for j := range events {
					n := i + j
					events[j] = measurement.Event{ID: fmt.Sprint("p", n), Type: measurement.TypeTrack,
						VisitorID: fmt.Sprint("visitor-", n%5000), Time: now, ReceivedAt: now, Name: "scroll", Properties: props}
				}
				if _, err := l.Append(b.Context(), events); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	took := time.Since(start)
	b.StopTimer()
	pending, bytes, err := l.Pending(b.Context())
	if err != nil {
		b.Fatal(err)
	}
	if pending != pendingEvents/50 { // a message per append: 50 events of one type
		b.Fatalf("%d messages pending, want %d", pending, pendingEvents/50)
	}
	rssPending := rssKiB(b)
	time.Sleep(wait) // the dedupe window passing, not a poll
	runtime.GC()
	debug.FreeOSMemory()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	rssAfterGC := rssKiB(b)
	var disk int64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				disk += info.Size()
			}
		}
		return nil
	})
	b.ReportMetric(float64(pendingEvents)/took.Seconds(), "appended-events/s")
	b.ReportMetric(float64(bytes)/(1<<20), "stream-MiB")
	b.ReportMetric(float64(disk)/(1<<20), "disk-MiB")
	b.ReportMetric(float64(rssPending-rssBefore)/1024, "rss-added-MiB")
	b.ReportMetric(float64(rssAfterGC-rssBefore)/1024, "rss-added-after-gc-MiB")
	b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-inuse-after-gc-MiB")
}

// rssKiB is the process's resident set (VmRSS).
func rssKiB(b *testing.B) int64 { return procStatus(b, "VmRSS:") }

func procStatus(b *testing.B, field string) int64 {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Fatal(err)
	}
	for line := range strings.Lines(string(raw)) {
		if rest, ok := strings.CutPrefix(line, field); ok {
			n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				b.Fatal(err)
			}
			return n
		}
	}
	b.Fatalf("no %s in /proc/self/status", field)
	return 0
}
