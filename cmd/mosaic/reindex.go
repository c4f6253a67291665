package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/mosaichq/mosaic/internal/app"
	"github.com/mosaichq/mosaic/search"
)

// runReindex rebuilds the search index in the data dir from the database.
// A running server keeps its own index current and rebuilds it by itself
// when missing or outdated; reindex is for an index that is suspect, run
// while that server is stopped (the index is locked while in use).
func runReindex(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, _, err := parseConfig("reindex", args, stderr, nil)
	if err != nil {
		return err
	}
	if dev, ok := runningDev(cfg.DataDir); ok {
		return fmt.Errorf("mosaic dev (%s) is running on the data dir %s and keeps its search index current; "+
			"stop it to rebuild the index, or restart it: a missing or outdated index is rebuilt at start", dev, absPath(cfg.DataDir))
	}
	cfg, log, stop, err := withDatabase(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer stop()
	start := time.Now()
	progress, finish := reindexProgress(stderr)
	stats, err := app.Reindex(ctx, cfg, log, progress)
	finish()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "search index rebuilt: %d documents (entries × locales) at content epoch %d in %s\n",
		stats.Documents, stats.Epoch, time.Since(start).Round(time.Millisecond))
	return nil
}

// reindexProgress draws a progress bar on a terminal and prints a plain
// line per tenth otherwise (logs, CI), where a redrawn bar is noise.
func reindexProgress(w io.Writer) (search.Progress, func()) {
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		var bar *progressbar.ProgressBar
		return func(done, total int) {
				if bar == nil {
					bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(w),
						progressbar.OptionSetDescription("indexing entries"), progressbar.OptionShowCount(),
						progressbar.OptionSetPredictTime(true), progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }))
				}
				_ = bar.Set(done)
			}, func() {
				if bar != nil {
					_ = bar.Finish()
				}
			}
	}
	last := -1
	return func(done, total int) {
		tenth := 10
		if total > 0 {
			tenth = done * 10 / total
		}
		if tenth != last {
			last = tenth
			fmt.Fprintf(w, "indexed %d of %d entries\n", done, total)
		}
	}, func() {}
}
