package assets

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/sync/singleflight"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/storage/blob"
)

// Config configures a Service.
type Config struct {
	Blobs blob.Store
	Store Store
	// MaxUploadBytes bounds one file (default 50 MiB).
	MaxUploadBytes int64
	// MaxPixels bounds the images accepted and rendered (default 50
	// megapixels: 200 MB decoded).
	MaxPixels int64
	// MaxDimension bounds each side of a rendition (default 3840).
	MaxDimension int
	// RenderConcurrency is how many renditions are made at once (default:
	// half the CPUs, at least 1); RenderQueue how many more may wait
	// (default 32) before callers get RATE_LIMITED.
	RenderConcurrency int
	RenderQueue       int
	// URLSecret signs rendition URLs that only authenticated callers may
	// mint (at least 32 bytes).
	URLSecret []byte
	// PublicURL prefixes asset URLs ("https://cdn.example.com"); empty
	// gives root-relative URLs ("/assets/...").
	PublicURL string
	// CheckLocale refuses alt-text locales the content hub does not know.
	CheckLocale func(locale string) error
	// UploadTTL is how long a direct upload URL stays valid (default 15m).
	UploadTTL time.Duration
	// SweepGrace is how old an unreferenced original must be before Sweep
	// removes it (default 1h: far longer than any upload takes).
	SweepGrace time.Duration
	// TempDir holds uploads while they are checked (default os.TempDir()).
	TempDir string
	Now     func() time.Time
	Logger  *slog.Logger
}

func (c Config) withDefaults() Config {
	if c.MaxUploadBytes <= 0 {
		c.MaxUploadBytes = 50 << 20
	}
	if c.MaxPixels <= 0 {
		c.MaxPixels = 50_000_000
	}
	if c.MaxDimension <= 0 {
		c.MaxDimension = 3840
	}
	if c.RenderConcurrency <= 0 {
		c.RenderConcurrency = max(1, runtime.NumCPU()/2)
	}
	if c.RenderQueue <= 0 {
		c.RenderQueue = 32
	}
	if c.UploadTTL <= 0 {
		c.UploadTTL = 15 * time.Minute
	}
	if c.SweepGrace <= 0 {
		c.SweepGrace = time.Hour
	}
	if c.TempDir == "" {
		c.TempDir = os.TempDir()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.CheckLocale == nil {
		c.CheckLocale = func(string) error { return nil }
	}
	c.PublicURL = strings.TrimSuffix(c.PublicURL, "/")
	return c
}

func (c Config) validate() error {
	switch {
	case c.Blobs == nil:
		return errors.New("assets: Blobs is required")
	case c.Store == nil:
		return errors.New("assets: Store is required")
	case len(c.URLSecret) < 32:
		return errors.New("assets: URLSecret must be at least 32 bytes")
	}
	return nil
}

// Service is the asset domain's API. It is safe for concurrent use.
type Service struct {
	cfg   Config
	blobs blob.Store
	store Store

	// render bounds concurrent renditions; waiting counts callers queued
	// for a slot.
	render  chan struct{}
	waiting atomic.Int64
	flight  singleflight.Group
	// made remembers renditions known to be stored, sparing a Stat per
	// request on the hot path.
	made *lru.Cache[string, blob.Info]
	// rows caches asset rows briefly for delivery (see Asset).
	rows *lru.Cache[string, cachedAsset]
	// digests remembers renditions' SHA-256 by blob key (immutable bytes).
	digests *lru.Cache[string, string]
	// ready is the last storage probe (ready.go).
	ready readiness
}

type cachedAsset struct {
	a  Asset
	at time.Time
}

// New returns a Service.
func New(cfg Config) (*Service, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	made, _ := lru.New[string, blob.Info](4096)
	rows, _ := lru.New[string, cachedAsset](4096)
	digests, _ := lru.New[string, string](4096)
	return &Service{cfg: cfg, blobs: cfg.Blobs, store: cfg.Store, render: make(chan struct{}, cfg.RenderConcurrency),
		made: made, rows: rows, digests: digests}, nil
}

// MaxUploadBytes is the largest file accepted.
func (s *Service) MaxUploadBytes() int64 { return s.cfg.MaxUploadBytes }

// Asset returns one asset, or NOT_FOUND (also for ids that are not ids).
func (s *Service) Asset(ctx context.Context, id string) (Asset, error) {
	if !uuidPattern.MatchString(id) {
		return Asset{}, errs.E(errs.NotFound, "asset %q not found", id)
	}
	a, err := s.store.Asset(ctx, id)
	if err == nil {
		s.rows.Add(id, cachedAsset{a, s.cfg.Now()})
	}
	return a, err
}

// rowTTL is how long delivery trusts a cached row. Bytes never change for
// an id; only metadata (the focal point of cover crops) can, and another
// replica's edit shows here within this time.
const rowTTL = 30 * time.Second

// deliveryAsset is Asset through a short-lived cache: the hot path of
// /assets/ needs no query per request.
func (s *Service) deliveryAsset(ctx context.Context, id string) (Asset, error) {
	if c, ok := s.rows.Get(id); ok && s.cfg.Now().Sub(c.at) < rowTTL {
		return c.a, nil
	}
	return s.Asset(ctx, id)
}

// AssetsByIDs returns the assets that exist among ids (for loaders).
func (s *Service) AssetsByIDs(ctx context.Context, ids []string) (map[string]Asset, error) {
	valid := make([]string, 0, len(ids))
	for _, id := range ids {
		if uuidPattern.MatchString(id) {
			valid = append(valid, id)
		}
	}
	if len(valid) == 0 {
		return map[string]Asset{}, nil
	}
	return s.store.AssetsByIDs(ctx, valid)
}

// Missing returns those of ids that name no asset: content validation
// calls it so an entry cannot point at an asset that does not exist.
func (s *Service) Missing(ctx context.Context, ids []string) ([]string, error) {
	found, err := s.AssetsByIDs(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("checking assets: %w", err)
	}
	var missing []string
	for _, id := range ids {
		if _, ok := found[id]; !ok {
			missing = append(missing, id)
		}
	}
	return missing, nil
}

// Page sizes of the asset list.
const (
	DefaultFirst = 20
	MaxFirst     = 100
)

// List returns a page of first assets (0: DefaultFirst), newest first, and
// whether more follow.
func (s *Service) List(ctx context.Context, tag, after string, first int) ([]Asset, bool, error) {
	if first == 0 {
		first = DefaultFirst
	}
	if err := errs.CheckFirst(first, MaxFirst); err != nil {
		return nil, false, err
	}
	if after != "" && !uuidPattern.MatchString(after) {
		return nil, false, errs.Invalid("after is not a cursor from this list", errs.FieldError{Path: "after", Message: "invalid cursor"})
	}
	list, err := s.store.ListAssets(ctx, tag, after, first+1) // one more says whether a next page exists
	if err != nil || len(list) <= first {
		return list, false, err
	}
	return list[:first], true, nil
}

// storageError reports a blob failure to the client without its cause.
func storageError(err error, what string) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return errs.Wrap(errs.ServiceUnavailable, err, "asset storage is unavailable (%s); nothing was changed, try again", what)
}

func originalKey(sha string) string     { return "originals/" + sha[:2] + "/" + sha }
func renditionPrefix(sha string) string { return "renditions/" + sha[:2] + "/" + sha + "/" }
func stagingKey(id string) string       { return "uploads/" + id }
