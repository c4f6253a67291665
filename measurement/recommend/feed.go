package recommend

import (
	"context"
	"sync"
	"time"

	"github.com/mosaichq/mosaic/measurement"
)

// Events is measurement.Store with the engine fed from it: each batch the
// log's consumer commits is counted right after the commit. A batch
// redelivered whole (nothing new written) is not counted again.
type Events struct {
	measurement.Store
	Engine *Engine
}

// WriteEvents implements measurement.Store.
func (s Events) WriteEvents(ctx context.Context, events []measurement.Event) (int, error) {
	n, err := s.Store.WriteEvents(ctx, events)
	if err == nil && n > 0 {
		s.Engine.committed(ctx, events)
	}
	return n, err
}

// Decisions is measurement.DecisionStore with the engine fed from it: a
// visitor's latest record says the device, channel and segments its views
// count under.
type Decisions struct {
	measurement.DecisionStore
	Engine *Engine
}

// WriteDecisions implements measurement.DecisionStore.
func (s Decisions) WriteDecisions(ctx context.Context, ds []measurement.Decision) (int, error) {
	n, err := s.DecisionStore.WriteDecisions(ctx, ds)
	if err == nil && n > 0 {
		s.Engine.committedDecisions(ctx, ds)
	}
	return n, err
}

// History is what the engine is rebuilt from at start (storage/postgres).
type History interface {
	// RecommendEvents calls fn with the stored view events naming an
	// entry and purchase track events at or after since, in time order,
	// in batches of at most batch.
	RecommendEvents(ctx context.Context, since time.Time, batch int, fn func([]measurement.Event) error) error
	// RecommendContexts calls fn with each visitor's latest decision
	// record at or after since (device and channel: segments are not
	// stored), in batches.
	RecommendContexts(ctx context.Context, since time.Time, fn func([]measurement.Decision) error) error
}

// rebuildBatch is how many events the rebuild reads per batch (one
// people lookup each).
const rebuildBatch = 5000

// recentSlack: events received this long before the rebuild started may
// also be in a live batch that waited while it ran; their ids are kept
// so they count once.
const recentSlack = 10 * time.Minute

// Rebuild fills the engine from the store: the last MaxWindow of views
// and purchases and the visitors' latest contexts. Live batches that
// arrive meanwhile wait and are applied after it, so none is lost and
// none counted twice. The engine answers (from what it has so far) while
// it runs.
func (e *Engine) Rebuild(ctx context.Context, h History) error {
	e.hold()
	return e.rebuild(ctx, h)
}

// RebuildAsync is Rebuild in the background: live batches wait from the
// moment it returns (so the feed may start right after it); wait returns
// the rebuild's outcome.
func (e *Engine) RebuildAsync(ctx context.Context, h History) (wait func() error) {
	e.hold()
	done := make(chan error, 1)
	go func() { done <- e.rebuild(ctx, h) }()
	var once sync.Once
	var err error
	return func() error { once.Do(func() { err = <-done }); return err }
}

// hold makes live batches wait for the rebuild.
func (e *Engine) hold() {
	e.mu.Lock()
	e.rebuilding, e.rebuiltIDs = true, map[string]bool{}
	e.mu.Unlock()
}

func (e *Engine) rebuild(ctx context.Context, h History) error {
	start := e.cfg.Now()
	defer e.drain(ctx)
	since := start.Add(-MaxWindow)
	if err := h.RecommendContexts(ctx, since, func(ds []measurement.Decision) error {
		e.mu.Lock()
		e.applyDecisions(ds)
		e.mu.Unlock()
		return nil
	}); err != nil {
		return err
	}
	return h.RecommendEvents(ctx, since, rebuildBatch, func(evs []measurement.Event) error {
		e.mu.Lock()
		for _, ev := range evs {
			if !ev.ReceivedAt.Before(start.Add(-recentSlack)) {
				e.rebuiltIDs[ev.ID] = true
			}
		}
		e.mu.Unlock()
		e.apply(ctx, evs, nil)
		return ctx.Err()
	})
}

// drain applies what waited while the engine was rebuilt, until nothing
// does, then lets live batches through.
func (e *Engine) drain(ctx context.Context) {
	for {
		e.mu.Lock()
		pending, decs, skip := e.pending, e.pendingDec, e.rebuiltIDs
		e.pending, e.pendingDec = nil, nil
		if len(pending) == 0 && len(decs) == 0 {
			e.rebuilding, e.rebuiltIDs = false, nil
			e.mu.Unlock()
			return
		}
		for _, ds := range decs {
			e.applyDecisions(ds)
		}
		e.mu.Unlock()
		for _, evs := range pending {
			e.apply(ctx, evs, skip)
		}
	}
}
