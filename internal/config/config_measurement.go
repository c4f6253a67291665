package config

import (
	"fmt"
	"net/url"
	"strconv"
	"time"
)

// MeasurementConfig is the client-event pipeline's (issue 17).
type MeasurementConfig struct {
	// NATSURL is an external NATS server; empty embeds one (data dir).
	NATSURL string
	// BufferBytes bounds the events pending in the log; beyond it
	// /collect answers 503.
	BufferBytes int64
	// MaxAge is the acceptance window: older events are refused.
	MaxAge time.Duration
}

// measurementSettings are the event pipeline's settings.
var measurementSettings = []setting{
	{"nats-url", "MOSAIC_NATS_URL", "",
		"NATS server (cluster) carrying client events to PostgreSQL, e.g. nats://nats:4222; empty: one embedded in the process, files in <data-dir>/nats",
		func(c *Config, v string) error { c.Measurement.NATSURL = v; return nil }},
	{"events-buffer-bytes", "MOSAIC_EVENTS_BUFFER_BYTES", "1073741824",
		"most bytes of client events waiting for PostgreSQL; beyond it POST /collect answers 503 with Retry-After",
		func(c *Config, v string) error {
			n, err := strconv.ParseInt(v, 10, 64)
			c.Measurement.BufferBytes = n
			return err
		}},
	{"events-max-age", "MOSAIC_EVENTS_MAX_AGE", "168h",
		"oldest client event accepted, after clock-skew correction (offline kiosks and apps report late)",
		durationInto(func(c *Config) *time.Duration { return &c.Measurement.MaxAge })},
}

func init() { settings = append(settings, measurementSettings...) }

func (c Config) validateMeasurement() error {
	var p Problems
	m := c.Measurement
	if m.NATSURL != "" {
		u, err := url.Parse(m.NATSURL)
		p.check(err != nil || u.Host == "" || (u.Scheme != "nats" && u.Scheme != "tls"),
			"nats-url must be nats://host:port or tls://host:port, got %q", m.NATSURL)
	}
	p.check(m.BufferBytes < 1<<20, "events-buffer-bytes must be at least 1048576 (1 MiB, one batch), got %d", m.BufferBytes)
	p.check(m.MaxAge < time.Hour || m.MaxAge > 90*24*time.Hour, "events-max-age must be between 1h and 2160h (90 days), got %s", m.MaxAge)
	return p.Err()
}

// String keeps a NATS URL's password out of logs.
func (m MeasurementConfig) String() string {
	return fmt.Sprintf("nats=%s buffer=%d max-age=%s", redactURL(m.NATSURL), m.BufferBytes, m.MaxAge)
}

func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	return u.Redacted()
}
