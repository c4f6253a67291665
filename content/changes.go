package content

import (
	"context"
	"fmt"

	"github.com/mosaichq/mosaic/errs"
)

// Change is one row of the content change log, as the change feed announces
// it: every publish, unpublish, delete and model change bumps the content
// epoch. Derived indexes (search) replay the log to catch up after a crash.
type Change struct {
	Epoch  int64  `json:"epoch"`
	Action string `json:"action"` // publish, unpublish, delete, model, personalization; resync from a feed
	Entry  string `json:"entry,omitempty"`
	Locale string `json:"locale,omitempty"`
	Type   string `json:"type,omitempty"`
}

// Change actions that concern entries and the model.
const (
	ChangePublish   = "publish"
	ChangeUnpublish = "unpublish"
	ChangeDelete    = "delete"
	ChangeModel     = "model"
	// ChangeResync is sent by a change feed that lost its connection:
	// notifications may have been missed.
	ChangeResync = "resync"
)

// ChangeLog is the part of Store that derived indexes read: the published
// documents in id order and the change log. Store embeds it.
type ChangeLog interface {
	// PublishedIDs returns the ids of documents with at least one published
	// locale, of typeKey ("" = any), in id order, after id after ("" = from
	// the start), at most limit.
	PublishedIDs(ctx context.Context, typeKey, after string, limit int) ([]string, error)
	// CountPublished counts documents with at least one published locale.
	CountPublished(ctx context.Context) (int, error)
	// ChangesSince returns changes with an epoch above epoch, oldest first,
	// at most limit.
	ChangesSince(ctx context.Context, epoch int64, limit int) ([]Change, error)
}

const maxPage = 10000

// PublishedIDs pages through the ids of published documents of typeKey (""
// = any type), for reindexing.
func (s *Service) PublishedIDs(ctx context.Context, typeKey, after string, limit int) ([]string, error) {
	if limit <= 0 || limit > maxPage {
		return nil, errs.E(errs.BadUserInput, "limit must be between 1 and %d", maxPage)
	}
	if after != "" && !uuidPattern.MatchString(after) {
		return nil, errs.Invalid("invalid entry id", errs.FieldError{Path: "after", Message: "must be an entry id"})
	}
	ids, err := s.store.PublishedIDs(ctx, typeKey, after, limit)
	if err != nil {
		return nil, fmt.Errorf("listing published ids: %w", err)
	}
	return ids, nil
}

// CountPublished counts published documents (any locale).
func (s *Service) CountPublished(ctx context.Context) (int, error) {
	return s.store.CountPublished(ctx)
}

// ChangesSince reads the change log after epoch, oldest first.
func (s *Service) ChangesSince(ctx context.Context, epoch int64, limit int) ([]Change, error) {
	if limit <= 0 || limit > maxPage {
		return nil, errs.E(errs.BadUserInput, "limit must be between 1 and %d", maxPage)
	}
	out, err := s.store.ChangesSince(ctx, epoch, limit)
	if err != nil {
		return nil, fmt.Errorf("reading changes since epoch %d: %w", epoch, err)
	}
	return out, nil
}

// Epoch is the content epoch: the newest change log entry.
func (s *Service) Epoch(ctx context.Context) (int64, error) {
	return s.store.Epoch(ctx)
}
