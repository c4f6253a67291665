package seed

import (
	"context"
	_ "embed"
	"fmt"
	"log/slog"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/experience"
)

//go:embed model.json
var modelFile []byte

// Model returns the demo content model.
func Model() (content.Model, error) { return content.ParseModel(modelFile) }

const actor = "seed"

// Run seeds the demo once. With WithState (what `mosaic dev` passes) it
// does nothing at all once the database carries the seed mark: from then on
// the model and the content are the editors', and no restart changes them.
// Otherwise it imports the demo model (each type it creates or changes is
// audited with WithAudit), creates the demo segments and experiment (when
// exp is not nil) and the demo campaign (WithCampaigns), creates and
// publishes the demo entries with their variants, and sets the mark. A
// database seeded before the mark existed (`home` is there) keeps its model:
// it only gets what is missing of the campaign demo, then the mark. Run
// returns whether it created content.
func Run(ctx context.Context, svc *content.Service, exp *experience.Service, log *slog.Logger, opts ...Option) (bool, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if o.state != nil {
		at, seeded, err := o.state.DemoSeededAt(ctx)
		if err != nil {
			return false, err
		}
		if seeded {
			log.InfoContext(ctx, "demo content seeded before; leaving the model and content as they are", "seeded_at", at)
			return false, nil
		}
	}
	legacy, err := hasHome(ctx, svc)
	if err != nil {
		return false, err
	}
	if !legacy {
		if err := importModel(ctx, svc, o.audit); err != nil {
			return false, err
		}
	}
	if exp != nil {
		if err := definitions(ctx, exp); err != nil {
			return false, fmt.Errorf("seeding personalization: %w", err)
		}
	}
	if o.campaigns != nil {
		if err := createCampaign(ctx, o.campaigns); err != nil {
			return false, fmt.Errorf("seeding campaigns: %w", err)
		}
	}
	if legacy {
		log.InfoContext(ctx, "demo content already present")
		if o.campaigns != nil {
			if err := upgradeSale(ctx, svc, log); err != nil {
				return false, err
			}
		}
		return false, o.mark(ctx, svc)
	}
	s := &seeder{svc: svc, ctx: ctx, sale: o.campaigns != nil}
	if o.assets != nil {
		if s.images, err = uploadPictures(ctx, o.assets); err != nil {
			return false, err
		}
	}
	s.run()
	if s.err != nil {
		return false, fmt.Errorf("seeding demo content: %w", s.err)
	}
	log.InfoContext(ctx, "seeded demo content", "entries", s.count)
	return true, o.mark(ctx, svc)
}

func hasHome(ctx context.Context, svc *content.Service) (bool, error) {
	pages, err := svc.Drafts(ctx, content.DraftQuery{Type: "page", Limit: 100})
	if err != nil {
		return false, err
	}
	for _, p := range pages {
		if p.Slug == "home" {
			return true, nil
		}
	}
	return false, nil
}

// seeder keeps the first error so the demo script reads top to bottom.
type seeder struct {
	svc   *content.Service
	ctx   context.Context
	err   error
	count int
	sale  bool // add the demo campaign's variants
	// images maps a demo picture's name (hero-winter.jpg) to its uploaded
	// asset id, when the demo has an asset service.
	images map[string]string
}

// entry creates and publishes an entry in en and then in each translation.
func (s *seeder) entry(typ, slug string, en map[string]any, translations map[string]map[string]any) string {
	return s.entryWithVariants(typ, slug, en, translations, nil)
}

// entryWithVariants is entry with the entry's own variants per locale.
func (s *seeder) entryWithVariants(typ, slug string, en map[string]any, translations map[string]map[string]any, vars map[string][]any) string {
	if s.err != nil {
		return ""
	}
	if s.sale {
		withSaleVariants(typ, slug, "en", en)
		for loc, fields := range translations {
			withSaleVariants(typ, slug, loc, fields)
		}
	}
	if s.images != nil {
		attachPictures(en, s.images)
		for _, fields := range translations {
			attachPictures(fields, s.images)
		}
		for _, list := range vars {
			attachPictures(list, s.images)
		}
	}
	e, err := s.svc.CreateEntry(s.ctx, actor, content.NewEntry{Type: typ, Locale: "en", Slug: slug, Fields: en, Variants: vars["en"]})
	if err != nil {
		s.err = fmt.Errorf("%s %q: %w", typ, slug, err)
		return ""
	}
	s.publish(e)
	for loc, fields := range translations {
		t, err := s.svc.CreateEntry(s.ctx, actor, content.NewEntry{ID: e.ID, Type: typ, Locale: loc, Slug: slug, Fields: fields, Variants: vars[loc]})
		if err != nil {
			s.err = fmt.Errorf("%s %q (%s): %w", typ, slug, loc, err)
			return ""
		}
		s.publish(t)
	}
	s.count++
	return e.ID
}

func (s *seeder) publish(e content.Entry) {
	if s.err != nil {
		return
	}
	if _, err := s.svc.PublishEntry(s.ctx, actor, e.ID, e.Locale, &e.Version); err != nil {
		s.err = fmt.Errorf("publishing %s %q (%s): %w", e.Type, e.Slug, e.Locale, err)
	}
}

