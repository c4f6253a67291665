package seed

import (
	"context"
	"fmt"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/experience"
	"github.com/mosaichq/mosaic/personalization"
)

// The demo's segments: one explicit (a CRM sends "vip"), two rules.
var demoSegments = []experience.Segment{
	{Key: "vip", Name: "VIP customers (sent by the CRM)"},
	{Key: "returning", Name: "Returning visitors", Rule: "traits.visits > 3"},
	{Key: "big-spender", Name: "Big spenders", Rule: "traits.cart_value >= 100.0"},
}

// demoExperiment splits the home page's call to action 50/50.
var demoExperiment = experience.Experiment{Key: "cta-test", Name: "Call-to-action copy",
	Arms: []personalization.Arm{{Key: "a", Weight: 1}, {Key: "b", Weight: 1}}}

// definitions creates the demo segments and experiment unless they exist.
// It runs before the content, whose variants name them.
func definitions(ctx context.Context, exp *experience.Service) error {
	for _, sg := range demoSegments {
		if _, err := exp.CreateSegment(ctx, actor, sg); err != nil && errs.CodeOf(err) != errs.Conflict {
			return fmt.Errorf("segment %q: %w", sg.Key, err)
		}
	}
	if _, err := exp.CreateExperiment(ctx, actor, demoExperiment); err != nil && errs.CodeOf(err) != errs.Conflict {
		return fmt.Errorf("experiment %q: %w", demoExperiment.Key, err)
	}
	return nil
}

// variantText is the copy of the demo variants in one language.
type variantText struct {
	vipTitle, vipCTA, mobileSub, kioskTitle, kioskCTA string
	ctaA, ctaB, welcomeBack, bigSpender               string
	lobbyTitle, promoKiosk                            string
}

var (
	enVariants = variantText{
		vipTitle: "Welcome back. Your early access is open.", vipCTA: "Shop early access",
		mobileSub: "Layers for the commute.", kioskTitle: "Winter is here. Try it on in store.", kioskCTA: "Find your size",
		ctaA: "Shop the collection", ctaB: "Find your winter layers",
		welcomeBack: "Welcome back! New arrivals since your last visit are marked with a star.",
		bigSpender:  "Premium picks for you", lobbyTitle: "Tap the screen to explore today's offers",
		promoKiosk: "Show this screen at the till: free shipping on every order today.",
	}
	roVariants = variantText{
		vipTitle: "Bine ai revenit. Accesul tău anticipat e deschis.", vipCTA: "Acces anticipat",
		mobileSub: "Straturi pentru navetă.", kioskTitle: "A venit iarna. Probează în magazin.", kioskCTA: "Găsește-ți mărimea",
		ctaA: "Vezi colecția", ctaB: "Găsește-ți straturile de iarnă",
		welcomeBack: "Bine ai revenit! Noutățile de la ultima vizită sunt marcate cu o stea.",
		bigSpender:  "Selecții premium pentru tine", lobbyTitle: "Atinge ecranul pentru ofertele de azi",
		promoKiosk: "Arată acest ecran la casă: livrare gratuită la orice comandă azi.",
	}
)

func variants(vs ...personalization.Variant) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = experience.VariantJSON(v)
	}
	return out
}

func targeting(dim string, vals ...string) personalization.Targeting {
	switch dim {
	case "segments":
		return personalization.Targeting{Segments: vals}
	case "devices":
		return personalization.Targeting{Devices: vals}
	}
	return personalization.Targeting{Channels: vals}
}

// heroVariants make the demo contexts show four different heroes:
// {segments: [vip]} → vip, {device: mobile} → mobile,
// {channel: kiosk} → kiosk, {} → default.
func heroVariants(t variantText) []any {
	return variants(
		personalization.Variant{Key: "vip", Targeting: targeting("segments", "vip"),
			Fields: map[string]any{"title": t.vipTitle, "ctaLabel": t.vipCTA, "ctaUrl": "/collections/early-access"}},
		personalization.Variant{Key: "mobile", Targeting: targeting("devices", "mobile"),
			Fields: map[string]any{"subtitle": t.mobileSub, "imageUrl": "/demo/hero-winter-mobile.jpg"}},
		personalization.Variant{Key: "kiosk", Targeting: targeting("channels", "kiosk"),
			Fields: map[string]any{"title": t.kioskTitle, "ctaLabel": t.kioskCTA, "ctaUrl": "/store/fitting-rooms"}},
	)
}

// ctaVariants give both arms of cta-test their own copy.
func ctaVariants(t variantText) []any {
	return variants(
		personalization.Variant{Key: "cta-a", Experiment: demoExperiment.Key, Arm: "a",
			Fields: map[string]any{"label": t.ctaA}},
		personalization.Variant{Key: "cta-b", Experiment: demoExperiment.Key, Arm: "b",
			Fields: map[string]any{"label": t.ctaB, "style": "secondary"}},
	)
}

func introVariants(t variantText) []any {
	return variants(personalization.Variant{Key: "welcome-back", Targeting: targeting("segments", "returning"),
		Fields: map[string]any{"body": paragraph(t.welcomeBack)}})
}

func bestsellersVariants(t variantText) []any {
	return variants(personalization.Variant{Key: "premium", Targeting: targeting("segments", "big-spender"),
		Fields: map[string]any{"title": t.bigSpender}})
}

func lobbyHeroVariants(t variantText) []any {
	return variants(personalization.Variant{Key: "kiosk", Targeting: targeting("channels", "kiosk"),
		Fields: map[string]any{"title": t.lobbyTitle, "imageUrl": "/demo/lobby-kiosk.jpg"}})
}

// promoVariants are the global promo's own (entry-level) variants.
func promoVariants(t variantText) []any {
	return variants(personalization.Variant{Key: "kiosk", Targeting: targeting("channels", "kiosk"),
		Fields: map[string]any{"body": t.promoKiosk}})
}

func paragraph(text string) map[string]any {
	return map[string]any{"type": "doc", "content": []any{
		map[string]any{"type": "paragraph", "content": []any{map[string]any{"type": "text", "text": text}}},
	}}
}
