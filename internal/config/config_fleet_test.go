package config

import (
	"flag"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestFleetSettings(t *testing.T) {
	t.Parallel()
	parse := func(env map[string]string) (Config, error) {
		return Parse(flag.NewFlagSet("test", flag.ContinueOnError), nil, func(k string) string { return env[k] })
	}
	c, err := parse(nil)
	require.NoError(t, err)
	require.Equal(t, 30*time.Second, c.ScreenHeartbeatInterval)
	require.Equal(t, 90*time.Second, c.ScreenOfflineAfter)
	require.Equal(t, 10_000, c.ScreenFleetMax)
	require.Equal(t, 30*24*time.Hour, c.ScreenForgetAfter)

	c, err = parse(map[string]string{"MOSAIC_SCREEN_HEARTBEAT_INTERVAL": "10s", "MOSAIC_SCREEN_OFFLINE_AFTER": "10s",
		"MOSAIC_SCREEN_FLEET_MAX": "5", "MOSAIC_SCREEN_FORGET_AFTER": "10s"})
	require.NoError(t, err, "offline-after may equal the interval, forget-after offline-after")
	require.Equal(t, 10*time.Second, c.ScreenOfflineAfter)
	require.Equal(t, 5, c.ScreenFleetMax)
	require.Equal(t, 10*time.Second, c.ScreenForgetAfter)

	c, err = parse(map[string]string{"MOSAIC_SCREEN_FORGET_AFTER": "0"})
	require.NoError(t, err)
	require.Zero(t, c.ScreenForgetAfter, "0 never forgets")
	c, err = parse(map[string]string{"MOSAIC_SCREEN_FORGET_AFTER": "2160h"})
	require.NoError(t, err)
	require.Equal(t, 90*24*time.Hour, c.ScreenForgetAfter)

	for _, tt := range []struct {
		env map[string]string
		msg string
	}{
		{map[string]string{"MOSAIC_SCREEN_HEARTBEAT_INTERVAL": "500ms"}, "between 1s and 1h"},
		{map[string]string{"MOSAIC_SCREEN_HEARTBEAT_INTERVAL": "2h", "MOSAIC_SCREEN_OFFLINE_AFTER": "3h"}, "between 1s and 1h"},
		{map[string]string{"MOSAIC_SCREEN_HEARTBEAT_INTERVAL": "1500ms"}, "whole seconds"},
		{map[string]string{"MOSAIC_SCREEN_HEARTBEAT_INTERVAL": "120s"}, "must be at least screen-heartbeat-interval"},
		{map[string]string{"MOSAIC_SCREEN_FLEET_MAX": "0"}, "screen-fleet-max must be between"},
		{map[string]string{"MOSAIC_SCREEN_FLEET_MAX": "many"}, "MOSAIC_SCREEN_FLEET_MAX: invalid value"},
		{map[string]string{"MOSAIC_SCREEN_OFFLINE_AFTER": "soon"}, "MOSAIC_SCREEN_OFFLINE_AFTER: invalid value"},
		{map[string]string{"MOSAIC_SCREEN_FORGET_AFTER": "-1h"}, "screen-forget-after must be 0 (never) or positive"},
		{map[string]string{"MOSAIC_SCREEN_FORGET_AFTER": "60s"}, "screen-forget-after (1m0s) must be 0 (never) or at least screen-offline-after (1m30s)"},
		{map[string]string{"MOSAIC_SCREEN_FORGET_AFTER": "30d"}, "MOSAIC_SCREEN_FORGET_AFTER: invalid value"},
	} {
		_, err := parse(tt.env)
		require.ErrorContains(t, err, tt.msg, tt.env)
	}
}
