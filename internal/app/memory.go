package app

import (
	"log/slog"
	"os"
	"runtime/debug"
)

// What a serving process holds besides its two caches, measured with the
// load script (bench/load, 20,000 pages, heap profile and gctrace): ~30 MB
// of live heap (the schema, the engine, connection pools, the embedded
// event log's buffers, search, the studio's files) and ~30 MB the runtime
// keeps beside the heap (goroutine stacks, GC metadata, spans not yet
// returned), which a memory limit counts too.
const (
	liveBaseline    = 32 << 20
	runtimeOverhead = 32 << 20
)

// memoryLimit is the soft memory limit for caches of these bounds: what is
// live when both are full, half as much again for the garbage made between
// two collections, and the runtime's own. The half is the point: the
// collector starts a cycle when the heap reaches the limit, so with the
// limit just above what is live (as before: the caches plus 64 MiB, ~10 MB
// of room at 20,000 pages) it ran every ~100 misses and marked the whole
// ~85 MB live heap each time — 60 % of the process's CPU. With room for
// half the live heap it runs a few times less often for ~50 MB more.
func memoryLimit(responseCache, contentCache int64) int64 {
	live := liveBaseline + max(responseCache, 0) + max(contentCache, 0)
	return live + live/2 + runtimeOverhead
}

// setMemoryLimit gives the Go runtime a soft memory limit when the
// operator set none (GOMEMLIMIT), derived from the caches' bounds
// (MOSAIC_RESPONSE_CACHE_BYTES, MOSAIC_CONTENT_CACHE_BYTES): without one
// the heap grows to twice what is live before a collection (GOGC=100), so
// the caches' bytes count twice in the resident size. It is a soft limit:
// a process that needs more gets more. It returns the limit set, 0 when
// GOMEMLIMIT is set.
func setMemoryLimit(responseCache, contentCache int64, log *slog.Logger) int64 {
	if os.Getenv("GOMEMLIMIT") != "" {
		return 0
	}
	limit := memoryLimit(responseCache, contentCache)
	debug.SetMemoryLimit(limit)
	log.Info("memory limit (set GOMEMLIMIT to choose another)", "bytes", limit)
	return limit
}
