package fleet

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/internal/periodic"
)

// Forget deletes a unit's row: a unit taken out of service would
// otherwise stay OFFLINE in the listing for ever. It reports whether there
// was a row. A unit that reports again later is a new unit (a fresh
// FirstSeenAt).
func (s *Service) Forget(ctx context.Context, screenID string) (bool, error) {
	if msg := screenIDProblem(screenID); msg != "" {
		return false, errs.Invalid("invalid screenId: "+msg, errs.FieldError{Path: "screenId", Message: msg})
	}
	ok, err := s.cfg.Store.Forget(ctx, screenID)
	if err != nil {
		return false, fmt.Errorf("forgetting screen %q: %w", screenID, err)
	}
	return ok, nil
}

// Prune forgets every unit quiet for longer than ForgetAfter (the same
// strict rule as OFFLINE: exactly ForgetAfter is kept) and returns how many
// it forgot. It does nothing when ForgetAfter is 0. Replicas may prune at
// once: deleting what is already deleted changes nothing.
func (s *Service) Prune(ctx context.Context) (int, error) {
	if s.cfg.ForgetAfter == 0 {
		return 0, nil
	}
	n, err := s.cfg.Store.Prune(ctx, s.cfg.Now().Add(-s.cfg.ForgetAfter))
	if err != nil {
		return 0, fmt.Errorf("pruning quiet screens: %w", err)
	}
	return n, nil
}

// StartPruner runs Prune every interval until the returned stop is
// called; stop waits for a prune in progress to end. With ForgetAfter 0
// it starts nothing.
func (s *Service) StartPruner(interval time.Duration) (stop func()) {
	if s.cfg.ForgetAfter == 0 {
		return func() {}
	}
	return periodic.Start(interval, func(ctx context.Context) {
		n, err := s.Prune(ctx)
		switch {
		case err != nil && !errors.Is(err, context.Canceled):
			s.cfg.Logger.WarnContext(ctx, "pruning the screen fleet", "error", err)
		case n > 0:
			s.cfg.Logger.InfoContext(ctx, "forgot quiet screens", "screens", n, "quiet_for", s.cfg.ForgetAfter)
		}
	})
}

// Counts returns how many units reported within OfflineAfter (online) and
// how many did not (offline), with one count query and no bundle build:
// its online is ONLINE and STALE together, which only [Service.List]
// tells apart. It is what the metrics gauge reads at every scrape.
func (s *Service) Counts(ctx context.Context) (online, offline int, err error) {
	seen, total, err := s.cfg.Store.Counts(ctx, s.cfg.Now().Add(-s.cfg.OfflineAfter))
	if err != nil {
		return 0, 0, fmt.Errorf("counting screens: %w", err)
	}
	return seen, total - seen, nil
}
