package content

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/mosaichq/mosaic/errs"
)

// Config configures a Service.
type Config struct {
	Locales Locales
	// Now is the clock; tests inject one.
	Now func() time.Time
	// CacheBytes bounds the published-content cache in (estimated) bytes
	// of resolved entries; 0 means DefaultCacheBytes, negative turns it
	// off.
	CacheBytes int64
	Logger     *slog.Logger
	// CheckVariants, when set, validates a variants list (of a block or an
	// entry) beyond its shape when it is saved: targeting tokens,
	// experiments. It returns problems with paths relative to the list
	// ("0.targeting.devices.1"). The personalization service provides it,
	// so content need not know personalization.
	CheckVariants func(variants []any) []errs.FieldError
	// MissingAssets, when set, returns those of ids that name no asset,
	// so an entry cannot point at an asset that does not exist. The asset
	// service provides it, so content need not know assets.
	MissingAssets func(ctx context.Context, ids []string) ([]string, error)
}

func (c Config) withDefaults() Config {
	if c.Locales.Default == "" {
		c.Locales = DefaultLocales()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.CacheBytes == 0 {
		c.CacheBytes = DefaultCacheBytes
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// DefaultCacheBytes bounds the published-content cache unless configured
// (MOSAIC_CONTENT_CACHE_BYTES). Resolved entries are decoded JSON, and a
// Go map costs ~340 bytes however small: a product weighs ~1 KB, a page of
// eight blocks with three targeted variants each ~56 KB. 16 MiB holds
// 15,000 products or ~290 such pages; a bigger working set trades
// memory for PostgreSQL reads, and the setting says how much. It is half
// the response cache's default: an answer served from that cache reads
// nothing from this one, and decoded JSON is the costliest memory the
// collector marks (every value a pointer), so each MiB here costs more
// collector CPU than a MiB of the response cache's bytes.
const DefaultCacheBytes = 16 << 20

// Service is the content hub's domain API: modelling, editing, publishing
// and delivery. It is safe for concurrent use.
type Service struct {
	store Store
	cfg   Config
	cache *deliveryCache
	// timeline caches the next scheduled publication and the epoch.
	timeline timeline
	typesMu  sync.RWMutex
	types    map[string]ContentType // nil until loaded; reset on model changes
}

// NewService returns a Service over store.
func NewService(store Store, cfg Config) (*Service, error) {
	cfg = cfg.withDefaults()
	if err := cfg.Locales.Validate(); err != nil {
		return nil, err
	}
	return &Service{store: store, cfg: cfg, cache: newDeliveryCache(cfg.CacheBytes)}, nil
}

// Locales returns the locale configuration.
func (s *Service) Locales() Locales { return s.cfg.Locales }

// Changed drops everything cached from the store. The change feed calls it
// when any replica publishes; model says the content model changed too.
func (s *Service) Changed(model bool) {
	s.cache.purge()
	if model {
		s.typesMu.Lock()
		s.types = nil
		s.typesMu.Unlock()
	}
}

// typeSet returns the cached content model, loading it on first use.
func (s *Service) typeSet(ctx context.Context) (map[string]ContentType, error) {
	s.typesMu.RLock()
	t := s.types
	s.typesMu.RUnlock()
	if t != nil {
		return t, nil
	}
	list, err := s.store.ContentTypes(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading content types: %w", err)
	}
	t = make(map[string]ContentType, len(list))
	for _, ct := range list {
		t[ct.Key] = ct
	}
	s.typesMu.Lock()
	s.types = t
	s.typesMu.Unlock()
	return t, nil
}

// ContentTypes lists the model, sorted by key.
func (s *Service) ContentTypes(ctx context.Context) ([]ContentType, error) {
	t, err := s.typeSet(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]ContentType, 0, len(t))
	for _, ct := range t {
		out = append(out, ct)
	}
	slices.SortFunc(out, func(a, b ContentType) int { return compareStrings(a.Key, b.Key) })
	return out, nil
}

// ContentType returns one type or NOT_FOUND.
func (s *Service) ContentType(ctx context.Context, key string) (ContentType, error) {
	t, err := s.typeSet(ctx)
	if err != nil {
		return ContentType{}, err
	}
	ct, ok := t[key]
	if !ok {
		return ContentType{}, errs.E(errs.NotFound, "content type %q not found", key)
	}
	return ct, nil
}

// TypeSchema returns ct's JSON Schema.
func (s *Service) TypeSchema(ctx context.Context, ct ContentType) (map[string]any, error) {
	t, err := s.typeSet(ctx)
	if err != nil {
		return nil, err
	}
	return JSONSchema(ct, lookup(t)), nil
}

// CreateContentType adds a type to the model.
func (s *Service) CreateContentType(ctx context.Context, ct ContentType) (ContentType, error) {
	if err := s.checkType(ctx, ct); err != nil {
		return ContentType{}, err
	}
	out, err := s.store.CreateContentType(ctx, ct)
	s.Changed(true)
	return out, err
}

// checkType validates a definition, including that allowedTypes name types
// of the right kind (blocks hold block types; the type being saved counts).
func (s *Service) checkType(ctx context.Context, ct ContentType, extra ...ContentType) error {
	if err := ct.validateDefinition(); err != nil {
		return err
	}
	stored, err := s.typeSet(ctx)
	if err != nil {
		return err
	}
	t := stored
	if len(extra) > 0 {
		t = make(map[string]ContentType, len(stored)+len(extra))
		for k, v := range stored {
			t[k] = v
		}
		for _, x := range extra {
			t[x.Key] = x
		}
	}
	var fe []errs.FieldError
	for i, f := range ct.Fields {
		for _, a := range f.AllowedTypes {
			other, ok := t[a]
			if a == ct.Key {
				other, ok = ct, true
			}
			switch {
			case !ok:
				fe = append(fe, errs.FieldError{Path: fmt.Sprintf("fields.%d.allowedTypes", i), Message: fmt.Sprintf("unknown content type %q", a)})
			case f.Kind == KindBlocks && other.Kind != TypeBlock:
				fe = append(fe, errs.FieldError{Path: fmt.Sprintf("fields.%d.allowedTypes", i), Message: fmt.Sprintf("%q is not a block type", a)})
			}
		}
	}
	if len(fe) > 0 {
		return errs.Invalid(fmt.Sprintf("content type %q is invalid", ct.Key), fe...)
	}
	return nil
}

// TypeLookup returns a lookup over the cached content model, for code that
// walks fields across types (blocks, assets) without a query per type.
func (s *Service) TypeLookup(ctx context.Context) (func(string) (ContentType, bool), error) {
	t, err := s.typeSet(ctx)
	if err != nil {
		return nil, err
	}
	return lookup(t), nil
}

func lookup(t map[string]ContentType) func(string) (ContentType, bool) {
	return func(k string) (ContentType, bool) { ct, ok := t[k]; return ct, ok }
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
