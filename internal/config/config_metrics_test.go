package config

import (
	"bytes"
	"flag"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestMetricsSetting: /metrics is off in serve unless asked for, on in dev
// unless turned off, and listed by --help.
func TestMetricsSetting(t *testing.T) {
	t.Parallel()
	parse := func(getenv func(string) string) Config {
		c, err := Parse(flag.NewFlagSet("test", flag.ContinueOnError), nil, getenv)
		require.NoError(t, err)
		return c
	}
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	require.False(t, parse(env(nil)).Security.Metrics, "serve: off by default")
	require.True(t, parse(env(map[string]string{"MOSAIC_METRICS": "true"})).Security.Metrics)
	require.True(t, parse(DevEnv(env(nil))).Security.Metrics, "dev: on by default")
	require.False(t, parse(DevEnv(env(map[string]string{"MOSAIC_METRICS": "false"}))).Security.Metrics, "dev: a set variable wins")

	_, err := Parse(flag.NewFlagSet("test", flag.ContinueOnError), nil, env(map[string]string{"MOSAIC_METRICS": "sometimes"}))
	require.ErrorContains(t, err, "MOSAIC_METRICS")

	var help bytes.Buffer
	PrintSettings(&help)
	require.Contains(t, help.String(), "--metrics")
	require.Contains(t, help.String(), "MOSAIC_METRICS")
}
