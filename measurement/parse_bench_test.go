package measurement

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// BenchmarkParseBatch: the collect benchmark's 50-event track batch,
// read by the single-pass parser and by the one it replaced.
func BenchmarkParseBatch(b *testing.B) {
	ev := make([]string, 50)
	for i := range ev {
		ev[i] = fmt.Sprintf(`{"id":"b1-%d","type":"track","visitorId":"visitor-%d","name":"scroll","properties":{"depth":%d,"page":"/products/wool-scarf"}}`, i, i, i)
	}
	body := []byte(`{"sentAt":"2026-12-06T09:59:59Z","events":[` + strings.Join(ev, ",") + `]}`)
	for name, parse := range map[string]func([]byte, time.Time, Limits) (Batch, error){"single-pass": ParseBatch, "before": legacyParseBatch} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if bt, err := parse(body, received, Limits{}); err != nil || len(bt.Events) != 50 {
					b.Fatal(err, bt.Rejected)
				}
			}
		})
	}
}
