package webhook

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/events"
)

// Delivery statuses.
const (
	StatusPending   = "pending"
	StatusSucceeded = "succeeded"
	StatusFailed    = "failed"
)

// Delivery is one event on its way to one endpoint.
type Delivery struct {
	ID            int64
	EndpointID    string
	EventID       int64
	EventType     string
	Status        string
	Attempts      int
	NextAttemptAt time.Time // meaningful while pending
	LastAttemptAt *time.Time
	LastStatus    *int
	LastError     *string
	CreatedAt     time.Time
	// Log is every attempt, oldest first.
	Log []Attempt
}

// Attempt is one HTTP request of a delivery.
type Attempt struct {
	Attempt    int
	At         time.Time
	Duration   time.Duration
	StatusCode *int
	Error      *string
	// Response is the start of the response body.
	Response *string
}

// DeliveryQuery selects from the delivery log, newest first.
type DeliveryQuery struct {
	EndpointID string
	EventID    int64
	Status     string
	First      int
	// After is the id of the last delivery of the previous page.
	After int64
}

// Job is a claimed delivery, with what the worker needs to send it.
type Job struct {
	DeliveryID int64
	Attempt    int
	URL        string
	Secret     string
	Event      events.Event
}

// Result is the outcome of one attempt.
type Result struct {
	Attempt
	// Status is the delivery's status after it; Next when still pending.
	Status string
	Next   time.Duration
}

// Store keeps endpoints and deliveries.
type Store interface {
	CreateEndpoint(ctx context.Context, e Endpoint) (Endpoint, error)
	Endpoints(ctx context.Context) ([]Endpoint, error)
	// DeleteEndpoint returns a NOT_FOUND *errs.Error for an unknown id.
	DeleteEndpoint(ctx context.Context, id string) error
	// Deliveries answers q, each with its Log.
	Deliveries(ctx context.Context, q DeliveryQuery) ([]Delivery, error)
	// Redeliver makes a finished delivery pending again, due now.
	Redeliver(ctx context.Context, id int64) (Delivery, error)

	// Dispatch turns up to limit events after the fan-out cursor into
	// pending deliveries and moves the cursor; it returns how many events
	// it consumed. Concurrent callers take turns.
	Dispatch(ctx context.Context, limit int) (int, error)
	// Claim takes up to limit due deliveries, counting an attempt and
	// pushing their due time out by lease so no one else takes them.
	Claim(ctx context.Context, limit int, lease time.Duration) ([]Job, error)
	// Record logs an attempt and sets the delivery's status, unless the
	// delivery has since been claimed again (its lease ran out).
	Record(ctx context.Context, j Job, r Result) error
}

// Service is the management side of webhooks: endpoints and the log.
type Service struct {
	store Store
	log   *slog.Logger
}

// NewService returns the webhook service over store.
func NewService(store Store, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{store: store, log: log}
}

// Page sizes of the delivery log.
const (
	DefaultPage = 50
	MaxPage     = 500
)

// Deliveries queries the delivery log, newest first; more reports whether
// another page follows.
func (s *Service) Deliveries(ctx context.Context, q DeliveryQuery) (page []Delivery, more bool, err error) {
	if q.First == 0 {
		q.First = DefaultPage
	}
	if err := errs.CheckFirst(q.First, MaxPage); err != nil {
		return nil, false, err
	}
	if q.EndpointID != "" && !uuidPattern.MatchString(q.EndpointID) {
		return nil, false, errs.Invalid("invalid filter", errs.FieldError{Path: "endpointId", Message: "must be an endpoint id"})
	}
	switch q.Status {
	case "", StatusPending, StatusSucceeded, StatusFailed:
	default:
		return nil, false, errs.Invalid("invalid filter", errs.FieldError{Path: "status", Message: "must be pending, succeeded or failed"})
	}
	want := q.First
	q.First++ // one more says whether a next page exists
	out, err := s.store.Deliveries(ctx, q)
	if err != nil {
		return nil, false, fmt.Errorf("reading the webhook delivery log: %w", err)
	}
	if len(out) > want {
		return out[:want], true, nil
	}
	return out, false, nil
}

// ParseCursor reads a page cursor (a delivery id) or an event id.
func ParseCursor(path, v string) (int64, error) {
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return 0, errs.Invalid("invalid id", errs.FieldError{Path: path, Message: "must be a positive integer id"})
	}
	return n, nil
}

// Redeliver queues a delivery again, due now, whatever its status — for a
// receiver that was down longer than the retries lasted.
func (s *Service) Redeliver(ctx context.Context, actor string, id int64) (Delivery, error) {
	d, err := s.store.Redeliver(ctx, id)
	if err != nil {
		return Delivery{}, err
	}
	s.log.InfoContext(ctx, "webhook delivery queued again", "delivery", id, "by", actor)
	return d, nil
}
