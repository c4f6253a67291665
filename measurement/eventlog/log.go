package eventlog

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/measurement/wire"
)

// Defaults.
const (
	DefaultStream   = "MOSAIC_EVENTS"
	DefaultMaxBytes = 1 << 30 // 1 GiB of pending events, ~2 M typical events
	// DefaultDupWindow: JetStream holds ~140 B per message id for the
	// window (with an id per event, 2 minutes at 20,000 events/s was ~330
	// MiB of heap); the store's (id, day) key drops what is resent later.
	DefaultDupWindow = 30 * time.Second
	DefaultBatchSize = 1000
	// wirePrefix starts the subjects of messages in measurement/wire's
	// binary form: wirePrefix + "events." + event type, and
	// wireDecisionSubject. Their durable consumers are wireConsumer and
	// wireDecisionConsumer.
	wirePrefix           = "mosaic.wire1."
	wireEventPrefix      = wirePrefix + "events."
	wireDecisionSubject  = wirePrefix + "decisions"
	wireConsumer         = "mosaic-store-wire1"
	wireDecisionConsumer = "mosaic-decisions-wire1"
	// subjectPrefix + event type, and decisionSubject, are the subjects
	// earlier versions appended JSON to, consumerName and
	// decisionConsumer their durable consumers. They stay, read by every
	// version: a message this version appended never reaches a consumer
	// of an earlier one (which would drop what it cannot read) while
	// replicas of both share a stream, and what earlier versions left in
	// the stream is still written.
	subjectPrefix    = "mosaic.events."
	decisionSubject  = "mosaic.decisions"
	consumerName     = "mosaic-store"
	decisionConsumer = "mosaic-decisions"
	// eventsPerMsg is how many client events of one type one message
	// carries (a /collect batch is at most 500, typically 50): a message
	// each cost more than parsing and checking the event, and JetStream's
	// dedupe window holds an id per message, not per event.
	eventsPerMsg = 64
	// decisionsPerMsg is how many decision records one message carries
	// (~1.5 KB each with 8 blocks: ~100 KB, well under NATS's 1 MB): a
	// message each cost ~85 µs of publishing, more than building and
	// encoding the record.
	decisionsPerMsg = 64
	// publishTimeout bounds the wait for JetStream's acknowledgements.
	publishTimeout = 5 * time.Second
)

// Config configures the log.
type Config struct {
	// URL of an external NATS server; empty embeds one in the process.
	URL string
	// Dir is where the embedded server keeps its files (required when
	// embedded).
	Dir string
	// Stream is the stream's name (DefaultStream).
	Stream string
	// MaxBytes and MaxMsgs bound what the stream holds pending (0:
	// DefaultMaxBytes; no message limit).
	MaxBytes int64
	MaxMsgs  int64
	// DupWindow is JetStream's dedupe window by event id (DefaultDupWindow).
	DupWindow time.Duration
	// Replicas of the stream on a cluster (default 1).
	Replicas int
	// Store receives the events; nil: Start refuses.
	Store measurement.Store
	// Decisions receives decision records; nil: none are consumed (they
	// wait in the stream).
	Decisions measurement.DecisionStore
	// BatchSize is the most events written in one transaction.
	BatchSize int
	// Retry is the first wait after a failed write (default 500ms); it
	// doubles up to 10s.
	Retry time.Duration
	// Linger is how long a small fetch waits for more before it is
	// written (0: 200ms; negative: never waits).
	Linger  time.Duration
	Metrics *measurement.Metrics
	Log     *slog.Logger
}

