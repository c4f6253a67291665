package events

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"
)

// Store is the event log as the hub reads it.
type Store interface {
	// After returns the events with an id above after, oldest first, at
	// most limit.
	After(ctx context.Context, after int64, limit int) ([]Event, error)
	// Bounds returns the id up to which retention may have deleted events
	// and the last id handed out. A client may resume from any id in
	// [pruned, head].
	Bounds(ctx context.Context) (pruned, head int64, err error)
}

// HubConfig tunes a Hub.
type HubConfig struct {
	// Poll is how often the hub reads the log without being woken, in case
	// a notification was lost. Default 2s.
	Poll time.Duration
	// Buffer is how many events a subscriber may lag behind before it is
	// dropped (its client reconnects and replays from the log). Default 256.
	Buffer int
	Log    *slog.Logger
}

func (c HubConfig) withDefaults() HubConfig {
	if c.Poll <= 0 {
		c.Poll = 2 * time.Second
	}
	if c.Buffer <= 0 {
		c.Buffer = 256
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	return c
}

// pageSize bounds one read of the log.
const pageSize = 500

// Hub tails the event log and hands each new event to this replica's
// subscribers. It reads when woken (a NOTIFY) and every Poll.
type Hub struct {
	store Store
	cfg   HubConfig
	wake  chan struct{}

	mu     sync.Mutex
	subs   map[*Subscription]struct{}
	cursor int64 // last id handed to subscribers
	closed bool

	stopOnce sync.Once
	cancel   context.CancelFunc
	done     chan struct{}
}

// Subscription receives matching events in id order on C. C is closed
// when the subscriber lagged too far or the hub stopped.
type Subscription struct {
	C      <-chan Event
	c      chan Event
	filter Filter
	// From is the hub's cursor when subscribing: every later event that
	// matches arrives on C.
	From int64
}

// ErrStopped is returned by Start on a stopped hub.
var ErrStopped = errors.New("events: hub stopped")

// NewHub returns a hub over store; Start begins tailing.
func NewHub(store Store, cfg HubConfig) *Hub {
	return &Hub{store: store, cfg: cfg.withDefaults(), wake: make(chan struct{}, 1),
		subs: map[*Subscription]struct{}{}, done: make(chan struct{})}
}

// Start reads the log's head, so that only events from now on are
// broadcast, and tails the log in the background until Stop.
func (h *Hub) Start(ctx context.Context) error {
	_, head, err := h.store.Bounds(ctx)
	if err != nil {
		return err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return ErrStopped
	}
	h.cursor = head
	ctx, h.cancel = context.WithCancel(context.WithoutCancel(ctx))
	go h.run(ctx)
	return nil
}

// Stop ends tailing and closes every subscription. Safe to call twice.
func (h *Hub) Stop() {
	h.stopOnce.Do(func() {
		h.mu.Lock()
		h.closed = true
		cancel := h.cancel
		for s := range h.subs {
			close(s.c)
		}
		clear(h.subs)
		h.mu.Unlock()
		if cancel != nil {
			cancel()
			<-h.done
		}
	})
}

// Wake makes the hub read the log now; it never blocks.
func (h *Hub) Wake() {
	select {
	case h.wake <- struct{}{}:
	default:
	}
}

// Subscribe registers a subscriber for events matching f.
func (h *Hub) Subscribe(f Filter) *Subscription {
	c := make(chan Event, h.cfg.Buffer)
	s := &Subscription{C: c, c: c, filter: f}
	h.mu.Lock()
	defer h.mu.Unlock()
	s.From = h.cursor
	if h.closed {
		close(c)
		return s
	}
	h.subs[s] = struct{}{}
	return s
}

// Unsubscribe removes s; safe after s was dropped.
func (h *Hub) Unsubscribe(s *Subscription) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.subs[s]; ok {
		delete(h.subs, s)
		close(s.c)
	}
}

// Subscribers counts current subscribers.
func (h *Hub) Subscribers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs)
}

// Cursor is the id of the last event the hub handed out.
func (h *Hub) Cursor() int64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.cursor
}

func (h *Hub) run(ctx context.Context) {
	defer close(h.done)
	poll := time.NewTicker(h.cfg.Poll)
	defer poll.Stop()
	for {
		h.drain(ctx)
		select {
		case <-ctx.Done():
			return
		case <-h.wake:
		case <-poll.C:
		}
	}
}

// drain reads and broadcasts everything after the cursor. Only run calls
// it, so the cursor it reads cannot move underneath it.
func (h *Hub) drain(ctx context.Context) {
	for {
		evs, err := h.store.After(ctx, h.Cursor(), pageSize)
		if err != nil {
			if ctx.Err() == nil {
				h.cfg.Log.WarnContext(ctx, "reading the event log", "error", err)
			}
			return
		}
		h.broadcast(evs)
		if len(evs) < pageSize {
			return
		}
	}
}

func (h *Hub) broadcast(evs []Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, e := range evs {
		h.cursor = e.ID
		for s := range h.subs {
			if !s.filter.Match(e) {
				continue
			}
			select {
			case s.c <- e:
			default:
				// Never block the hub on one slow client: drop it; it
				// reconnects with Last-Event-ID and replays from the log.
				delete(h.subs, s)
				close(s.c)
			}
		}
	}
}
