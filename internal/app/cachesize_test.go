package app_test

import (
	"context"
	"flag"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/internal/app"
	"github.com/mosaichq/mosaic/internal/config"
	"github.com/mosaichq/mosaic/internal/testdb"
)

// TestContentCacheSizeSetting: the published-content cache is bounded by
// MOSAIC_CONTENT_CACHE_BYTES — its default (16 MiB) when unset, the value
// when set (the memory limit derived from it: memory_test.go).
func TestContentCacheSizeSetting(t *testing.T) {
	t.Parallel()
	_, dbURL := testdb.Schema(t)
	for _, c := range []struct {
		env  map[string]string
		want int64
	}{
		{nil, 16 << 20},
		{map[string]string{"MOSAIC_CONTENT_CACHE_BYTES": "1048576"}, 1 << 20},
	} {
		cfg, err := config.Parse(flag.NewFlagSet("test", flag.ContinueOnError),
			[]string{"--database-url", dbURL, "--data-dir", t.TempDir()},
			func(k string) string { return c.env[k] })
		require.NoError(t, err)
		a, err := app.Open(context.Background(), cfg, []byte(strings.Repeat("s", 32)), slog.New(slog.DiscardHandler))
		require.NoError(t, err)
		require.Equal(t, c.want, a.Content.CacheStats().Max, c.env)
		a.Close()
	}
}
