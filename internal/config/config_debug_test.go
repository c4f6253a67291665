package config

import (
	"flag"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestPprofAddrLoopbackOnly: profiles are off unless asked for, and only
// ever served on a loopback address (a profile shows memory and stacks).
func TestPprofAddrLoopbackOnly(t *testing.T) {
	t.Parallel()
	parse := func(v string) (Config, error) {
		env := map[string]string{}
		if v != "" {
			env["MOSAIC_PPROF_ADDR"] = v
		}
		return Parse(flag.NewFlagSet("test", flag.ContinueOnError), nil, func(k string) string { return env[k] })
	}
	c, err := parse("")
	require.NoError(t, err)
	require.Empty(t, c.PprofAddr, "off by default")
	for _, ok := range []string{"127.0.0.1:6060", "[::1]:6060", "127.0.0.1:0"} {
		c, err := parse(ok)
		require.NoError(t, err, ok)
		require.Equal(t, ok, c.PprofAddr)
	}
	for _, bad := range []string{"0.0.0.0:6060", ":6060", "localhost:6060", "10.0.0.1:6060", "6060"} {
		_, err := parse(bad)
		require.ErrorContains(t, err, "pprof-addr must be a loopback address", bad)
	}
}

// TestCacheSizeSettings: both caches' bounds are settings, the content
// cache's default is half the response cache's, and 0 (off) is accepted.
func TestCacheSizeSettings(t *testing.T) {
	t.Parallel()
	parse := func(env map[string]string) (Config, error) {
		return Parse(flag.NewFlagSet("test", flag.ContinueOnError), nil, func(k string) string { return env[k] })
	}
	c, err := parse(nil)
	require.NoError(t, err)
	require.Equal(t, int64(32<<20), c.ResponseCacheBytes)
	require.Equal(t, int64(16<<20), c.ContentCacheBytes)
	c, err = parse(map[string]string{"MOSAIC_RESPONSE_CACHE_BYTES": "0", "MOSAIC_CONTENT_CACHE_BYTES": "1048576"})
	require.NoError(t, err)
	require.Zero(t, c.ResponseCacheBytes)
	require.Equal(t, int64(1<<20), c.ContentCacheBytes)
	_, err = parse(map[string]string{"MOSAIC_CONTENT_CACHE_BYTES": "-1"})
	require.ErrorContains(t, err, "want a number of bytes")
}
