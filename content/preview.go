package content

import (
	"context"
	"fmt"
	"time"
)

// Preview delivers the latest drafts instead of published content: the
// same locale-fallback merge, links and global blocks (also read as their
// drafts), so personalization sees exactly what publishing would deliver.
// Preview reads never use or fill the published-content cache, and an
// entry that was never published is visible here.

// rowsByIDs reads the rows of documents ids in the locales of chain, in
// one read mode (published at an instant, or drafts).
type rowsByIDs func(ctx context.Context, ids, chain []string) ([]Published, error)

// publishedAt reads published rows as delivered at instant at.
func (s *Service) publishedAt(at time.Time) rowsByIDs {
	return func(ctx context.Context, ids, chain []string) ([]Published, error) {
		return s.store.PublishedByIDs(ctx, ids, chain, at)
	}
}

// PreviewEntry is Entry over the latest drafts: the entry of type typ
// ("" = any) whose draft slug is slug in locale's fallback chain, or nil.
// Resolved.Version is the draft version and PublishedAt its last save.
func (s *Service) PreviewEntry(ctx context.Context, typ, slug, locale string) (*Resolved, error) {
	if locale == "" {
		locale = s.cfg.Locales.Default
	}
	chain, err := s.cfg.Locales.Chain(locale)
	if err != nil {
		return nil, err
	}
	rows, err := s.store.DraftsBySlug(ctx, typ, slug, chain)
	if err != nil {
		return nil, fmt.Errorf("loading draft %s %q: %w", typ, slug, err)
	}
	id, err := pickBySlug(rows, slug, chain)
	if err != nil || id == "" {
		return nil, err
	}
	docs, err := s.assemble(ctx, chain, rows, s.store.DraftsByIDs)
	if err != nil {
		return nil, err
	}
	return docs[id], nil
}

// PreviewEntriesByIDs is EntriesByIDs over the latest drafts.
func (s *Service) PreviewEntriesByIDs(ctx context.Context, ids []string, locale string) (map[string]*Resolved, error) {
	return s.entriesByIDs(ctx, ids, locale, s.store.DraftsByIDs)
}

func (s *Service) entriesByIDs(ctx context.Context, ids []string, locale string, read rowsByIDs) (map[string]*Resolved, error) {
	chain, err := s.cfg.Locales.Chain(locale)
	if err != nil {
		return nil, err
	}
	valid := ids[:0:0]
	for _, id := range ids {
		if uuidPattern.MatchString(id) {
			valid = append(valid, id)
		}
	}
	if len(valid) == 0 {
		return map[string]*Resolved{}, nil
	}
	rows, err := read(ctx, valid, chain)
	if err != nil {
		return nil, fmt.Errorf("loading entries by id: %w", err)
	}
	return s.assemble(ctx, chain, rows, read)
}
