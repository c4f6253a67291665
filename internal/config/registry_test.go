package config

import (
	"flag"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/personalization"
)

func TestRegistrySettings(t *testing.T) {
	t.Parallel()
	parse := func(env map[string]string) (Config, error) {
		return Parse(flag.NewFlagSet("test", flag.ContinueOnError), nil, func(k string) string { return env[k] })
	}
	c, err := parse(nil)
	require.NoError(t, err)
	reg, err := c.Registry()
	require.NoError(t, err)
	require.Equal(t, personalization.DefaultRegistry(), reg, "the defaults must match the engine's")

	c, err = parse(map[string]string{"MOSAIC_DEVICES": " mobile, fridge ", "MOSAIC_CHANNELS": "web"})
	require.NoError(t, err)
	reg, err = c.Registry()
	require.NoError(t, err)
	require.Equal(t, personalization.Registry{Devices: []string{"mobile", "fridge"}, Channels: []string{"web"}}, reg)

	for env, msg := range map[string]string{
		"Smart TV": `devices: "Smart TV" is not a token`,
		"tv,tv":    `devices: "tv" is listed twice`,
		" , ":      "devices: at least one is required",
	} {
		_, err := parse(map[string]string{"MOSAIC_DEVICES": env})
		require.ErrorContains(t, err, msg, env)
	}
}
