package app

import (
	"log/slog"
	"os"
	"runtime/debug"
)

// memoryBaseline is what a serving process holds besides its caches (the
// schema, the engine, connection pools, the event log, search), rounded
// up from the load script's live heap with the caches off.
const memoryBaseline = 64 << 20

// setMemoryLimit gives the Go runtime a soft memory limit when the
// operator set none (GOMEMLIMIT): the caches' bounds plus the baseline.
// Without one the heap grows to twice what is live before a collection
// (GOGC=100), so the caches' bytes counted twice in the resident size;
// with it the collector runs sooner as the process nears what it was
// sized for. It is a soft limit: a process that needs more gets more.
func setMemoryLimit(responseCache, contentCache int64, log *slog.Logger) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	limit := max(responseCache, 0) + max(contentCache, 0) + memoryBaseline
	debug.SetMemoryLimit(limit)
	log.Info("memory limit (set GOMEMLIMIT to choose another)", "bytes", limit)
}
