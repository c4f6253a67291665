package eventlog

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/measurement"
)

const (
	// fetchWait is how long one pull waits for a first message.
	fetchWait = time.Second
	// ackWait is how long JetStream waits for an acknowledgement before
	// redelivering; a batch being retried tells it it is in progress.
	ackWait = 30 * time.Second
	// maxRetry caps the backoff between writes of a failing batch.
	maxRetry = 10 * time.Second
)

// Start starts the consumer that writes the log into cfg.Store and returns
// at once. The consumer is durable: what this process did not acknowledge
// is redelivered, to it or to another replica.
func (l *Log) Start(ctx context.Context) error {
	if l.cfg.Store == nil {
		return errors.New("eventlog: no store to write events to")
	}
	cons, err := l.stream.CreateOrUpdateConsumer(ctx, jetstream.ConsumerConfig{
		Durable: consumerName, Description: "writes client events to PostgreSQL",
		AckPolicy: jetstream.AckExplicitPolicy, AckWait: ackWait, MaxDeliver: -1,
		MaxAckPending: 4 * l.cfg.BatchSize, MaxRequestBatch: l.cfg.BatchSize,
	})
	if err != nil {
		return fmt.Errorf("creating the event consumer: %w", err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.stop != nil {
		return nil
	}
	ctx, l.stop = context.WithCancel(context.WithoutCancel(ctx))
	l.done = make(chan struct{})
	go l.consume(ctx, cons, l.done)
	return nil
}

// Stop ends the consumer and waits for it; a batch not yet written is left
// for redelivery. Safe to call twice, and without Start.
func (l *Log) Stop() {
	l.mu.Lock()
	stop, done := l.stop, l.done
	l.mu.Unlock()
	if stop == nil {
		return
	}
	stop()
	<-done
}

func (l *Log) consume(ctx context.Context, cons jetstream.Consumer, done chan struct{}) {
	defer close(done)
	for ctx.Err() == nil {
		msgs := l.fetch(ctx, cons)
		if len(msgs) == 0 {
			continue
		}
		l.write(ctx, msgs)
	}
}

// fetch takes what is pending, up to a batch, at once; when nothing is,
// it waits at most fetchWait for a first event and takes what came with
// it. A steady trickle is written as it comes instead of waiting for a
// full batch; a backlog goes in full batches.
func (l *Log) fetch(ctx context.Context, cons jetstream.Consumer) []jetstream.Msg {
	msgs, err := drainBatch(cons.FetchNoWait(l.cfg.BatchSize))
	if err == nil && len(msgs) == 0 {
		fctx, cancel := context.WithTimeout(ctx, fetchWait)
		msgs, err = drainBatch(cons.Fetch(1, jetstream.FetchContext(fctx)))
		cancel()
		if err == nil && len(msgs) > 0 && l.cfg.BatchSize > 1 {
			var more []jetstream.Msg
			more, err = drainBatch(cons.FetchNoWait(l.cfg.BatchSize - 1))
			msgs = append(msgs, more...)
		}
	}
	if err != nil && ctx.Err() == nil {
		l.cfg.Log.WarnContext(ctx, "pulling events from the log", "error", err)
		if len(msgs) == 0 {
			sleep(ctx, l.cfg.Retry)
		}
	}
	return msgs
}

// drainBatch collects a fetch's messages; running out of time or of
// messages is not an error.
func drainBatch(batch jetstream.MessageBatch, err error) ([]jetstream.Msg, error) {
	if err != nil {
		return nil, err
	}
	var msgs []jetstream.Msg
	for m := range batch.Messages() {
		msgs = append(msgs, m)
	}
	if err := batch.Error(); err != nil && !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) &&
		!errors.Is(err, jetstream.ErrNoMessages) && !errors.Is(err, nats.ErrTimeout) {
		return msgs, err
	}
	return msgs, nil
}

// write stores msgs, retrying while the store is away, then acknowledges
// them. It returns early only when ctx ends (the messages are then
// redelivered after ackWait, or at once to another consumer after a Nak).
func (l *Log) write(ctx context.Context, msgs []jetstream.Msg) {
	events := make([]measurement.Event, 0, len(msgs))
	kept := msgs[:0:0]
	for _, m := range msgs {
		var e measurement.Event
		if err := json.Unmarshal(m.Data(), &e); err != nil {
			l.cfg.Log.ErrorContext(ctx, "dropping an undecodable event from the log", "subject", m.Subject(), "error", err)
			_ = m.Term()
			continue
		}
		events, kept = append(events, e), append(kept, m)
	}
	wait := l.cfg.Retry
	for attempt := 0; ; attempt++ {
		written, err := l.cfg.Store.WriteEvents(ctx, events)
		if err == nil {
			l.cfg.Metrics.Wrote(len(events), written)
			ackAll(kept)
			return
		}
		if ctx.Err() != nil {
			nakAll(kept)
			return
		}
		if errs.CodeOf(err) == errs.BadUserInput && attempt > 0 {
			// Refused for what it holds, twice: find the event at fault.
			// Anything else (an outage, an error not understood) is
			// retried: dropping events is only for events at fault.
			l.isolate(ctx, events, kept)
			return
		}
		l.cfg.Log.WarnContext(ctx, "writing events to the store; retrying", "events", len(events), "retry_in", wait, "error", err)
		for _, m := range kept {
			_ = m.InProgress()
		}
		sleep(ctx, wait)
		wait = min(2*wait, maxRetry)
	}
}

// isolate writes events one at a time: those the store refuses alone
// (BAD_USER_INPUT) are logged and terminated; any other failure leaves the
// rest for redelivery.
func (l *Log) isolate(ctx context.Context, events []measurement.Event, msgs []jetstream.Msg) {
	for i, e := range events {
		written, err := l.cfg.Store.WriteEvents(ctx, events[i:i+1])
		switch {
		case err == nil:
			l.cfg.Metrics.Wrote(1, written)
			_ = msgs[i].Ack()
		case errs.CodeOf(err) != errs.BadUserInput || ctx.Err() != nil:
			nakAll(msgs[i:])
			return
		default:
			l.cfg.Log.ErrorContext(ctx, "the store refuses an event: dropped", "id", e.ID, "type", e.Type, "error", err)
			_ = msgs[i].Term()
		}
	}
}

func ackAll(msgs []jetstream.Msg) {
	for _, m := range msgs {
		_ = m.Ack()
	}
}

func nakAll(msgs []jetstream.Msg) {
	for _, m := range msgs {
		_ = m.Nak()
	}
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
