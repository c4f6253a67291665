package config

import (
	"flag"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestReadReplicaSettings: standby URLs are postgres URLs, listed once,
// their passwords never echoed in a refusal; the lag bound is bounded.
func TestReadReplicaSettings(t *testing.T) {
	t.Parallel()
	parse := func(m map[string]string) (Config, error) {
		return Parse(flag.NewFlagSet("test", flag.ContinueOnError), nil, func(k string) string { return m[k] })
	}
	c, err := parse(nil)
	require.NoError(t, err)
	require.Empty(t, c.ReadURLs(), "no standbys by default: everything on the primary")
	require.Equal(t, 2*time.Second, c.DatabaseReadMaxLag)

	c, err = parse(map[string]string{"MOSAIC_DATABASE_READ_URLS": " postgres://u:p@standby-a/mosaic , postgresql://standby-b:5433/mosaic,",
		"MOSAIC_DATABASE_READ_MAX_LAG": "500ms"})
	require.NoError(t, err)
	require.Equal(t, []string{"postgres://u:p@standby-a/mosaic", "postgresql://standby-b:5433/mosaic"}, c.ReadURLs())
	require.Equal(t, 500*time.Millisecond, c.DatabaseReadMaxLag)

	for bad, want := range map[string]string{
		"standby-a:5432/mosaic":                    "is not a postgres://host/db URL",
		"mysql://standby-a/mosaic":                 "is not a postgres://host/db URL",
		"postgres://a/db,postgres://u:secret@a/db": "is listed twice",
		"postgres://u:secret@/db":                  "is not a postgres://host/db URL",
	} {
		_, err := parse(map[string]string{"MOSAIC_DATABASE_READ_URLS": bad})
		require.ErrorContains(t, err, want, bad)
		require.NotContains(t, err.Error(), "secret", "no password in the message")
	}
	_, err = parse(map[string]string{"MOSAIC_DATABASE_READ_MAX_LAG": "0s"})
	require.ErrorContains(t, err, "database-read-max-lag must be between 10ms and 1h")
}

// TestNATSClusterSettings: MOSAIC_NATS_URL takes a cluster's nodes,
// comma-separated; the stream's replicas need a cluster.
func TestNATSClusterSettings(t *testing.T) {
	t.Parallel()
	parse := func(m map[string]string) (Config, error) {
		return Parse(flag.NewFlagSet("test", flag.ContinueOnError), nil, func(k string) string { return m[k] })
	}
	c, err := parse(map[string]string{"MOSAIC_NATS_URL": "nats://n0:4222,nats://n1:4222,nats://n2:4222", "MOSAIC_NATS_REPLICAS": "3"})
	require.NoError(t, err)
	require.Equal(t, 3, c.NATSReplicas)
	_, err = parse(map[string]string{"MOSAIC_NATS_URL": "nats://n0:4222,n1:4222"})
	require.ErrorContains(t, err, `nats-url must be nats://host:port or tls://host:port (comma-separated for a cluster), got "n1:4222"`)
	_, err = parse(map[string]string{"MOSAIC_NATS_REPLICAS": "3"})
	require.ErrorContains(t, err, "nats-replicas 3 needs a NATS cluster")
	_, err = parse(map[string]string{"MOSAIC_NATS_URL": "nats://n0:4222", "MOSAIC_NATS_REPLICAS": "7"})
	require.ErrorContains(t, err, "nats-replicas must be between 1 and 5")
}
