package bench

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/mosaichq/mosaic/assets"
	"github.com/mosaichq/mosaic/bundle"
	"github.com/mosaichq/mosaic/campaign"
	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/experience"
	"github.com/mosaichq/mosaic/internal/testapp"
	"github.com/mosaichq/mosaic/internal/testimage"
	"github.com/mosaichq/mosaic/personalization"
)

// BenchmarkScreenBundle builds and signs the demo `lobby` screen's bundle
// (kiosk channel and device, en, 72 h horizon) with 10 campaign
// transitions inside the horizon: winter-sale and four more campaigns,
// each owning a lobby-hero variant, in back-to-back-free windows — 11
// distinct frames — and the lobby's media block showing an uploaded 12 MP
// JPEG, so the manifest lists the kiosk's WebP rendition and its digest
// (made and hashed once, before the timer). Reports the signed
// document's size.
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
			d := lobbyDraft(b, app)
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
	attachLobbyImage(b, app)
	req := bundle.Request{Screen: "lobby", Channel: "kiosk", Device: "kiosk", Locale: "en"}
	doc, err := app.Bundles.Build(ctx, req)
	if err != nil {
		b.Fatal(err)
	}
	if n := len(doc.Bundle.Frames); n != 11 {
		b.Fatalf("%d frames, want 11", n)
	}
	if n := len(doc.Bundle.Assets); n != 1 || doc.Bundle.Assets[0].ContentType != "image/webp" {
		b.Fatalf("manifest %+v, want the kiosk's WebP rendition", doc.Bundle.Assets)
	}
	// build: what one bundle costs to make; served: what a kiosk's request
	// costs once the bundle was built in this state (Builder.Get).
	b.Run("build", func(b *testing.B) {
		for b.Loop() {
			if doc, err = app.Bundles.Build(ctx, req); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(doc.JSON)), "bundle-bytes")
		b.ReportMetric(float64(len(doc.Bundle.Frames)), "frames")
	})
	b.Run("served", func(b *testing.B) {
		for b.Loop() {
			if doc, err = app.Bundles.Get(ctx, req); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(doc.JSON)), "bundle-bytes")
	})
}

// attachLobbyImage uploads a 4000×3000 JPEG and shows it in every locale's
// lobby media block (published).
func attachLobbyImage(b *testing.B, app *testapp.App) {
	ctx := b.Context()
	jpg := testimage.JPEG(4000, 3000)
	a, err := app.Assets.Upload(ctx, assets.UploadInput{Filename: "store-map.jpg", Size: int64(len(jpg)),
		Body: bytes.NewReader(jpg), Actor: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	d := lobbyDraft(b, app)
	for _, bl := range d.Fields["blocks"].([]any) {
		if m := bl.(map[string]any); m["id"] == "lobby-media" {
			m["fields"].(map[string]any)["asset"] = a.ID
		}
	}
	up, err := app.Content.UpdateEntry(ctx, "bench", d.ID, "en", content.EntryPatch{Fields: d.Fields}, d.Version)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := app.Content.PublishEntry(ctx, "bench", up.ID, "en", &up.Version); err != nil {
		b.Fatal(err)
	}
}

// lobbyDraft is the demo lobby's English draft.
func lobbyDraft(b *testing.B, app *testapp.App) content.Entry {
	ctx := b.Context()
	lobby, err := app.Content.Entry(ctx, "screen", "lobby", "en")
	if err != nil {
		b.Fatal(err)
	}
	d, err := app.Content.Draft(ctx, lobby.ID, "en")
	if err != nil {
		b.Fatal(err)
	}
	return d
}
