package measurement

import (
	"context"
	"time"

	"github.com/mosaichq/mosaic/errs"
)

// Log is the durable log accepted events go through on their way to the
// store (measurement/eventlog: NATS JetStream).
type Log interface {
	// Append returns once every event is durably stored, or fails as a
	// whole. duplicates counts events the log already held (same id within
	// its dedupe window). A full log is ErrLogFull.
	Append(ctx context.Context, events []Event) (duplicates int, err error)
}

// Store keeps events for reports (storage/postgres).
type Store interface {
	// WriteEvents stores events idempotently: an id already stored for
	// its day is skipped. written counts the rows that were new. An error
	// coded BAD_USER_INPUT says the events themselves are refused (retrying
	// cannot help); any other is worth retrying.
	WriteEvents(ctx context.Context, events []Event) (written int, err error)
}

// ErrLogFull: the log holds as much as it may; the client retries later.
var ErrLogFull = errs.E(errs.ServiceUnavailable, "the event buffer is full: retry later")

// Result is the answer to a batch: how many events were accepted, and why
// the others were not.
type Result struct {
	Accepted int         `json:"accepted"`
	Rejected []Rejection `json:"rejected"`
}

// CollectorConfig configures a Collector.
type CollectorConfig struct {
	Log    Log
	Limits Limits
	// Now is the server's clock (default time.Now).
	Now func() time.Time
	// Metrics counts what happened (nil: nothing counted).
	Metrics *Metrics
	// Observe, when set, is told the events the log took, before Collect
	// returns: in-process readers (the behaviour profile cache) see them
	// without waiting for the store. It must not block.
	Observe func([]Event)
}

// Collector accepts batches of client events into the log.
type Collector struct {
	cfg CollectorConfig
}

// NewCollector returns a Collector over cfg.Log.
func NewCollector(cfg CollectorConfig) *Collector {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.Limits = cfg.Limits.WithDefaults()
	return &Collector{cfg: cfg}
}

// Collect parses body and appends its accepted events to the log. A
// malformed body is BAD_USER_INPUT; a log that cannot take the events is
// SERVICE_UNAVAILABLE: the client resends the whole batch (some of its
// events may have reached the log before it filled; their ids make the
// resend safe).
func (c *Collector) Collect(ctx context.Context, body []byte) (Result, error) {
	b, err := ParseBatch(body, c.cfg.Now().UTC(), c.cfg.Limits)
	if err != nil {
		c.cfg.Metrics.batchRefused()
		return Result{}, err
	}
	if len(b.Events) > 0 {
		dups, err := c.cfg.Log.Append(ctx, b.Events)
		if err != nil {
			if errs.CodeOf(err) == errs.ServiceUnavailable {
				c.cfg.Metrics.unavailable()
			}
			return Result{}, err
		}
		c.cfg.Metrics.deduplicated(StageLog, dups)
		if c.cfg.Observe != nil {
			c.cfg.Observe(b.Events)
		}
	}
	c.cfg.Metrics.accepted(b.Events)
	c.cfg.Metrics.rejected(b.Rejected)
	rejected := b.Rejected
	if rejected == nil {
		rejected = []Rejection{}
	}
	return Result{Accepted: len(b.Events), Rejected: rejected}, nil
}
