package eventlog

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/measurement/wire"
)

const (
	// fetchWait is how long one pull waits for a first message.
	fetchWait = time.Second
	// ackWait is how long JetStream waits for an acknowledgement before
	// redelivering; a batch being retried tells it it is in progress.
	ackWait = 30 * time.Second
	// maxWriteItems bounds the events (or records) of one transaction,
	// about as many as before messages carried several.
	maxWriteItems = 2000
	// maxRetry caps the backoff between writes of a failing batch.
	maxRetry = 10 * time.Second
	// lingerBelow and linger: a fetch of fewer messages than lingerBelow
	// waits linger once for more before writing. A transaction costs
	// ~10 round trips and their statements' planning whatever its size,
	// so a trickle (decision records at a few thousand a second, in a
	// message per 50 ms from the Recorder) written as it comes paid that
	// per message; a backlog fetches far more and never waits.
	lingerBelow = 16
	linger      = 200 * time.Millisecond
	// writers is how many runs are written at once, by all consumers
	// together (Log.slots): a run's transaction alternates between this
	// process's CPU (encoding, rollup arithmetic) and PostgreSQL's, so one
	// writer leaves a core idle while a backlog waits. Replicas already
	// write at once; the locks and the tables' one order of writing
	// (storage) make that safe. Bounded for all consumers, not each: a
	// transaction may take a second pooled connection (resolving units),
	// and more transactions than the pool has connections could each
	// hold one and wait for another.
	writers = 2
)

