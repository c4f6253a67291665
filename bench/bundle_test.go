package bench

import (
	"fmt"
	"testing"
	"time"

	"github.com/mosaichq/mosaic/bundle"
	"github.com/mosaichq/mosaic/campaign"
	"github.com/mosaichq/mosaic/experience"
	"github.com/mosaichq/mosaic/internal/testapp"
	"github.com/mosaichq/mosaic/personalization"
)

// BenchmarkScreenBundle builds and signs the demo `lobby` screen's bundle
// (kiosk channel and device, en, 72 h horizon) with 10 campaign
// transitions inside the horizon: winter-sale and four more campaigns,
// each owning a lobby-hero variant, in back-to-back-free windows — 11
// distinct frames. Reports the signed document's size.
func BenchmarkScreenBundle(b *testing.B) {
	base := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	clock := testapp.NewClock(base)
	app := testapp.New(b, testapp.Options{Now: clock.Now})
	ctx := b.Context()
	editor := experience.NewEditor(app.Content)
	for i := range 5 {
		key := "winter-sale"
		if i > 0 {
			key = fmt.Sprintf("bench-campaign-%d", i)
			if _, err := app.Campaigns.Create(ctx, "bench", campaign.Input{Key: key, Name: key}); err != nil {
				b.Fatal(err)
			}
			lobby, err := app.Content.Entry(ctx, "screen", "lobby", "en")
			if err != nil {
				b.Fatal(err)
			}
			d, err := app.Content.Draft(ctx, lobby.ID, "en")
			if err != nil {
				b.Fatal(err)
			}
			up, err := editor.UpsertVariant(ctx, "bench", experience.Target{EntryID: d.ID, Locale: "en", BlockID: "lobby-hero"},
				personalization.Variant{Key: key, Campaign: key, Priority: i,
					Fields: map[string]any{"title": "Campaign " + key + ": today only", "imageUrl": "/demo/" + key + ".jpg"}}, d.Version)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := app.Content.PublishEntry(ctx, "bench", up.ID, "en", &up.Version); err != nil {
				b.Fatal(err)
			}
		}
		c, err := app.Campaigns.ByKey(ctx, key)
		if err != nil {
			b.Fatal(err)
		}
		start := base.Add(time.Duration(2+12*i) * time.Hour)
		if _, err := app.Campaigns.Schedule(ctx, "bench", c.ID, start, start.Add(6*time.Hour), false, nil); err != nil {
			b.Fatal(err)
		}
	}
	req := bundle.Request{Screen: "lobby", Channel: "kiosk", Device: "kiosk", Locale: "en"}
	doc, err := app.Bundles.Build(ctx, req)
	if err != nil {
		b.Fatal(err)
	}
	if n := len(doc.Bundle.Frames); n != 11 {
		b.Fatalf("%d frames, want 11", n)
	}
	b.ResetTimer()
	for b.Loop() {
		if doc, err = app.Bundles.Build(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(doc.JSON)), "bundle-bytes")
	b.ReportMetric(float64(len(doc.Bundle.Frames)), "frames")
}
