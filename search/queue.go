package search

import (
	"maps"
	"sync"

	"github.com/mosaichq/mosaic/content"
)

// pending is work the feed announced and the worker has not done yet.
// Notifications coalesce: ten publishes of one entry reindex it once.
type pending struct {
	entries map[string]bool // reindex in every locale, with their embedders
	types   map[string]bool // model changed: reindex the type's entries
	catchUp bool            // replay the change log since the stored epoch
	rebuild bool
	epoch   int64 // newest epoch announced
}

func (p *pending) empty() bool {
	return len(p.entries) == 0 && len(p.types) == 0 && !p.catchUp && !p.rebuild && p.epoch == 0
}

func (p *pending) merge(o *pending) {
	maps.Copy(p.entries, o.entries)
	maps.Copy(p.types, o.types)
	p.catchUp = p.catchUp || o.catchUp
	p.rebuild = p.rebuild || o.rebuild
	p.epoch = max(p.epoch, o.epoch)
}

func newPending() *pending {
	return &pending{entries: map[string]bool{}, types: map[string]bool{}}
}

// queue hands pending work from the feed to the worker without ever
// blocking the feed.
type queue struct {
	mu   sync.Mutex
	p    *pending
	wake chan struct{}
}

func (q *queue) init() {
	q.p = newPending()
	q.wake = make(chan struct{}, 1)
}

func (q *queue) add(f func(*pending)) {
	q.mu.Lock()
	f(q.p)
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

func (q *queue) take() *pending {
	q.mu.Lock()
	defer q.mu.Unlock()
	p := q.p
	q.p = newPending()
	return p
}

// note folds one change into p.
func (p *pending) note(c content.Change) {
	switch c.Action {
	case content.ChangePublish, content.ChangeUnpublish, content.ChangeDelete:
		if c.Entry != "" {
			p.entries[c.Entry] = true
		}
	case content.ChangeModel:
		p.types[c.Type] = true
	case content.ChangeResync:
		p.catchUp = true
	}
	p.epoch = max(p.epoch, c.Epoch)
}

// Notify tells the index about a change from the change feed. It never
// blocks: the worker applies changes in the background, usually within
// milliseconds.
func (ix *Index) Notify(c content.Change) {
	ix.queue.add(func(p *pending) { p.note(c) })
}
