package search

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/errs"
)

// Source is what the index reads: published entries as delivered, the
// content model, and the change log. *content.Service implements it.
type Source interface {
	Locales() content.Locales
	ContentTypes(ctx context.Context) ([]content.ContentType, error)
	EntriesByIDs(ctx context.Context, ids []string, locale string) (map[string]*content.Resolved, error)
	PublishedIDs(ctx context.Context, typeKey, after string, limit int) ([]string, error)
	CountPublished(ctx context.Context) (int, error)
	ChangesSince(ctx context.Context, epoch int64, limit int) ([]content.Change, error)
	Epoch(ctx context.Context) (int64, error)
}

// Config configures an Index.
type Config struct {
	// Dir holds the index (Dir/index); it is created when missing. Each
	// process needs its own: bleve locks the index for one process.
	Dir    string
	Source Source
	Logger *slog.Logger
	// BatchSize is how many entries are loaded and indexed per batch.
	BatchSize int
	// LockTimeout bounds the wait for another process's lock on the index.
	LockTimeout time.Duration
	// RetryDelay is the first pause before retrying work that failed (a
	// database blip); it doubles up to a minute.
	RetryDelay time.Duration
	// ResultCacheSize bounds the results cache (cache.go) in entries; 0
	// means DefaultResultCacheSize, negative turns it off.
	ResultCacheSize int
}

func (c Config) withDefaults() Config {
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.BatchSize == 0 {
		c.BatchSize = 250
	}
	if c.LockTimeout == 0 {
		c.LockTimeout = 2 * time.Second
	}
	if c.RetryDelay == 0 {
		c.RetryDelay = 500 * time.Millisecond
	}
	return c
}

func (c Config) validate() error {
	switch {
	case c.Dir == "":
		return errors.New("search: Dir is required")
	case c.Source == nil:
		return errors.New("search: Source is required")
	case c.BatchSize < 1 || c.BatchSize > 5000:
		return fmt.Errorf("search: BatchSize must be between 1 and 5000, got %d", c.BatchSize)
	}
	return nil
}

// Index is one process's search index. Writers (the change worker and
// Rebuild) take turns; searches run concurrently with both.
type Index struct {
	cfg     Config
	locales []string
	fp      string
	path    string

	mu  sync.RWMutex // guards bix, which Rebuild swaps
	bix bleve.Index

	results *resultCache // nil: off

	work       sync.Mutex // one writer at a time
	needsBuild bool       // guarded by work

	queue    queue
	ready    chan struct{}
	start    sync.Once
	stopOnce sync.Once
	cancel   context.CancelFunc
	done     chan struct{}
}

// Open opens the index under cfg.Dir, or creates an empty one. An index
// that is missing, unreadable, or built by another mapping version or for
// other locales is rebuilt by Start (or Rebuild); until then the old one,
// if any, keeps answering.
func Open(cfg Config) (*Index, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	locales := cfg.Source.Locales().Supported
	ix := &Index{cfg: cfg, locales: locales, fp: fingerprint(locales), path: filepath.Join(cfg.Dir, "index"),
		ready: make(chan struct{}), done: make(chan struct{}), results: newResultCache(cfg.ResultCacheSize)}
	ix.queue.init()
	if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("search: creating %s: %w", cfg.Dir, err)
	}
	// A rebuild that died before its swap leaves its half-built index.
	if err := os.RemoveAll(ix.path + ".new"); err != nil {
		return nil, fmt.Errorf("search: removing an abandoned rebuild: %w", err)
	}
	bix, err := bleve.OpenUsing(ix.path, ix.runtimeConfig())
	switch {
	case errors.Is(err, bolterrors.ErrTimeout):
		return nil, fmt.Errorf("search: the index in %s is in use by another process "+
			"(each Mosaic process needs its own data dir; stop the server before `mosaic reindex`)", cfg.Dir)
	case errors.Is(err, bleve.ErrorIndexPathDoesNotExist):
		bix, err = ix.create(ix.path)
		ix.needsBuild = true
	case err != nil:
		cfg.Logger.Warn("search index unreadable; rebuilding it", "dir", ix.path, "error", err)
		if err := os.RemoveAll(ix.path); err != nil {
			return nil, fmt.Errorf("search: removing unreadable index: %w", err)
		}
		bix, err = ix.create(ix.path)
		ix.needsBuild = true
	}
	if err != nil {
		return nil, err
	}
	ix.bix = bix
	if fp, _ := bix.GetInternal(keyMapping); string(fp) != ix.fp {
		if fp != nil {
			cfg.Logger.Info("search index built by another mapping; rebuilding it", "have", string(fp), "want", ix.fp)
		}
		ix.needsBuild = true
	}
	return ix, nil
}

func (ix *Index) runtimeConfig() map[string]any {
	return map[string]any{"bolt_timeout": ix.cfg.LockTimeout.String()}
}

// create makes an empty index at path with the current mapping.
func (ix *Index) create(path string) (bleve.Index, error) {
	bix, err := bleve.NewUsing(path, newMapping(ix.locales), bleve.Config.DefaultIndexType,
		bleve.Config.DefaultKVStore, ix.runtimeConfig())
	if err != nil {
		return nil, fmt.Errorf("search: creating the index in %s: %w", path, err)
	}
	return bix, nil
}

// Close stops the worker and closes the index. Safe to call twice.
func (ix *Index) Close() {
	ix.stop()
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.results.changed() // a closed index answers nothing, not even from memory
	if ix.bix != nil {
		if err := ix.bix.Close(); err != nil {
			ix.cfg.Logger.Error("closing the search index", "error", err)
		}
		ix.bix = nil
	}
}

// Ready reports whether the first sync after start is done: until then
// searches may miss content. /readyz uses it.
func (ix *Index) Ready(context.Context) error {
	select {
	case <-ix.ready:
		return nil
	default:
		return errs.E(errs.ServiceUnavailable, "search index is catching up")
	}
}

// WaitReady blocks until the first sync after Start is done, or ctx ends.
func (ix *Index) WaitReady(ctx context.Context) error {
	select {
	case <-ix.ready:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Stats describes the index.
type Stats struct {
	Documents uint64 // one per entry and locale
	Epoch     int64  // content epoch the index has caught up with
}

// Stats returns the document count and the epoch the index is at.
func (ix *Index) Stats() (Stats, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.bix == nil {
		return Stats{}, errors.New("search: index closed")
	}
	n, err := ix.bix.DocCount()
	if err != nil {
		return Stats{}, err
	}
	e, err := readEpoch(ix.bix)
	return Stats{Documents: n, Epoch: e}, err
}

func readEpoch(bix bleve.Index) (int64, error) {
	b, err := bix.GetInternal(keyEpoch)
	if err != nil || len(b) != 8 {
		return 0, err
	}
	return int64(binary.BigEndian.Uint64(b)), nil
}

func epochBytes(e int64) []byte { return binary.BigEndian.AppendUint64(nil, uint64(e)) }

// current returns the live bleve index for a writer (which holds work, so
// no swap can happen under it).
func (ix *Index) current() (bleve.Index, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.bix == nil {
		return nil, errors.New("search: index closed")
	}
	return ix.bix, nil
}