func (s *seeder) run() {
	type product struct {
		slug, sku, en, ro string
		price             float64
	}
	var productIDs []any
	for _, p := range []product{
		{"wool-scarf", "SCARF-01", "Merino wool scarf", "Fular din lână merinos", 39},
		{"winter-boots", "BOOTS-02", "Waterproof winter boots", "Cizme de iarnă impermeabile", 129},
		{"thermal-mug", "MUG-03", "Thermal travel mug", "Cană termică de voiaj", 24.5},
		{"knit-beanie", "BEANIE-04", "Cable-knit beanie", "Căciulă tricotată", 19.9},
	} {
		productIDs = append(productIDs, s.entry("product", p.slug,
			map[string]any{"name": p.en, "sku": p.sku, "price": p.price, "currency": "EUR", "imageUrl": "/demo/" + p.slug + ".jpg"},
			map[string]map[string]any{"ro": {"name": p.ro}}))
	}
	promo := s.entryWithVariants("promo", "free-shipping",
		map[string]any{"headline": "Free shipping on orders over €50", "body": "Every channel, every day this season.", "code": "SHIPFREE", "url": "/shipping"},
		map[string]map[string]any{"ro": {"headline": "Livrare gratuită la comenzi peste 50 €", "body": "La toate cumpărăturile, pe toate canalele, în fiecare zi a sezonului."}},
		map[string][]any{"en": promoVariants(enVariants), "ro": promoVariants(roVariants)})
	s.entry("page", "home", map[string]any{
		"title":       "Mosaic Outfitters",
		"description": "Warm things for cold days.",
		"blocks":      homeBlocks(en, enVariants, productIDs, promo),
	}, map[string]map[string]any{"ro": {
		"title":       "Mosaic Outfitters",
		"description": "Lucruri calde pentru zile reci.",
		"blocks":      homeBlocks(ro, roVariants, productIDs, promo),
	}})
	s.entry("screen", "lobby", map[string]any{
		"title": "Lobby display", "orientation": "landscape",
		"blocks": []any{
			withVariants(block("lobby-hero", "hero", map[string]any{"title": "Welcome to Mosaic Outfitters", "subtitle": "Ground floor, open 9–21", "imageUrl": "/demo/lobby.jpg"}),
				lobbyHeroVariants(enVariants)),
			block("lobby-media", "media", map[string]any{"url": "/demo/store-map.png", "alt": "Store map"}),
			map[string]any{"id": "lobby-promo", "ref": promo},
		},
	}, map[string]map[string]any{"ro": {
		"title": "Ecran hol",
		"blocks": []any{
			withVariants(block("lobby-hero", "hero", map[string]any{"title": "Bun venit la Mosaic Outfitters", "subtitle": "Parter, deschis 9–21", "imageUrl": "/demo/lobby.jpg"}),
				lobbyHeroVariants(roVariants)),
			block("lobby-media", "media", map[string]any{"url": "/demo/store-map.png", "alt": "Harta magazinului"}),
			map[string]any{"id": "lobby-promo", "ref": promo},
		},
	}})
}

type copyText struct {
	heroTitle, heroSub, heroCTA, intro, mediaAlt, listTitle, cta string
}

var (
	en = copyText{"Winter is coming. Dress for it.", "Layers that work from the commute to the cabin.", "Shop winter",
		"Our winter collection is made to last: natural fibres, honest prices, free repairs.", "A snowy street at dusk",
		"Bestsellers", "See all products"}
	ro = copyText{"Vine iarna. Îmbracă-te pentru ea.", "Straturi care merg de la navetă la cabană.", "Cumpără",
		"Colecția noastră de iarnă e făcută să dureze: fibre naturale, prețuri cinstite, reparații gratuite.",
		"O stradă înzăpezită la apus", "Cele mai vândute", "Vezi toate produsele"}
)

func homeBlocks(c copyText, v variantText, products []any, promo string) []any {
	return []any{
		withVariants(block("hero", "hero", map[string]any{"title": c.heroTitle, "subtitle": c.heroSub, "imageUrl": "/demo/hero-winter.jpg",
			"ctaLabel": c.heroCTA, "ctaUrl": "/collections/winter"}), heroVariants(v)),
		withVariants(block("intro", "richText", map[string]any{"body": paragraph(c.intro)}), introVariants(v)),
		block("lookbook", "media", map[string]any{"url": "/demo/lookbook.jpg", "alt": c.mediaAlt}),
		withVariants(block("bestsellers", "productList", map[string]any{"title": c.listTitle, "products": products}), bestsellersVariants(v)),
		withVariants(block("cta", "cta", map[string]any{"label": c.cta, "url": "/products", "style": "primary"}), ctaVariants(v)),
		map[string]any{"id": "promo", "ref": promo},
	}
}

func block(id, typ string, fields map[string]any) map[string]any {
	return map[string]any{"id": id, "type": typ, "fields": fields}
}

func withVariants(b map[string]any, variants []any) map[string]any {
	b["variants"] = variants
	return b
}
