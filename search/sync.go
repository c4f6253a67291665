package search

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/mosaichq/mosaic/content"
)

const (
	// catchUpWindow re-reads this many epochs below the stored one on
	// catch-up: epochs are taken at insert and committed in any order, so
	// a change committed just after a later one may not have been applied
	// when the process stopped. Reindexing an entry twice is harmless.
	catchUpWindow = 200
	// rebuildAbove is how many changes to replay before a full rebuild is
	// the cheaper way to catch up.
	rebuildAbove = 5000
	// pageSize pages through index documents (embedders of a global block).
	pageSize = 1000
	// outpacedQuietly is how many rounds in a row content may outpace
	// rebuilding before it is worth a warning.
	outpacedQuietly = 5
)

// errOutpaced is content changing during every rebuild of a round: what a
// first start looks like while the demo content is being written, or a big
// import. The worker goes again; it is not a failure.
var errOutpaced = errors.New("search: content changes faster than the index rebuilds")

// Start runs the worker: it waits for feedReady (so that no change falls
// between its catch-up and the feed's first notification), builds or
// catches up, marks the index ready, then applies changes as they come.
// It returns at once.
func (ix *Index) Start(feedReady <-chan struct{}) {
	ix.start.Do(func() {
		ctx, cancel := context.WithCancel(context.Background())
		ix.cancel = cancel
		go ix.run(ctx, feedReady)
	})
}

func (ix *Index) stop() {
	ix.stopOnce.Do(func() {
		if ix.cancel != nil {
			ix.cancel()
			<-ix.done
		}
	})
}

func (ix *Index) run(ctx context.Context, feedReady <-chan struct{}) {
	defer close(ix.done)
	if feedReady != nil {
		select {
		case <-feedReady:
		case <-ctx.Done():
			return
		}
	}
	first := newPending()
	first.catchUp = true
	ix.apply(ctx, first)
	close(ix.ready)
	for {
		select {
		case <-ctx.Done():
			return
		case <-ix.queue.wake:
			ix.apply(ctx, ix.queue.take())
		}
	}
}

// apply does p, retrying with backoff until it succeeds or the index
// stops: a change must not be lost to a database blip.
func (ix *Index) apply(ctx context.Context, p *pending) {
	delay := ix.cfg.RetryDelay
	for outpaced := 0; ctx.Err() == nil && !p.empty(); {
		err := ix.process(ctx, p)
		if err == nil {
			return
		}
		if ctx.Err() != nil {
			return
		}
		switch {
		case errors.Is(err, errOutpaced):
			outpaced++
			level := slog.LevelInfo
			if outpaced > outpacedQuietly {
				level = slog.LevelWarn
			}
			ix.cfg.Logger.Log(ctx, level, "search index catching up: content is still changing; going again", "rounds", outpaced, "in", delay)
		default:
			ix.cfg.Logger.ErrorContext(ctx, "updating the search index; will retry", "error", err, "in", delay)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(delay):
		}
		if !errors.Is(err, errOutpaced) {
			delay = min(delay*2, time.Minute) // a failure backs off; catching up does not
		}
		p.merge(ix.queue.take()) // whatever arrived meanwhile rides along
	}
}

// process applies p: a rebuild when the index needs one or the change log
// is too long to replay, else a reindex of exactly the entries concerned.
func (ix *Index) process(ctx context.Context, p *pending) error {
	ix.work.Lock()
	defer ix.work.Unlock()
	// The second round starts with a rebuild, after which the change log
	// to replay is short; a third means changes outpace rebuilding.
	for range 3 {
		again, err := ix.step(ctx, p)
		if err != nil || !again {
			return err
		}
		p.rebuild = true
	}
	return errOutpaced
}

// step is one round of process; it returns true when only a rebuild can
// apply p.
func (ix *Index) step(ctx context.Context, p *pending) (rebuild bool, err error) {
	bix, stored, err := ix.live()
	if err != nil {
		return false, err
	}
	if p.catchUp {
		dbEpoch, err := ix.cfg.Source.Epoch(ctx)
		if err != nil {
			return false, fmt.Errorf("search: reading the content epoch: %w", err)
		}
		// An index ahead of the database belongs to another database (a
		// restored backup, a recreated dev cluster).
		p.rebuild = p.rebuild || stored > dbEpoch
	}
	if ix.needsBuild || p.rebuild {
		if err := ix.rebuildLocked(ctx, ix.logProgress(ctx)); err != nil {
			return false, err
		}
		// The rebuild covers everything announced so far; what happened
		// during it is in the change log after the epoch it recorded.
		*p = pending{entries: map[string]bool{}, types: map[string]bool{}, catchUp: true, epoch: p.epoch}
		if bix, stored, err = ix.live(); err != nil {
			return false, err
		}
	}
	if p.catchUp {
		changes, err := ix.cfg.Source.ChangesSince(ctx, max(0, stored-catchUpWindow), rebuildAbove+1)
		if err != nil {
			return false, fmt.Errorf("search: reading the change log: %w", err)
		}
		if len(changes) > rebuildAbove {
			ix.cfg.Logger.InfoContext(ctx, "search index far behind the change log; rebuilding", "epoch", stored)
			return true, nil
		}
		for _, c := range changes {
			// The window below the stored epoch is re-read for entries
			// only: a model change there was applied (or rebuilt) already,
			// and replaying a block type's would rebuild on every start.
			if c.Epoch <= stored && c.Action != content.ChangePublish && c.Action != content.ChangeUnpublish && c.Action != content.ChangeDelete {
				continue
			}
			p.note(c)
		}
		p.catchUp = false
	}
	ids, rebuild, err := ix.affected(ctx, bix, p)
	if err != nil || rebuild {
		return rebuild, err
	}
	if err := ix.reindex(ctx, bix, ids, max(stored, p.epoch)); err != nil {
		return false, err
	}
	*p = *newPending()
	return false, nil
}

