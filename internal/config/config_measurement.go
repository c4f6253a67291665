package config

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/mosaichq/mosaic/measurement"
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
	// RetentionDays is how many days of events and decision records are
	// kept (whole day partitions dropped past it); 0 keeps everything.
	RetentionDays int
	// RollupRetentionDays is how many days of the daily aggregate
	// rollups are kept; 0 keeps them all (they are anonymous and small).
	RollupRetentionDays int
	// IdentityMaxVisitors and IdentityWindow bound how fast an identity
	// cluster grows (measurement/identity: Segment-style merge protection).
	IdentityMaxVisitors int
	IdentityWindow      time.Duration
	// DedupeWindow is how long the log remembers message ids to drop a
	// batch resent whole; later resends are dropped by the store's
	// (id, day) key. JetStream keeps ~140 B per message (up to 64 events)
	// for the window.
	DedupeWindow time.Duration
	// DecisionRecords is whether delivery writes decision records (and
	// answers Entry.decisionId); off measures what they cost, or runs a
	// site that reports nothing per visitor.
	DecisionRecords bool
	// RecordEveryServe (MOSAIC_DECISION_RECORDS=delivery): an answer
	// showing decisionId is each visitor's own, a record written per serve
	// from the response cache too, instead of a shared answer whose copies
	// are counted by their views (measurement/views.go).
	RecordEveryServe bool
	// ReportInterval is how often a replica checks whether a scheduled
	// report (report.daily, experiment.sample_reached) is due.
	ReportInterval time.Duration
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
	{"events-dedupe-window", "MOSAIC_EVENTS_DEDUPE_WINDOW", "30s",
		"how long the event log remembers the messages it took (~140 B each, up to 64 events per message) to drop a batch resent whole; later or partial resends are dropped by PostgreSQL's (id, day) key",
		durationInto(func(c *Config) *time.Duration { return &c.Measurement.DedupeWindow })},
	{"events-retention-days", "MOSAIC_EVENTS_RETENTION_DAYS", "395",
		"days of client events and decision records kept; older day partitions are dropped (0: keep everything)",
		func(c *Config, v string) error {
			n, err := strconv.Atoi(v)
			c.Measurement.RetentionDays = n
			return err
		}},
	{"rollup-retention-days", "MOSAIC_ROLLUP_RETENTION_DAYS", "0",
		"days of daily aggregate rollups (experiment exposures and metrics, campaign reach, views) kept; 0: all (they are anonymous and small). Per-person rollup rows follow events-retention-days",
		func(c *Config, v string) error {
			n, err := strconv.Atoi(v)
			c.Measurement.RollupRetentionDays = n
			return err
		}},
	{"identity-max-visitors", "MOSAIC_IDENTITY_MAX_VISITORS", "10",
		"most visitor ids one person (identity cluster) takes per identity-window; more identifies are refused (TOO_MANY_VISITORS) and recorded",
		func(c *Config, v string) error {
			n, err := strconv.Atoi(v)
			c.Measurement.IdentityMaxVisitors = n
			return err
		}},
	{"identity-window", "MOSAIC_IDENTITY_WINDOW", "24h",
		"the window identity-max-visitors counts in",
		durationInto(func(c *Config) *time.Duration { return &c.Measurement.IdentityWindow })},
	{"decision-records", "MOSAIC_DECISION_RECORDS", "on",
		"on: delivery writes a decision record per answer it decides for a visitor id and answers Entry.decisionId; an answer's cached copies are counted by the views that name its decisionId; delivery: every serve of an answer showing decisionId writes its own record (such answers are private, never shared by a CDN); off: no records, decisionId is null (experiments then have no exposures)",
		func(c *Config, v string) error {
			switch v {
			case "on":
				c.Measurement.DecisionRecords, c.Measurement.RecordEveryServe = true, false
			case "delivery":
				c.Measurement.DecisionRecords, c.Measurement.RecordEveryServe = true, true
			case "off":
				c.Measurement.DecisionRecords, c.Measurement.RecordEveryServe = false, false
			default:
				return fmt.Errorf("must be on, delivery or off, got %q", v)
			}
			return nil
		}},
	{"report-interval", "MOSAIC_REPORT_INTERVAL", "5m",
		"how often each replica checks for scheduled reports due (webhook events report.daily after midnight UTC, experiment.sample_reached when a run reaches its planned size); each is sent once whatever the replicas",
		durationInto(func(c *Config) *time.Duration { return &c.Measurement.ReportInterval })},
}

func init() { settings = append(settings, measurementSettings...) }

func (c Config) validateMeasurement() error {
	var p Problems
	m := c.Measurement
	if m.NATSURL != "" {
		for _, one := range strings.Split(m.NATSURL, ",") { // a cluster: its nodes' URLs
			u, err := url.Parse(strings.TrimSpace(one))
			p.check(err != nil || u.Host == "" || (u.Scheme != "nats" && u.Scheme != "tls"),
				"nats-url must be nats://host:port or tls://host:port (comma-separated for a cluster), got %q", one)
		}
	}
	p.check(m.BufferBytes < 1<<20, "events-buffer-bytes must be at least 1048576 (1 MiB, one batch), got %d", m.BufferBytes)
	p.check(m.MaxAge < time.Hour || m.MaxAge > 90*24*time.Hour, "events-max-age must be between 1h and 2160h (90 days), got %s", m.MaxAge)
	// Retention shorter than the acceptance window would drop the days
	// late events are still accepted for.
	p.check(m.RetentionDays != 0 && (m.RetentionDays < 0 || time.Duration(m.RetentionDays)*24*time.Hour < m.MaxAge),
		"events-retention-days must be 0 (keep everything) or at least the events-max-age window (%s), got %d", m.MaxAge, m.RetentionDays)
	// A late conversion updates the aggregate of its unit's exposure day,
	// up to the longest conversion window plus the acceptance window back:
	// deleting that day earlier would leave a partial row.
	p.check(m.RollupRetentionDays != 0 && (m.RollupRetentionDays < 0 ||
		time.Duration(m.RollupRetentionDays)*24*time.Hour < m.MaxAge+measurement.MaxWindow()),
		"rollup-retention-days must be 0 (keep everything) or at least events-max-age plus the longest conversion window (%s), got %d",
		m.MaxAge+measurement.MaxWindow(), m.RollupRetentionDays)
	p.check(m.DedupeWindow < time.Second || m.DedupeWindow > time.Hour,
		"events-dedupe-window must be between 1s and 1h, got %s", m.DedupeWindow)
	p.check(m.IdentityMaxVisitors < 1, "identity-max-visitors must be at least 1, got %d", m.IdentityMaxVisitors)
	p.check(m.IdentityWindow < time.Minute, "identity-window must be at least 1m, got %s", m.IdentityWindow)
	p.check(m.ReportInterval < time.Second || m.ReportInterval > time.Hour, "report-interval must be between 1s and 1h, got %s", m.ReportInterval)
	return p.Err()
}

// String keeps a NATS URL's password out of logs.
func (m MeasurementConfig) String() string {
	return fmt.Sprintf("nats=%s buffer=%d max-age=%s retention-days=%d decision-records=%t every-serve=%t", redactURL(m.NATSURL), m.BufferBytes, m.MaxAge, m.RetentionDays, m.DecisionRecords, m.RecordEveryServe)
}

func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	return u.Redacted()
}
