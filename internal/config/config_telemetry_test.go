package config

import (
	"flag"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestMetricsTokenAndTracingSettings: the metrics token must not be
// guessable-short; the OTLP endpoint must be an http(s) URL; with none
// set, the standard OTEL_EXPORTER_OTLP_* variables decide, and with none
// of them tracing is off.
func TestMetricsTokenAndTracingSettings(t *testing.T) {
	t.Parallel()
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	parse := func(m map[string]string) (Config, error) {
		return Parse(flag.NewFlagSet("test", flag.ContinueOnError), nil, env(m))
	}
	_, err := parse(map[string]string{"MOSAIC_METRICS_TOKEN": "short"})
	require.ErrorContains(t, err, "metrics-token must be at least 16 characters")
	c, err := parse(map[string]string{"MOSAIC_METRICS_TOKEN": "0123456789abcdef"})
	require.NoError(t, err)
	require.Equal(t, "0123456789abcdef", c.Security.MetricsToken)

	for _, bad := range []string{"collector:4318", "ftp://collector", "http://"} {
		_, err := parse(map[string]string{"MOSAIC_OTEL_ENDPOINT": bad})
		require.ErrorContains(t, err, "otel-endpoint must be an http(s) URL", bad)
	}
	c, err = parse(nil)
	require.NoError(t, err)
	require.Empty(t, c.TracesEndpoint(env(nil)), "off by default")
	require.Equal(t, "http://std:4318", c.TracesEndpoint(env(map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://std:4318"})))
	require.Equal(t, "http://std:4318/v1/traces", c.TracesEndpoint(env(map[string]string{
		"OTEL_EXPORTER_OTLP_ENDPOINT": "http://std:4318", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://std:4318/v1/traces"})))
	c, err = parse(map[string]string{"MOSAIC_OTEL_ENDPOINT": "http://mine:4318"})
	require.NoError(t, err)
	require.Equal(t, "http://mine:4318", c.TracesEndpoint(env(map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://std:4318"})), "ours wins")
}
