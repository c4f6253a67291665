package bench

import (
	"fmt"
	"testing"

	"github.com/mosaichq/mosaic/fleet"
	"github.com/mosaichq/mosaic/internal/testapp"
)

// BenchmarkFleetList lists a fleet of 1,000 lobby units in four screen
// contexts (kiosk and tv devices, English and Romanian), classified
// against the bundle the server would build now — what the studio's
// Screens panel asks for every few seconds. Each distinct context builds
// one bundle per listing; the rows come in pages from PostgreSQL.
func BenchmarkFleetList(b *testing.B) {
	app := testapp.New(b, testapp.Options{})
	ctx := b.Context()
	devices, locales := []string{"kiosk", "tv"}, []string{"en", "ro"}
	for i := range 1000 {
		h := fleet.Heartbeat{ScreenID: fmt.Sprintf("unit-%04d", i), Screen: "lobby", Channel: "kiosk",
			Device: devices[i%2], Locale: locales[(i/2)%2], Frame: "0123456789abcdef0123456789abcdef", Client: "bench/1"}
		if err := app.Fleet.Record(ctx, h); err != nil {
			b.Fatal(err)
		}
	}
	var n int
	for b.Loop() {
		list, err := app.Fleet.List(ctx, fleet.Filter{First: fleet.MaxFirst})
		if err != nil {
			b.Fatal(err)
		}
		n = len(list)
	}
	if n != 1000 {
		b.Fatalf("listed %d units, want 1000", n)
	}
	b.ReportMetric(float64(n), "units")
}
