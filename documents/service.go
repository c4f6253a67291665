package documents

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/mosaichq/mosaic/errs"
)

// Store keeps documents.
type Store interface {
	// Register writes docs in one transaction: new ids are added, an APQ
	// document becomes trusted, an id already holding other text is a
	// CONFLICT and nothing is written. It returns how many were new.
	Register(ctx context.Context, docs []Document) (added int, err error)
	// AddAPQ stores an automatic persisted query unless its id exists.
	AddAPQ(ctx context.Context, d Document) error
	// Lookup finds a document by id, or a trusted one by its SHA-256;
	// found is false when there is none.
	Lookup(ctx context.Context, id string) (d Document, found bool, err error)
	// List returns trusted documents (or every one), by id, after after.
	List(ctx context.Context, trustedOnly bool, after string, limit int) ([]Document, error)
	// Delete removes id, reporting whether it existed.
	Delete(ctx context.Context, id string) (bool, error)
}

// Config configures a Service.
type Config struct {
	Store Store
	// Logger receives failed APQ writes (nil: discarded).
	Logger *slog.Logger
	Now    func() time.Time
}

// Service registers and finds documents; safe for concurrent use.
type Service struct {
	cfg   Config
	known *lru.Cache[string, cached]
}

type cached struct {
	d     Document
	found bool
	at    time.Time
}

// missFor is how long an unknown id is remembered as unknown: a client
// retrying a typo costs one query per interval, and a document registered
// on another replica is seen here within it.
const missFor = 2 * time.Second

// New returns a Service.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil {
		return nil, fmt.Errorf("documents: Store is required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	known, _ := lru.New[string, cached](10_000)
	return &Service{cfg: cfg, known: known}, nil
}

// Registration is what a manifest changed.
type Registration struct {
	Added, Unchanged int
	Documents        []Document
}

// Register parses a manifest and registers its documents as trusted, all
// or none.
func (s *Service) Register(ctx context.Context, actor string, manifest []byte) (Registration, error) {
	docs, err := ParseManifest(manifest)
	if err != nil {
		return Registration{}, err
	}
	for i := range docs {
		docs[i].Trusted, docs[i].CreatedBy = true, actor
	}
	added, err := s.cfg.Store.Register(ctx, docs)
	if err != nil {
		return Registration{}, err
	}
	s.known.Purge() // APQ entries may have become trusted; misses may exist now
	return Registration{Added: added, Unchanged: len(docs) - added, Documents: docs}, nil
}

// Lookup finds the document a client names by documentId (any of its id
// forms); NOT_FOUND when there is none.
func (s *Service) Lookup(ctx context.Context, id string) (Document, error) {
	d, ok, err := s.find(ctx, NormalizeID(id))
	if err != nil {
		return Document{}, err
	}
	if !ok {
		return Document{}, errs.E(errs.NotFound, "no document %q is registered on this server (register the frontend's manifest: mosaic documents push FILE)", id)
	}
	return d, nil
}

// Trusted reports whether body is the text of a trusted document.
func (s *Service) Trusted(ctx context.Context, body string) (bool, error) {
	d, ok, err := s.find(ctx, Hash(body))
	return ok && d.Trusted && d.Body == body, err
}

func (s *Service) find(ctx context.Context, id string) (Document, bool, error) {
	if c, ok := s.known.Get(id); ok && (c.found || s.cfg.Now().Sub(c.at) < missFor) {
		return c.d, c.found, nil
	}
	d, found, err := s.cfg.Store.Lookup(ctx, id)
	if err != nil {
		return Document{}, false, errs.Unavailable(err, "the document registry")
	}
	s.known.Add(id, cached{d: d, found: found, at: s.cfg.Now()})
	return d, found, nil
}

// MaxFirst bounds one page of List.
const MaxFirst = 500

// List returns registered documents.
func (s *Service) List(ctx context.Context, trustedOnly bool, after string, first int) ([]Document, error) {
	if err := errs.CheckFirst(first, MaxFirst); err != nil {
		return nil, err
	}
	return s.cfg.Store.List(ctx, trustedOnly, after, first)
}

// Delete removes a document; a frontend still sending its id gets
// NOT_FOUND on every replica within missFor.
func (s *Service) Delete(ctx context.Context, id string) error {
	ok, err := s.cfg.Store.Delete(ctx, NormalizeID(id))
	if err != nil {
		return err
	}
	if !ok {
		return errs.E(errs.NotFound, "no document %q", id)
	}
	s.known.Purge()
	return nil
}

// APQ is the automatic-persisted-query cache gqlgen's extension uses,
// backed by the shared table.
func (s *Service) APQ() *APQCache { return &APQCache{s: s} }

// APQCache implements gqlgen's graphql.Cache[string] over the registry.
type APQCache struct{ s *Service }

// Get implements graphql.Cache.
func (c *APQCache) Get(ctx context.Context, hash string) (string, bool) {
	d, ok, err := c.s.find(ctx, hash)
	if err != nil || !ok {
		return "", false
	}
	return d.Body, true
}

// Add implements graphql.Cache: gqlgen calls it once it has checked that
// the hash is the query's.
func (c *APQCache) Add(ctx context.Context, hash, query string) {
	d := Document{ID: hash, SHA256: hash, Body: query, CreatedBy: "apq"}
	if len(query) > MaxBody {
		return
	}
	if err := c.s.cfg.Store.AddAPQ(ctx, d); err != nil {
		c.s.cfg.Logger.WarnContext(ctx, "documents: storing an automatic persisted query", "error", err)
	}
	c.s.known.Add(hash, cached{d: d, found: true, at: c.s.cfg.Now()})
}
