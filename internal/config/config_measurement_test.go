package config

import (
	"flag"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestMeasurementSettings(t *testing.T) {
	t.Parallel()
	parse := func(env map[string]string) (Config, error) {
		return Parse(flag.NewFlagSet("test", flag.ContinueOnError), nil, func(k string) string { return env[k] })
	}
	c, err := parse(nil)
	require.NoError(t, err)
	require.Equal(t, MeasurementConfig{BufferBytes: 1 << 30, MaxAge: 168 * time.Hour, RetentionDays: 395,
		IdentityMaxVisitors: 10, IdentityWindow: 24 * time.Hour, DedupeWindow: 30 * time.Second, DecisionRecords: true,
		ReportInterval: 5 * time.Minute}, c.Measurement, "embedded by default, records on")
	c, err = parse(map[string]string{"MOSAIC_ROLLUP_RETENTION_DAYS": "37"})
	require.NoError(t, err, "7 days of late events plus the 30-day window")
	require.Equal(t, 37, c.Measurement.RollupRetentionDays)
	c, err = parse(map[string]string{"MOSAIC_DECISION_RECORDS": "off"})
	require.NoError(t, err)
	require.False(t, c.Measurement.DecisionRecords, "off: no decision records")
	require.False(t, c.Measurement.RecordEveryServe)
	c, err = parse(map[string]string{"MOSAIC_DECISION_RECORDS": "delivery"})
	require.NoError(t, err)
	require.True(t, c.Measurement.DecisionRecords && c.Measurement.RecordEveryServe, "delivery: a record per serve")
	c, err = parse(map[string]string{"MOSAIC_EVENTS_RETENTION_DAYS": "0"})
	require.NoError(t, err)
	require.Zero(t, c.Measurement.RetentionDays, "0 keeps everything")

	c, err = parse(map[string]string{"MOSAIC_NATS_URL": "nats://u:secret@nats:4222", "MOSAIC_EVENTS_MAX_AGE": "24h"})
	require.NoError(t, err)
	require.Equal(t, "nats://u:secret@nats:4222", c.Measurement.NATSURL)
	require.NotContains(t, c.Measurement.String(), "secret")

	for msg, env := range map[string]map[string]string{
		"nats-url must be nats://":        {"MOSAIC_NATS_URL": "http://nats"},
		"events-buffer-bytes must be":     {"MOSAIC_EVENTS_BUFFER_BYTES": "1000"},
		"events-max-age must be":          {"MOSAIC_EVENTS_MAX_AGE": "2161h"},
		"--events-max-age / MOSAIC_EVE":   {"MOSAIC_EVENTS_MAX_AGE": "week"},
		"events-retention-days must be":   {"MOSAIC_EVENTS_RETENTION_DAYS": "3"},
		"events-retention-days must be 0": {"MOSAIC_EVENTS_RETENTION_DAYS": "-1"},
		"MOSAIC_EVENTS_RETENTION_DAYS":    {"MOSAIC_EVENTS_RETENTION_DAYS": "a year"},
		"rollup-retention-days must be 0": {"MOSAIC_ROLLUP_RETENTION_DAYS": "30"},
		"events-dedupe-window must be":    {"MOSAIC_EVENTS_DEDUPE_WINDOW": "2h"},
		"must be on, delivery or off":     {"MOSAIC_DECISION_RECORDS": "false"},
		"report-interval must be between": {"MOSAIC_REPORT_INTERVAL": "0s"},
	} {
		_, err := parse(env)
		require.ErrorContains(t, err, msg, env)
	}
}