func (c Config) withDefaults() Config {
	if c.Stream == "" {
		c.Stream = DefaultStream
	}
	if c.MaxBytes == 0 {
		c.MaxBytes = DefaultMaxBytes
	}
	if c.MaxMsgs == 0 {
		c.MaxMsgs = -1
	}
	if c.DupWindow == 0 {
		c.DupWindow = DefaultDupWindow
	}
	if c.Replicas == 0 {
		c.Replicas = 1
	}
	if c.BatchSize == 0 {
		c.BatchSize = DefaultBatchSize
	}
	if c.Retry == 0 {
		c.Retry = 500 * time.Millisecond
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	return c
}

// Log is the durable event log. It implements measurement.Log.
type Log struct {
	cfg    Config
	srv    *server.Server // nil with an external server
	nc     *nats.Conn
	js     jetstream.JetStream
	stream jetstream.Stream

	mu   sync.Mutex
	stop context.CancelFunc
	done chan struct{}
	// slots bounds the transactions of all consumers at once (writers).
	slots    chan struct{}
	closeOne sync.Once
	// subjectsMu: one restoreSubjects at a time.
	subjectsMu sync.Mutex
}

var (
	_ measurement.Log         = (*Log)(nil)
	_ measurement.DecisionLog = (*Log)(nil)
)

// Open starts the embedded server (or connects to cfg.URL) and creates or
// updates the stream. Close undoes it.
func Open(ctx context.Context, cfg Config) (_ *Log, err error) {
	cfg = cfg.withDefaults()
	l := &Log{cfg: cfg, slots: make(chan struct{}, writers)}
	defer func() {
		if err != nil {
			l.Close()
		}
	}()
	if cfg.URL == "" {
		if l.srv, err = embedded(cfg.Dir); err != nil {
			return nil, err
		}
		l.nc, err = nats.Connect("", nats.InProcessServer(l.srv), nats.Name("mosaic"))
	} else {
		l.nc, err = nats.Connect(cfg.URL, nats.Name("mosaic"), nats.MaxReconnects(-1))
	}
	if err != nil {
		return nil, fmt.Errorf("connecting to NATS: %w", err)
	}
	if l.js, err = jetstream.New(l.nc, jetstream.WithPublishAsyncTimeout(publishTimeout)); err != nil {
		return nil, fmt.Errorf("JetStream: %w", err)
	}
	if l.stream, err = l.js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name: cfg.Stream, Subjects: streamSubjects,
		Description: "Mosaic client events and decision records on their way to PostgreSQL (measurement/eventlog)",
		Retention:   jetstream.WorkQueuePolicy, Storage: jetstream.FileStorage, Discard: jetstream.DiscardNew,
		MaxBytes: cfg.MaxBytes, MaxMsgs: cfg.MaxMsgs, Duplicates: cfg.DupWindow, Replicas: cfg.Replicas,
	}); err != nil {
		return nil, fmt.Errorf("creating the event stream %s: %w", cfg.Stream, err)
	}
	return l, nil
}

// streamSubjects are the subjects this version's stream holds: its own
// and the earlier versions' (doc.go, Upgrades).
var streamSubjects = []string{subjectPrefix + ">", decisionSubject, wirePrefix + ">"}

// retrySubjects publishes with publish, and once more after putting this
// version's subjects back on the stream when nothing took the message: an
// earlier version restarted during a rolling upgrade sets the stream's
// subjects to its own, and the upgraded replicas' appends would otherwise
// fail (503 on /collect, records dropped) until one of them restarted.
func (l *Log) retrySubjects(ctx context.Context, publish func() error) error {
	err := publish()
	if !errors.Is(err, jetstream.ErrNoStreamResponse) {
		return err
	}
	if serr := l.restoreSubjects(ctx); serr != nil {
		l.cfg.Log.WarnContext(ctx, "the event stream lacks this version's subjects and could not be given them", "error", serr)
		return err
	}
	return publish()
}

// restoreSubjects adds what streamSubjects the stream lacks, keeping any
// other (an operator's, a later version's).
func (l *Log) restoreSubjects(ctx context.Context) error {
	l.subjectsMu.Lock()
	defer l.subjectsMu.Unlock()
	info, err := l.stream.Info(ctx)
	if err != nil {
		return err
	}
	cfg := info.Config
	added := false
	for _, s := range streamSubjects {
		if !slices.Contains(cfg.Subjects, s) {
			cfg.Subjects = append(cfg.Subjects, s)
			added = true
		}
	}
	if !added { // a concurrent append restored them
		return nil
	}
	if _, err := l.js.UpdateStream(ctx, cfg); err != nil {
		return err
	}
	l.cfg.Log.InfoContext(ctx, "the event stream's subjects were reset (an earlier version started during a rolling upgrade?); added this version's again",
		"stream", cfg.Name, "subjects", cfg.Subjects)
	return nil
}

// embedded starts a NATS server with JetStream in dir, reachable only
// in-process.
func embedded(dir string) (*server.Server, error) {
	if dir == "" {
		return nil, errors.New("eventlog: the embedded NATS server needs a directory")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("event log directory: %w", err)
	}
	srv, err := server.NewServer(&server.Options{ServerName: "mosaic-embedded", JetStream: true, StoreDir: dir,
		DontListen: true, NoSigs: true, NoLog: true})
	if err != nil {
		return nil, fmt.Errorf("embedded NATS server: %w", err)
	}
	srv.Start()
	if !srv.ReadyForConnections(30 * time.Second) {
		srv.Shutdown()
		return nil, errors.New("embedded NATS server: not ready after 30s")
	}
	return srv, nil
}

// Append implements measurement.Log: the events go in messages of up to
// eventsPerMsg of one type (measurement/wire's form), and Append returns when
// JetStream has acknowledged all of them. A message's Nats-Msg-Id is its
// event's id when it holds one, else a digest of its ids: the same batch
// appended again within the dedupe window is dropped by the log (and
// counted as that many duplicates); one that overlaps an earlier batch
// only partly goes through and the store's (id, day) key drops the
// overlap.
func (l *Log) Append(ctx context.Context, events []measurement.Event) (int, error) {
	var types []measurement.Type
	byType := map[measurement.Type][]measurement.Event{}
	for _, e := range events {
		if _, ok := byType[e.Type]; !ok {
			types = append(types, e.Type)
		}
		byType[e.Type] = append(byType[e.Type], e)
	}
	var dups int
	err := l.retrySubjects(ctx, func() (err error) {
		dups, err = l.appendEvents(ctx, types, byType)
		return err
	})
	if err != nil {
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		return 0, unavailable(err)
	}
	return dups, nil
}

