package app

import (
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestMemoryLimitLeavesRoomForGarbage: the derived soft limit holds the
// caches full, the baseline, the runtime's own memory and room for half
// as much garbage as is live — a limit just above what is live makes the
// collector run all the time (bench/RESULTS.md, "the 20,000-page miss").
// GOMEMLIMIT, when set, is left alone.
func TestMemoryLimitLeavesRoomForGarbage(t *testing.T) {
	for _, c := range []struct{ resp, content int64 }{{32 << 20, 16 << 20}, {0, 0}, {256 << 20, 1 << 30}, {-1, -1}} {
		live := liveBaseline + max(c.resp, 0) + max(c.content, 0)
		limit := memoryLimit(c.resp, c.content)
		require.GreaterOrEqual(t, limit-runtimeOverhead-live, live/2, "room for garbage with caches %d + %d", c.resp, c.content)
	}
	require.Greater(t, memoryLimit(64<<20, 16<<20), memoryLimit(32<<20, 16<<20), "a bigger cache setting raises the limit")

	prev := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(prev) })
	log := slog.New(slog.DiscardHandler)

	t.Setenv("GOMEMLIMIT", "")
	got := setMemoryLimit(32<<20, 16<<20, log)
	require.Equal(t, memoryLimit(32<<20, 16<<20), got)
	require.Equal(t, got, debug.SetMemoryLimit(-1), "the runtime has it")

	debug.SetMemoryLimit(1 << 40)
	t.Setenv("GOMEMLIMIT", "300MiB")
	require.Zero(t, setMemoryLimit(32<<20, 16<<20, log))
	require.Equal(t, int64(1<<40), debug.SetMemoryLimit(-1), "the operator's GOMEMLIMIT stands")
}

// TestPprofListener: off unless MOSAIC_PPROF_ADDR is set; when set, the
// profiles answer on that listener, and stop closes it.
func TestPprofListener(t *testing.T) {
	a := &App{Log: slog.New(slog.DiscardHandler)}
	addr, stop, err := a.servePprof()
	require.NoError(t, err)
	require.Empty(t, addr, "off by default")
	stop()

	a.Config.PprofAddr = "127.0.0.1:0"
	addr, stop, err = a.servePprof()
	require.NoError(t, err)
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	res, err := client.Get("http://" + addr + "/debug/pprof/heap?debug=1")
	require.NoError(t, err)
	body, _ := io.ReadAll(res.Body)
	_ = res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, string(body), "heap profile")
	stop()
	_, err = client.Get("http://" + addr + "/debug/pprof/")
	require.Error(t, err, "closed")
}
