package config

import (
	"net/url"
	"strings"
	"time"
)

// replicaSettings name the PostgreSQL hot standbys (streaming replicas of
// DATABASE_URL) that published reads, reports and search rebuilds go to.
var replicaSettings = []setting{
	{"database-read-urls", "MOSAIC_DATABASE_READ_URLS", "",
		"comma-separated PostgreSQL URLs of streaming-replication standbys of DATABASE_URL for published reads, reports and search rebuilds (empty: all reads on the primary)",
		func(c *Config, v string) error { c.DatabaseReadURLs = v; return nil }},
	{"database-read-max-lag", "MOSAIC_DATABASE_READ_MAX_LAG", "2s",
		"a standby further behind the primary than this is skipped until it catches up (how long ago the primary wrote what it has not replayed)",
		durationInto(func(c *Config) *time.Duration { return &c.DatabaseReadMaxLag })},
	// Scaling out the event log: on a NATS cluster the stream of client
	// events must be replicated, or a node that dies takes the events it
	// holds (accepted, not yet in PostgreSQL) with it until it returns.
	{"nats-replicas", "MOSAIC_NATS_REPLICAS", "1",
		"copies of the client-event stream on a NATS JetStream cluster (MOSAIC_NATS_URL): 3 on a 3-node cluster survives losing a node; 1 for one server or the embedded one",
		intInto(func(c *Config) *int { return &c.NATSReplicas })},
}

func init() { settings = append(settings, replicaSettings...) }

// ReadURLs are the standbys' URLs, in order.
func (c Config) ReadURLs() []string {
	var out []string
	for _, u := range strings.Split(c.DatabaseReadURLs, ",") {
		if u = strings.TrimSpace(u); u != "" {
			out = append(out, u)
		}
	}
	return out
}

func (c Config) validateReplicas() error {
	var p Problems
	seen := map[string]bool{}
	for _, raw := range c.ReadURLs() {
		u, err := url.Parse(raw)
		bad := err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Host == ""
		shown := raw
		if err == nil {
			shown = u.Redacted()
		}
		p.check(bad, "database-read-urls: %q is not a postgres://host/db URL", shown)
		p.check(!bad && seen[u.Host+u.Path], "database-read-urls: %q is listed twice", shown)
		if !bad {
			seen[u.Host+u.Path] = true
		}
	}
	p.check(c.NATSReplicas < 1 || c.NATSReplicas > 5, "nats-replicas must be between 1 and 5 (JetStream's limit), got %d", c.NATSReplicas)
	p.check(c.NATSReplicas > 1 && c.Measurement.NATSURL == "",
		"nats-replicas %d needs a NATS cluster (MOSAIC_NATS_URL): the embedded server keeps one copy", c.NATSReplicas)
	p.check(c.DatabaseReadMaxLag < 10*time.Millisecond || c.DatabaseReadMaxLag > time.Hour,
		"database-read-max-lag must be between 10ms and 1h, got %s", c.DatabaseReadMaxLag)
	return p.Err()
}