// live returns the live index and the epoch it is at.
func (ix *Index) live() (bleve.Index, int64, error) {
	bix, err := ix.current()
	if err != nil {
		return nil, 0, err
	}
	stored, err := readEpoch(bix)
	if err != nil {
		return nil, 0, fmt.Errorf("search: reading the index epoch: %w", err)
	}
	return bix, stored, nil
}

// affected lists the entries to reindex for p: the changed entries, the
// entries embedding any of them as a global block, and every entry of a
// changed entry type. A changed block type can change the text of any
// entry: it asks for a rebuild.
func (ix *Index) affected(ctx context.Context, bix bleve.Index, p *pending) (ids []string, rebuild bool, err error) {
	set := maps.Clone(p.entries)
	if len(p.types) > 0 {
		list, err := ix.cfg.Source.ContentTypes(ctx)
		if err != nil {
			return nil, false, fmt.Errorf("search: loading the content model: %w", err)
		}
		for typ := range p.types {
			i := slices.IndexFunc(list, func(ct content.ContentType) bool { return ct.Key == typ })
			if i < 0 || list[i].Kind != content.TypeEntry {
				return nil, true, nil
			}
			if err := ix.eachPublished(ctx, typ, func(id string) { set[id] = true }); err != nil {
				return nil, false, err
			}
		}
	}
	if len(p.entries) > 0 {
		refs := make([]query.Query, 0, len(p.entries))
		for id := range p.entries {
			q := query.NewTermQuery(id)
			q.SetField(fieldRefs)
			refs = append(refs, q)
		}
		err := eachDoc(ctx, bix, query.NewDisjunctionQuery(refs), func(id string) {
			entry, _ := splitDocID(id)
			set[entry] = true
		})
		if err != nil {
			return nil, false, fmt.Errorf("search: finding entries that embed changed blocks: %w", err)
		}
	}
	ids = slices.Collect(maps.Keys(set))
	slices.Sort(ids)
	return ids, false, nil
}

// eachPublished calls fn with the id of every published entry of typ.
func (ix *Index) eachPublished(ctx context.Context, typ string, fn func(id string)) error {
	for after := ""; ; {
		ids, err := ix.cfg.Source.PublishedIDs(ctx, typ, after, ix.cfg.BatchSize)
		if err != nil {
			return fmt.Errorf("search: listing %s entries: %w", typ, err)
		}
		if len(ids) == 0 {
			return nil
		}
		for _, id := range ids {
			fn(id)
		}
		after = ids[len(ids)-1]
	}
}

// reindex rewrites the documents of ids in batches and records epoch with
// the last one, so a crash part-way leaves the old epoch and the next start
// redoes the work.
func (ix *Index) reindex(ctx context.Context, bix bleve.Index, ids []string, epoch int64) error {
	for len(ids) > 0 || epoch > 0 {
		n := min(len(ids), ix.cfg.BatchSize)
		b := bix.NewBatch()
		if n > 0 {
			if err := ix.indexEntries(ctx, b, ids[:n]); err != nil {
				return err
			}
		}
		ids = ids[n:]
		if len(ids) == 0 {
			b.SetInternal(keyEpoch, epochBytes(epoch))
			epoch = 0
		}
		err := bix.Batch(b)
		ix.results.changed() // even a failed batch may have written part
		if err != nil {
			return fmt.Errorf("search: writing a batch: %w", err)
		}
	}
	return nil
}

// eachDoc calls fn with the id of every document matching q, paging by id.
func eachDoc(ctx context.Context, bix bleve.Index, q query.Query, fn func(id string)) error {
	var after []string
	for {
		req := bleve.NewSearchRequestOptions(q, pageSize, 0, false)
		req.SortBy([]string{"_id"})
		req.SearchAfter = after
		res, err := bix.SearchInContext(ctx, req)
		if err != nil {
			return err
		}
		for _, h := range res.Hits {
			fn(h.ID)
		}
		if len(res.Hits) < pageSize {
			return nil
		}
		after = []string{res.Hits[len(res.Hits)-1].ID}
	}
}

// logProgress logs a rebuild's progress at every tenth.
func (ix *Index) logProgress(ctx context.Context) Progress {
	last := -1
	return func(done, total int) {
		if total == 0 {
			return
		}
		if tenth := done * 10 / total; tenth != last {
			last = tenth
			ix.cfg.Logger.InfoContext(ctx, "rebuilding the search index", "done", done, "total", total)
		}
	}
}
