package seed

import (
	"context"
	"fmt"
	"log/slog"
	"maps"

	"github.com/mosaichq/mosaic/campaign"
	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/experience"
	"github.com/mosaichq/mosaic/personalization"
)

// WinterSale is the demo campaign's key.
const WinterSale = "winter-sale"

var winterSale = campaign.Input{Key: WinterSale, Name: "Winter sale",
	Description: "The demo campaign: schedule it a few seconds ahead and watch home (web) and lobby (kiosk) switch together.",
	TimeZone:    "Europe/Bucharest", Priority: 10}

// saleCopy is the campaign's copy per locale: the home hero, the lobby hero.
var saleCopy = map[string][2]map[string]any{
	"en": {
		{"title": "Winter sale: 30% off everything", "subtitle": "While the sale lasts, on every channel.",
			"ctaLabel": "Shop the sale", "ctaUrl": "/sale", "imageUrl": "/demo/hero-winter-sale.jpg"},
		{"title": "Winter sale today: 30% off everything", "imageUrl": "/demo/lobby-sale.jpg"},
	},
	"ro": {
		{"title": "Reduceri de iarnă: 30% la tot", "subtitle": "Cât țin reducerile, pe toate canalele.",
			"ctaLabel": "Vezi reducerile", "ctaUrl": "/sale", "imageUrl": "/demo/hero-winter-sale.jpg"},
		{"title": "Reduceri de iarnă azi: 30% la tot", "imageUrl": "/demo/lobby-sale.jpg"},
	},
}

// saleTargets names the blocks the campaign owns a variant on.
var saleTargets = []struct{ typ, slug, block string }{{"page", "home", "hero"}, {"screen", "lobby", "lobby-hero"}}

func saleVariant(locale string, i int) personalization.Variant {
	// A copy: the seed attaches asset ids to what it writes.
	return personalization.Variant{Key: WinterSale, Campaign: WinterSale, Fields: maps.Clone(saleCopy[locale][i])}
}

// createCampaign creates the demo campaign unless it exists; it runs
// before the content, whose variants name it.
func createCampaign(ctx context.Context, c *campaign.Service) error {
	if _, err := c.Create(ctx, actor, winterSale); err != nil && errs.CodeOf(err) != errs.Conflict {
		return fmt.Errorf("campaign %q: %w", WinterSale, err)
	}
	return nil
}

// withSaleVariants adds the campaign's variant to the blocks it owns in a
// new demo entry's fields.
func withSaleVariants(typ, slug, locale string, fields map[string]any) {
	for i, t := range saleTargets {
		if t.typ != typ || t.slug != slug || saleCopy[locale][i] == nil {
			continue
		}
		list, _ := fields["blocks"].([]any)
		for _, it := range list {
			if b, _ := it.(map[string]any); b != nil && b["id"] == t.block {
				vs, _ := b["variants"].([]any)
				b["variants"] = append(vs, experience.VariantJSON(saleVariant(locale, i)))
			}
		}
	}
}

// upgradeSale adds the campaign's variants to demo content seeded before
// campaigns existed, republishing those pages — only where the draft is
// exactly what is published, so no one's unpublished edit goes live.
func upgradeSale(ctx context.Context, svc *content.Service, log *slog.Logger) error {
	editor := experience.NewEditor(svc)
	for i, t := range saleTargets {
		list, err := svc.Drafts(ctx, content.DraftQuery{Type: t.typ, Limit: 100})
		if err != nil {
			return err
		}
		for _, d := range list {
			if d.Slug != t.slug {
				continue
			}
			for _, loc := range []string{"en", "ro"} {
				e, err := svc.Draft(ctx, d.ID, loc)
				if errs.CodeOf(err) == errs.NotFound {
					continue
				}
				if err != nil {
					return err
				}
				if hasVariant(e.Fields, t.block, WinterSale) {
					continue
				}
				if e.Status() != content.StatusPublished {
					log.InfoContext(ctx, "demo page has unpublished changes; not adding the winter-sale variant", "slug", t.slug, "locale", loc)
					continue
				}
				up, err := editor.UpsertVariant(ctx, actor, experience.Target{EntryID: e.ID, Locale: loc, BlockID: t.block},
					saleVariant(loc, i), e.Version)
				if err != nil {
					return fmt.Errorf("adding the %s variant to %s (%s): %w", WinterSale, t.slug, loc, err)
				}
				if _, err := svc.PublishEntry(ctx, actor, up.ID, loc, &up.Version); err != nil {
					return fmt.Errorf("publishing %s (%s): %w", t.slug, loc, err)
				}
			}
		}
	}
	return nil
}

func hasVariant(fields map[string]any, blockID, key string) bool {
	list, _ := fields["blocks"].([]any)
	for _, it := range list {
		b, _ := it.(map[string]any)
		if b == nil || b["id"] != blockID {
			continue
		}
		vs, _ := b["variants"].([]any)
		for _, v := range vs {
			if m, _ := v.(map[string]any); m != nil && m["key"] == key {
				return true
			}
		}
	}
	return false
}
