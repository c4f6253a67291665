package measurement

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// Recorder defaults.
const (
	DefaultRecorderBuffer = 8192
	DefaultRecorderBatch  = 256
	// DefaultRecorderLinger: under load a record arrives every few
	// hundred µs while an append to the embedded log takes about as long,
	// so without a wait nearly every record went alone — a JetStream
	// message, its acknowledgement, the consumer's pull and ack and a
	// store transaction each — and that per-message work, not the
	// record's, was most of what records cost (bench/RESULTS.md, "Decision
	// records under load, profiled"). 50 ms gathers tens of records at a
	// few hundred requests/s and delays none by more than that.
	DefaultRecorderLinger = 50 * time.Millisecond
	// recorderTimeout bounds one append to the log.
	recorderTimeout = 5 * time.Second
)

// RecorderConfig configures a Recorder.
type RecorderConfig struct {
	Log DecisionLog
	// Buffer is how many records may wait in memory for the log
	// (DefaultRecorderBuffer); Batch the most appended at once.
	Buffer, Batch int
	// Linger is how long the goroutine waits after a first record for
	// more before it appends (DefaultRecorderLinger), unless a batch fills
	// first or the Recorder closes.
	Linger  time.Duration
	Metrics *Metrics
	Logger  *slog.Logger
}

// Recorder takes decision records from delivery without ever making it
// wait: Record hands a record to a bounded buffer and returns; one
// goroutine appends the buffer to the log in batches. A full buffer, or a
// log that refuses a batch, drops records and counts them
// (mosaic_measurement_decisions_dropped_total): a decision record is worth
// less than the delivery it describes.
type Recorder struct {
	cfg  RecorderConfig
	in   chan Decision
	stop chan struct{}
	done chan struct{}
	once sync.Once
	// pending counts records taken and neither appended nor dropped yet.
	pending atomic.Int64
}

// NewRecorder starts a Recorder; Close stops it.
func NewRecorder(cfg RecorderConfig) *Recorder {
	if cfg.Buffer <= 0 {
		cfg.Buffer = DefaultRecorderBuffer
	}
	if cfg.Batch <= 0 {
		cfg.Batch = DefaultRecorderBatch
	}
	if cfg.Linger <= 0 {
		cfg.Linger = DefaultRecorderLinger
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	r := &Recorder{cfg: cfg, in: make(chan Decision, cfg.Buffer), stop: make(chan struct{}), done: make(chan struct{})}
	go r.run()
	return r
}

// Record buffers d for the log; false when the buffer was full and d was
// dropped. It never blocks.
func (r *Recorder) Record(d Decision) bool {
	r.pending.Add(1)
	select {
	case r.in <- d:
		r.cfg.Metrics.decisionBuffered(len(r.in))
		return true
	default:
		r.pending.Add(-1)
		r.cfg.Metrics.decisionsDropped(1)
		return false
	}
}

// Pending is how many records were given and are neither in the log nor
// dropped yet: at zero, the log holds every record given so far (what
// the log's own pending count cannot say while a record waits here).
func (r *Recorder) Pending() int { return int(r.pending.Load()) }

// Close appends what is buffered and stops. Safe to call twice; records
// given after Close are never appended (close delivery first).
func (r *Recorder) Close() {
	r.once.Do(func() { close(r.stop) })
	<-r.done
}

func (r *Recorder) run() {
	defer close(r.done)
	batch := make([]Decision, 0, r.cfg.Batch)
	linger := time.NewTimer(r.cfg.Linger)
	linger.Stop()
	for {
		select {
		case d := <-r.in:
			batch = append(batch[:0], d)
		case <-r.stop:
			r.drain(batch)
			return
		}
		// Gather more for up to Linger, a batch at most.
		linger.Reset(r.cfg.Linger)
		stopping := false
	gather:
		for len(batch) < r.cfg.Batch {
			select {
			case d := <-r.in:
				batch = append(batch, d)
			case <-linger.C:
				break gather
			case <-r.stop: // fill the batch from what waits, then drain
				stopping = true
				for len(batch) < r.cfg.Batch && len(r.in) > 0 {
					batch = append(batch, <-r.in)
				}
				break gather
			}
		}
		linger.Stop()
		r.flush(batch)
		if stopping {
			r.drain(batch)
			return
		}
	}
}

// drain appends what is left in the buffer, a batch at a time (Close).
func (r *Recorder) drain(batch []Decision) {
	for {
		batch = batch[:0]
		for len(batch) < r.cfg.Batch && len(r.in) > 0 {
			batch = append(batch, <-r.in)
		}
		if len(batch) == 0 {
			return
		}
		r.flush(batch)
	}
}

func (r *Recorder) flush(batch []Decision) {
	ctx, cancel := context.WithTimeout(context.Background(), recorderTimeout)
	defer cancel()
	defer r.pending.Add(-int64(len(batch)))
	if err := r.cfg.Log.AppendDecisions(ctx, batch); err != nil {
		r.cfg.Metrics.decisionsDropped(len(batch))
		r.cfg.Logger.Warn("decision records dropped: the log refused them", "records", len(batch), "error", err)
		return
	}
	r.cfg.Metrics.decisionsLogged(len(batch))
	r.cfg.Metrics.decisionBuffered(len(r.in))
}
