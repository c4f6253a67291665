package config

import "time"

// fleetSettings are the settings of the screen fleet view (issue 9).
var fleetSettings = []setting{
	{"screen-heartbeat-interval", "MOSAIC_SCREEN_HEARTBEAT_INTERVAL", "30s",
		"how often kiosks and IoT displays are asked to report a heartbeat (whole seconds, 1s to 1h)",
		durationInto(func(c *Config) *time.Duration { return &c.ScreenHeartbeatInterval })},
	{"screen-offline-after", "MOSAIC_SCREEN_OFFLINE_AFTER", "90s",
		"how long a screen may stay quiet before the fleet view shows it OFFLINE (at least the heartbeat interval)",
		durationInto(func(c *Config) *time.Duration { return &c.ScreenOfflineAfter })},
	{"screen-fleet-max", "MOSAIC_SCREEN_FLEET_MAX", "10000",
		"most distinct screen ids the fleet view stores; a new id beyond it replaces the longest-silent OFFLINE one, else is refused; known ones still report",
		intInto(func(c *Config) *int { return &c.ScreenFleetMax })},
	{"screen-forget-after", "MOSAIC_SCREEN_FORGET_AFTER", "720h",
		"screens quiet for longer than this are deleted from the fleet view, swept hourly (0: never; else at least screen-offline-after)",
		durationInto(func(c *Config) *time.Duration { return &c.ScreenForgetAfter })},
}

func init() { settings = append(settings, fleetSettings...) }

func (c Config) validateFleet() error {
	var p Problems
	i := c.ScreenHeartbeatInterval
	p.check(i < time.Second || i > time.Hour, "screen-heartbeat-interval must be between 1s and 1h, got %s", i)
	// Screens are told the interval in whole seconds.
	p.check(i%time.Second != 0, "screen-heartbeat-interval must be whole seconds, got %s", i)
	p.check(c.ScreenOfflineAfter < i, "screen-offline-after (%s) must be at least screen-heartbeat-interval (%s), or every screen would flap OFFLINE",
		c.ScreenOfflineAfter, i)
	p.check(c.ScreenFleetMax < 1 || c.ScreenFleetMax > 1_000_000, "screen-fleet-max must be between 1 and 1000000, got %d", c.ScreenFleetMax)
	p.check(c.ScreenForgetAfter < 0, "screen-forget-after must be 0 (never) or positive, got %s", c.ScreenForgetAfter)
	p.check(c.ScreenForgetAfter > 0 && c.ScreenForgetAfter < c.ScreenOfflineAfter,
		"screen-forget-after (%s) must be 0 (never) or at least screen-offline-after (%s): only OFFLINE screens are forgotten",
		c.ScreenForgetAfter, c.ScreenOfflineAfter)
	return p.Err()
}