// Start starts the consumers that write the log into cfg.Store (events)
// and cfg.Decisions (decision records, when set) and returns at once. The
// consumers are durable: what this process did not acknowledge is
// redelivered, to it or to another replica.
func (l *Log) Start(ctx context.Context) error {
	if l.cfg.Store == nil {
		return errors.New("eventlog: no store to write events to")
	}
	// Per kind, the consumer of earlier versions' subjects (what they
	// left in the stream; made first: a data dir older than filters has
	// it unfiltered, overlapping any other until updated) and the one of
	// this version's.
	type run struct {
		name, subject, desc string
		write               func(context.Context, []jetstream.Msg)
	}
	runs := []run{
		{consumerName, subjectPrefix + ">", "writes client events of earlier versions (JSON) to PostgreSQL", l.writeEvents},
		{wireConsumer, wireEventPrefix + ">", "writes client events to PostgreSQL", l.writeEvents},
	}
	if l.cfg.Decisions != nil {
		runs = append(runs,
			run{decisionConsumer, decisionSubject, "writes decision records of earlier versions (JSON) to PostgreSQL", l.writeDecisions},
			run{wireDecisionConsumer, wireDecisionSubject, "writes decision records to PostgreSQL", l.writeDecisions})
	}
	conss := make([]jetstream.Consumer, len(runs))
	for i, r := range runs {
		var err error
		if conss[i], err = l.consumer(ctx, r.name, r.subject, r.desc); err != nil {
			return fmt.Errorf("creating the consumer %s: %w", r.name, err)
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.stop != nil {
		return nil
	}
	ctx, l.stop = context.WithCancel(context.WithoutCancel(ctx))
	l.done = make(chan struct{})
	var wg sync.WaitGroup
	for i, r := range runs {
		wg.Go(func() { l.consume(ctx, conss[i], r.write) })
	}
	go func(done chan struct{}) { wg.Wait(); close(done) }(l.done)
	return nil
}

func (l *Log) consumer(ctx context.Context, name, subject, desc string) (jetstream.Consumer, error) {
	return l.stream.CreateOrUpdateConsumer(ctx, jetstream.ConsumerConfig{
		Durable: name, Description: desc, FilterSubject: subject,
		AckPolicy: jetstream.AckExplicitPolicy, AckWait: ackWait, MaxDeliver: -1,
		MaxAckPending: 4 * l.cfg.BatchSize, MaxRequestBatch: l.cfg.BatchSize,
	})
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

func (l *Log) consume(ctx context.Context, cons jetstream.Consumer, write func(context.Context, []jetstream.Msg)) {
	for ctx.Err() == nil {
		msgs := l.fetch(ctx, cons)
		if len(msgs) == 0 {
			continue
		}
		write(ctx, msgs)
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
	}
	if err == nil && len(msgs) > 0 && len(msgs) < min(lingerBelow, l.cfg.BatchSize) && l.cfg.Linger >= 0 {
		sleep(ctx, cmp.Or(l.cfg.Linger, linger))
		var more []jetstream.Msg
		more, err = drainBatch(cons.FetchNoWait(l.cfg.BatchSize - len(msgs)))
		msgs = append(msgs, more...)
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

// writeEvents stores event messages (write).
func (l *Log) writeEvents(ctx context.Context, msgs []jetstream.Msg) {
	write(ctx, l, measurement.KindEvents, msgs, wire.Events, l.cfg.Store.WriteEvents, l.cfg.Metrics.Wrote,
		func(e measurement.Event) []any { return []any{"id", e.ID, "type", e.Type} })
}

// writeDecisions stores decision records (write).
func (l *Log) writeDecisions(ctx context.Context, msgs []jetstream.Msg) {
	write(ctx, l, measurement.KindDecisions, msgs, wire.Decisions, l.cfg.Decisions.WriteDecisions,
		func(_, written int) { l.cfg.Metrics.WroteDecisions(written) },
		func(d measurement.Decision) []any { return []any{"id", d.ID} })
}

// write stores msgs' items (decode: one message may hold several) in
// runs (writeRun), retrying while the store is away, acknowledging each
// run after its commit. It returns early only when ctx ends (the messages are then redelivered after
// ackWait, or at once to another consumer after a Nak).
func write[T any](ctx context.Context, l *Log, kind string, msgs []jetstream.Msg, decode func([]byte) ([]T, error),
	store func(context.Context, []T) (int, error), wrote func(n, written int), describe func(T) []any) {
	kept := msgs[:0:0]
	var groups [][]T // the items of each kept message
	for _, m := range msgs {
		its, err := decode(m.Data())
		if err != nil {
			l.cfg.Log.ErrorContext(ctx, "dropping an undecodable message from the log", "subject", m.Subject(), "error", err)
			_ = m.Term()
			continue
		}
		kept, groups = append(kept, m), append(groups, its)
	}
	// A fetch is up to BatchSize messages, each up to 64 items: written
	// in runs of about maxWriteItems, so a transaction stays short of the
	// ack wait however full the messages are; up to writers at once.
	type run struct{ start, end int }
	var runs []run
	for start, n, i := 0, 0, 0; i < len(kept); i++ {
		n += len(groups[i])
		if n < maxWriteItems && i < len(kept)-1 {
			continue
		}
		runs = append(runs, run{start, i + 1})
		start, n = i+1, 0
	}
	next := make(chan run)
	var wg sync.WaitGroup
	for range min(writers, len(runs)) {
		wg.Go(func() {
			for r := range next {
				select {
				case l.slots <- struct{}{}:
				case <-ctx.Done():
					nakAll(kept[r.start:r.end])
					continue
				}
				var items []T
				for _, g := range groups[r.start:r.end] {
					items = append(items, g...)
				}
				// false: ctx ended, the run's messages were given back.
				writeRun(ctx, l, kind, items, kept[r.start:r.end], groups[r.start:r.end], store, wrote, describe)
				<-l.slots
			}
		})
	}
	for i, r := range runs {
		if ctx.Err() != nil {
			nakAll(kept[runs[i].start:])
			break
		}
		next <- r
	}
	close(next)
	wg.Wait()
}

// writeRun stores one run of messages' items, retrying while the store is
// away, then acknowledges them; false when ctx ended first (the run's
// messages were given back).
func writeRun[T any](ctx context.Context, l *Log, kind string, items []T, kept []jetstream.Msg, groups [][]T,
	store func(context.Context, []T) (int, error), wrote func(n, written int), describe func(T) []any) bool {
	wait := l.cfg.Retry
	for attempt := 0; ; attempt++ {
		start := time.Now()
		written, err := store(ctx, items)
		if err == nil {
			l.cfg.Metrics.WriteTook(kind, time.Since(start))
			wrote(len(items), written)
			ackAll(kept)
			return true
		}
		if ctx.Err() != nil {
			nakAll(kept)
			return false
		}
		if errs.CodeOf(err) == errs.BadUserInput && attempt > 0 {
			// Refused for what it holds, twice: find the message at
			// fault. Anything else (an outage, an error not understood)
			// is retried: dropping is only for messages at fault.
			isolate(ctx, l, groups, kept, store, wrote, describe)
			return ctx.Err() == nil
		}
		l.cfg.Metrics.WriteFailed(kind)
		l.cfg.Log.WarnContext(ctx, "writing to the store; retrying", "messages", len(kept), "items", len(items), "retry_in", wait, "error", err)
		for _, m := range kept {
			_ = m.InProgress()
		}
		sleep(ctx, wait)
		wait = min(2*wait, maxRetry)
	}
}

// isolate writes the messages one at a time, and the items of a message
// the store refuses one at a time: those refused alone (BAD_USER_INPUT)
// are logged and dropped, the others stored, then the message is
// terminated. Any other failure leaves the rest for redelivery.
func isolate[T any](ctx context.Context, l *Log, groups [][]T, msgs []jetstream.Msg, store func(context.Context, []T) (int, error),
	wrote func(n, written int), describe func(T) []any) {
	for i, its := range groups {
		written, err := store(ctx, its)
		switch {
		case err == nil:
			wrote(len(its), written)
			_ = msgs[i].Ack()
			continue
		case errs.CodeOf(err) != errs.BadUserInput || ctx.Err() != nil:
			nakAll(msgs[i:])
			return
		}
		for _, it := range its {
			written, err := store(ctx, []T{it})
			switch {
			case err == nil:
				wrote(1, written)
			case errs.CodeOf(err) != errs.BadUserInput || ctx.Err() != nil:
				// Stored so far stays stored (idempotent on redelivery).
				nakAll(msgs[i:])
				return
			default:
				l.cfg.Log.ErrorContext(ctx, "the store refuses an item: dropped", append(describe(it), "error", err)...)
			}
		}
		_ = msgs[i].Term()
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
