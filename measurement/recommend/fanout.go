package recommend

import (
	"context"
	"encoding/json"
	"time"

	"github.com/mosaichq/mosaic/measurement"
)

// Fanout spreads what one replica's consumers commit to every replica
// (measurement/eventlog.Log: plain NATS on the log's server or cluster).
type Fanout interface {
	Publish(subject string, data []byte) error
	Subscribe(subject string, fn func(data []byte)) (unsubscribe func(), err error)
}

const (
	fanoutEvents    = "recommend.events"
	fanoutDecisions = "recommend.decisions"
	// fanoutChunk keeps a message well under NATS's 1 MB payload limit.
	fanoutChunk = 500
	// fanoutTimeout bounds the people lookup of a batch learnt from
	// another replica.
	fanoutTimeout = 10 * time.Second
)

// Share makes the engine count every replica's committed batches, its
// own included, through f: with replicas sharing one stream each event is
// consumed (and committed) by one of them, yet every engine counts it.
// Delivery is at most once: a replica cut off from NATS misses what was
// published meanwhile, until its next start rebuilds it. Call before the
// log's consumers start; unshare stops (local batches are then counted
// locally again).
func (e *Engine) Share(f Fanout) (unshare func(), err error) {
	offEvents, err := f.Subscribe(fanoutEvents, func(data []byte) {
		var evs []measurement.Event
		if err := json.Unmarshal(data, &evs); err != nil {
			e.cfg.Log.Error("recommendations: an undecodable batch from another replica", "error", err)
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), fanoutTimeout)
		defer cancel()
		e.Observe(ctx, evs)
	})
	if err != nil {
		return nil, err
	}
	offDecisions, err := f.Subscribe(fanoutDecisions, func(data []byte) {
		var ds []measurement.Decision
		if err := json.Unmarshal(data, &ds); err != nil {
			e.cfg.Log.Error("recommendations: undecodable records from another replica", "error", err)
			return
		}
		e.ObserveDecisions(ds)
	})
	if err != nil {
		offEvents()
		return nil, err
	}
	e.mu.Lock()
	e.fanout = f
	e.mu.Unlock()
	return func() {
		e.mu.Lock()
		e.fanout = nil
		e.mu.Unlock()
		offEvents()
		offDecisions()
	}, nil
}

func (e *Engine) sharing() Fanout {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.fanout
}

// committed counts a batch this replica committed: through the fanout
// when shared (every replica, this one included, counts it on receipt),
// else here. A batch the fanout refuses is counted here at least.
func (e *Engine) committed(ctx context.Context, evs []measurement.Event) {
	f := e.sharing()
	if f == nil {
		e.Observe(ctx, evs)
		return
	}
	for start := 0; start < len(evs); start += fanoutChunk {
		chunk := evs[start:min(start+fanoutChunk, len(evs))]
		data, err := json.Marshal(chunk)
		if err == nil {
			err = f.Publish(fanoutEvents, data)
		}
		if err != nil {
			e.cfg.Log.WarnContext(ctx, "recommendations: sharing a batch with other replicas; counted here only", "error", err)
			e.Observe(ctx, chunk)
		}
	}
}

func (e *Engine) committedDecisions(ctx context.Context, ds []measurement.Decision) {
	f := e.sharing()
	if f == nil {
		e.ObserveDecisions(ds)
		return
	}
	for start := 0; start < len(ds); start += fanoutChunk {
		chunk := ds[start:min(start+fanoutChunk, len(ds))]
		data, err := json.Marshal(chunk)
		if err == nil {
			err = f.Publish(fanoutDecisions, data)
		}
		if err != nil {
			e.cfg.Log.WarnContext(ctx, "recommendations: sharing records with other replicas; counted here only", "error", err)
			e.ObserveDecisions(chunk)
		}
	}
}
