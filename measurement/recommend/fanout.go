package recommend

import (
	"context"
	"encoding/json"
	"time"

	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/measurement/wire"
)

// Fanout spreads what one replica's consumers commit to every replica
// (measurement/eventlog.Log: plain NATS on the log's server or cluster).
type Fanout interface {
	Publish(subject string, data []byte) error
	Subscribe(subject string, fn func(data []byte)) (unsubscribe func(), err error)
}

const (
	// Batches go in measurement/wire's form on these subjects; earlier
	// versions published JSON on fanoutEventsJSON and fanoutDecisionsJSON,
	// still heard (wire reads both) while replicas of both run.
	fanoutEvents        = "recommend.wire1.events"
	fanoutDecisions     = "recommend.wire1.decisions"
	fanoutEventsJSON    = "recommend.events"
	fanoutDecisionsJSON = "recommend.decisions"
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
	onEvents := func(data []byte) {
		evs, err := wire.Events(data)
		if err != nil {
			e.cfg.Log.Error("recommendations: an undecodable batch from another replica", "error", err)
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), fanoutTimeout)
		defer cancel()
		e.Observe(ctx, evs)
	}
	onDecisions := func(data []byte) {
		ds, err := wire.Decisions(data)
		if err != nil {
			e.cfg.Log.Error("recommendations: undecodable records from another replica", "error", err)
			return
		}
		e.ObserveDecisions(ds)
	}
	onForget := func(data []byte) {
		var x forgetting
		if err := json.Unmarshal(data, &x); err != nil {
			e.cfg.Log.Error("recommendations: an undecodable erasure from another replica", "error", err)
			return
		}
		e.forget(x)
	}
	var offs []func()
	off := func() {
		for _, o := range offs {
			o()
		}
	}
	for subject, fn := range map[string]func([]byte){fanoutEvents: onEvents, fanoutEventsJSON: onEvents,
		fanoutDecisions: onDecisions, fanoutDecisionsJSON: onDecisions, fanoutForget: onForget} {
		o, err := f.Subscribe(subject, fn)
		if err != nil {
			off()
			return nil, err
		}
		offs = append(offs, o)
	}
	e.mu.Lock()
	e.fanout = f
	e.mu.Unlock()
	return func() {
		e.mu.Lock()
		e.fanout = nil
		e.mu.Unlock()
		off()
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
		err := f.Publish(fanoutEvents, wire.AppendEvents(nil, chunk))
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
		err := f.Publish(fanoutDecisions, wire.AppendDecisions(nil, chunk))
		if err != nil {
			e.cfg.Log.WarnContext(ctx, "recommendations: sharing records with other replicas; counted here only", "error", err)
			e.ObserveDecisions(chunk)
		}
	}
}

const fanoutForget = "recommend.forget"

// forgetting is an erased person as published to every replica.
type forgetting struct {
	Cluster  string   `json:"cluster,omitempty"`
	Visitors []string `json:"visitors"`
}

// Forget drops what the engines hold of an erased person (deleteVisitorData:
// the cluster and its visitor ids) on every replica when shared, else
// here: their histories, purchases and contexts. Aggregate counts (views
// per entry, co-views) name no one and stay.
func (e *Engine) Forget(ctx context.Context, cluster string, visitors []string) {
	if f := e.sharing(); f != nil {
		data, err := json.Marshal(forgetting{cluster, visitors})
		if err == nil {
			err = f.Publish(fanoutForget, data)
		}
		if err == nil {
			return
		}
		e.cfg.Log.WarnContext(ctx, "recommendations: sharing an erasure with other replicas; forgotten here only", "error", err)
	}
	e.forget(forgetting{cluster, visitors})
}

func (e *Engine) forget(f forgetting) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if f.Cluster != "" {
		e.people.Remove(f.Cluster)
	}
	for _, v := range f.Visitors {
		e.people.Remove(e.unitOf(v))
		e.people.Remove(v)
		e.units.Remove(v)
		e.contexts.Remove(v)
	}
}
