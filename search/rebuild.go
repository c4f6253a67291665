package search

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/mosaichq/mosaic/content"
)

// Progress is told how many of total published documents a rebuild has
// indexed so far.
type Progress func(done, total int)

// Rebuild builds a fresh index from every published entry and swaps it in
// atomically; searches keep using the old index until the swap. It runs
// while the worker waits, and the worker then catches up with whatever was
// published during the build.
func (ix *Index) Rebuild(ctx context.Context, progress Progress) error {
	ix.work.Lock()
	defer ix.work.Unlock()
	if err := ix.rebuildLocked(ctx, progress); err != nil {
		return err
	}
	ix.queue.add(func(p *pending) { p.catchUp = true })
	return nil
}

func (ix *Index) rebuildLocked(ctx context.Context, progress Progress) (err error) {
	if progress == nil {
		progress = func(int, int) {}
	}
	start := time.Now()
	src := ix.cfg.Source
	// Read before enumerating: anything published after this epoch is
	// caught up from the change log once the new index is live.
	epoch, err := src.Epoch(ctx)
	if err != nil {
		return fmt.Errorf("search: reading the content epoch: %w", err)
	}
	total, err := src.CountPublished(ctx)
	if err != nil {
		return fmt.Errorf("search: counting published entries: %w", err)
	}
	tmp := ix.path + ".new"
	if err := os.RemoveAll(tmp); err != nil {
		return fmt.Errorf("search: %w", err)
	}
	nix, err := ix.create(tmp)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = nix.Close()
			_ = os.RemoveAll(tmp)
		}
	}()
	progress(0, total)
	done, after := 0, ""
	for {
		ids, err := src.PublishedIDs(ctx, "", after, ix.cfg.BatchSize)
		if err != nil {
			return fmt.Errorf("search: listing published entries: %w", err)
		}
		if len(ids) == 0 {
			break
		}
		b := nix.NewBatch()
		if err := ix.indexEntries(ctx, b, ids); err != nil {
			return err
		}
		if err := nix.Batch(b); err != nil {
			return fmt.Errorf("search: writing a batch: %w", err)
		}
		done += len(ids)
		after = ids[len(ids)-1]
		progress(min(done, max(total, done)), max(total, done))
	}
	b := nix.NewBatch()
	b.SetInternal(keyMapping, []byte(ix.fp))
	b.SetInternal(keyEpoch, epochBytes(epoch))
	if err := nix.Batch(b); err != nil {
		return fmt.Errorf("search: writing index metadata: %w", err)
	}
	if err := nix.Close(); err != nil {
		return fmt.Errorf("search: closing the new index: %w", err)
	}
	if err := ix.swap(tmp); err != nil {
		return err
	}
	ix.needsBuild = false
	ix.cfg.Logger.InfoContext(ctx, "search index rebuilt", "entries", done, "epoch", epoch,
		"took", time.Since(start).Round(time.Millisecond))
	return nil
}

// swap replaces the live index with the one built at tmp (closed). Searches
// wait for the few milliseconds it takes.
func (ix *Index) swap(tmp string) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	// Whatever happens below, what was cached came from the old index.
	defer ix.results.changed()
	if ix.bix == nil {
		return errors.New("search: index closed")
	}
	if err := ix.bix.Close(); err != nil {
		ix.cfg.Logger.Warn("closing the old search index", "error", err)
	}
	ix.bix = nil
	if err := os.RemoveAll(ix.path); err != nil {
		return fmt.Errorf("search: removing the old index: %w", err)
	}
	if err := os.Rename(tmp, ix.path); err != nil {
		return fmt.Errorf("search: moving the new index in place: %w", err)
	}
	bix, err := bleve.OpenUsing(ix.path, ix.runtimeConfig())
	if err != nil {
		return fmt.Errorf("search: opening the rebuilt index: %w", err)
	}
	ix.bix = bix
	return nil
}

// indexEntries adds to b every locale of the entries ids as they are
// published now, and deletes the locales in which they are not (or no
// longer) published or that are not entries (global blocks).
func (ix *Index) indexEntries(ctx context.Context, b *bleve.Batch, ids []string) error {
	list, err := ix.cfg.Source.ContentTypes(ctx)
	if err != nil {
		return fmt.Errorf("search: loading the content model: %w", err)
	}
	types := make(map[string]content.ContentType, len(list))
	for _, ct := range list {
		types[ct.Key] = ct
	}
	for _, loc := range ix.locales {
		got, err := ix.cfg.Source.EntriesByIDs(ctx, ids, loc)
		if err != nil {
			return fmt.Errorf("search: loading entries in %s: %w", loc, err)
		}
		for _, id := range ids {
			r := got[id]
			if r == nil || types[r.Type].Kind != content.TypeEntry {
				b.Delete(docID(id, loc))
				continue
			}
			if err := b.Index(docID(id, loc), newDocument(r, loc, types).fields()); err != nil {
				return fmt.Errorf("search: indexing %s (%s): %w", id, loc, err)
			}
		}
	}
	return nil
}
