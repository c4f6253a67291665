package config

import (
	"net/url"
	"os"
)

// Tracing is off unless an OTLP/HTTP collector is named: spans cost
// nothing then (internal/tracing keeps the no-op tracer).
var telemetrySettings = []setting{
	{"otel-endpoint", "MOSAIC_OTEL_ENDPOINT", "", "OTLP/HTTP collector to send traces to, e.g. http://otel-collector:4318 (empty: OTEL_EXPORTER_OTLP_ENDPOINT, else tracing off)", func(c *Config, v string) error { c.OTelEndpoint = v; return nil }},
}

func init() { settings = append(settings, telemetrySettings...) }

// TracesEndpoint is where traces go: MOSAIC_OTEL_ENDPOINT, else the
// standard OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or OTEL_EXPORTER_OTLP_ENDPOINT
// (which the exporter reads itself). Empty: tracing is off.
func (c Config) TracesEndpoint(getenv func(string) string) string {
	if c.OTelEndpoint != "" {
		return c.OTelEndpoint
	}
	if getenv == nil {
		getenv = os.Getenv
	}
	if v := getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"); v != "" {
		return v
	}
	return getenv("OTEL_EXPORTER_OTLP_ENDPOINT")
}

func (c Config) validateTelemetry() error {
	var p Problems
	if c.OTelEndpoint != "" {
		u, err := url.Parse(c.OTelEndpoint)
		p.check(err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "",
			"otel-endpoint must be an http(s) URL such as http://otel-collector:4318, got %q", c.OTelEndpoint)
	}
	return p.Err()
}