// appendEvents publishes the events of each type in order and waits for
// their acknowledgements: how many were duplicates, or the first error.
func (l *Log) appendEvents(ctx context.Context, types []measurement.Type, byType map[measurement.Type][]measurement.Event) (int, error) {
	type sent struct {
		f jetstream.PubAckFuture
		n int
	}
	var futures []sent
	for _, t := range types {
		for es := byType[t]; len(es) > 0; {
			chunk := es[:min(len(es), eventsPerMsg)]
			es = es[len(chunk):]
			msg := &nats.Msg{Subject: wireEventPrefix + string(t), Data: wire.AppendEvents(nil, chunk), Header: nats.Header{}}
			msg.Header.Set(jetstream.MsgIDHeader, chunkID(chunk))
			f, err := l.js.PublishMsgAsync(msg, jetstream.WithExpectStream(l.cfg.Stream))
			if err != nil {
				return 0, err
			}
			futures = append(futures, sent{f, len(chunk)})
		}
	}
	dups := 0
	var first error
	for _, s := range futures {
		select {
		case ack := <-s.f.Ok():
			if ack.Duplicate {
				dups += s.n
			}
		case err := <-s.f.Err():
			if first == nil {
				first = err
			}
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
	return dups, first
}

// chunkID names a message of events: the event's id alone, else a digest
// of the ids in order (the same batch, the same id).
func chunkID(chunk []measurement.Event) string {
	if len(chunk) == 1 {
		return chunk[0].ID
	}
	h := sha256.New()
	for _, e := range chunk {
		h.Write([]byte(e.ID))
		h.Write([]byte{0})
	}
	return "batch:" + hex.EncodeToString(h.Sum(nil)[:16])
}

// AppendDecisions implements measurement.DecisionLog: the records go in
// messages of up to decisionsPerMsg (measurement/wire's form, Nats-Msg-Id the
// first and last record ids: a retried append is deduplicated), and it
// returns when JetStream has acknowledged all of them.
func (l *Log) AppendDecisions(ctx context.Context, ds []measurement.Decision) error {
	err := l.retrySubjects(ctx, func() error { return l.appendDecisions(ctx, ds) })
	if err != nil && ctx.Err() == nil {
		return unavailable(err)
	}
	return err
}

func (l *Log) appendDecisions(ctx context.Context, ds []measurement.Decision) error {
	futures := make([]jetstream.PubAckFuture, 0, len(ds)/decisionsPerMsg+1)
	perRecord := 0 // the last message's bytes per record: the next is sized from it
	for len(ds) > 0 {
		chunk := ds[:min(len(ds), decisionsPerMsg)]
		ds = ds[len(chunk):]
		data := wire.AppendDecisions(make([]byte, 0, perRecord*len(chunk)*9/8+64), chunk)
		perRecord = len(data) / len(chunk)
		msg := &nats.Msg{Subject: wireDecisionSubject, Data: data, Header: nats.Header{}}
		// The first and last ids name the chunk; the store is idempotent
		// by decision id whatever the log lets through.
		msg.Header.Set(jetstream.MsgIDHeader, chunk[0].ID+"+"+chunk[len(chunk)-1].ID)
		f, err := l.js.PublishMsgAsync(msg, jetstream.WithExpectStream(l.cfg.Stream))
		if err != nil {
			return err
		}
		futures = append(futures, f)
	}
	var first error
	for _, f := range futures {
		select {
		case <-f.Ok():
		case err := <-f.Err():
			if first == nil {
				first = err
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return first
}

// unavailable maps a publish failure: the stream at its bounds is
// ErrLogFull, anything else an unavailable log. Both are worth a retry.
func unavailable(err error) error {
	var api *jetstream.APIError
	if errors.As(err, &api) {
		return errs.Wrap(errs.ServiceUnavailable, err, "%s", measurement.ErrLogFull.Message)
	}
	return errs.Wrap(errs.ServiceUnavailable, err, "the event log is unavailable right now: retry later")
}

// Pending is how many events wait to be written to the store.
func (l *Log) Pending(ctx context.Context) (msgs, bytes uint64, err error) {
	info, err := l.stream.Info(ctx)
	if err != nil {
		return 0, 0, err
	}
	return info.State.Msgs, info.State.Bytes, nil
}

// Ready is a readiness check: the log answers.
func (l *Log) Ready(ctx context.Context) error {
	_, _, err := l.Pending(ctx)
	return err
}

// Close stops the consumer, the connection and the embedded server. Safe
// to call twice.
func (l *Log) Close() {
	l.closeOne.Do(func() {
		l.Stop()
		if l.nc != nil {
			l.nc.Close()
		}
		if l.srv != nil {
			l.srv.Shutdown()
			l.srv.WaitForShutdown()
		}
	})
}
