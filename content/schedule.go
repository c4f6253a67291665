package content

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Scheduled publications (campaign releases) make content change with time
// alone: a delivery read at instant t sees, per entry and locale, the newer
// of the live publication and the scheduled publications visible at t (see
// Store.PublishedBySlug). The service caches when the next one becomes
// visible, so cached values and HTTP caches can be bounded by it, and the
// content epoch, so responses can name the state they were computed in.
// Both are dropped with the delivery cache on every change.
type timeline struct {
	mu sync.Mutex
	// next publication after `from`, valid for reads in [from, next)
	// while the cache generation is gen.
	nextGen   uint64
	nextValid bool
	from      time.Time
	next      time.Time
	hasNext   bool
	// epoch, valid while the cache generation is epochGen
	epochGen   uint64
	epochValid bool
	epoch      int64
}

// Now is the service's clock: the instant a read without one is made at.
func (s *Service) Now() time.Time { return s.cfg.Now() }

// instant returns at, or now when at is zero.
func (s *Service) instant(at time.Time) time.Time {
	if at.IsZero() {
		return s.cfg.Now()
	}
	return at
}

// NextPublication returns the first instant strictly after `after` at
// which a scheduled publication becomes visible, and false if none is
// scheduled. Delivered content read at `after` stays true until then
// (barring writes, which the change feed announces).
func (s *Service) NextPublication(ctx context.Context, after time.Time) (time.Time, bool, error) {
	gen := s.cache.generation()
	tl := &s.timeline
	tl.mu.Lock()
	if tl.nextValid && tl.nextGen == gen && !after.Before(tl.from) && (!tl.hasNext || after.Before(tl.next)) {
		next, ok := tl.next, tl.hasNext
		tl.mu.Unlock()
		return next, ok, nil
	}
	tl.mu.Unlock()
	next, ok, err := s.store.NextPublication(ctx, after)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("finding the next scheduled publication: %w", err)
	}
	tl.mu.Lock()
	tl.nextGen, tl.nextValid, tl.from, tl.next, tl.hasNext = gen, true, after, next, ok
	tl.mu.Unlock()
	return next, ok, nil
}

// CurrentEpoch is Epoch, cached until the next change: delivery stamps
// every response with it without a query per request.
func (s *Service) CurrentEpoch(ctx context.Context) (int64, error) {
	gen := s.cache.generation()
	tl := &s.timeline
	tl.mu.Lock()
	if tl.epochValid && tl.epochGen == gen {
		e := tl.epoch
		tl.mu.Unlock()
		return e, nil
	}
	tl.mu.Unlock()
	e, err := s.store.Epoch(ctx)
	if err != nil {
		return 0, err
	}
	tl.mu.Lock()
	tl.epochGen, tl.epochValid, tl.epoch = gen, true, e
	tl.mu.Unlock()
	return e, nil
}

// until is the end of the window a value read at t is cached for.
func (s *Service) until(ctx context.Context, t time.Time) (time.Time, error) {
	next, ok, err := s.NextPublication(ctx, t)
	if err != nil || !ok {
		return time.Time{}, err
	}
	return next, nil
}

// DraftRef names one draft version of an entry's locale, e.g. the version a
// release validated and will snapshot.
type DraftRef struct {
	EntryID string
	Locale  string
	Version int
}
