package config

import (
	"fmt"
	"time"
)

// campaignSettings are the settings of campaign delivery (issue 4).
var campaignSettings = []setting{
	{"cache-max-age", "MOSAIC_CACHE_MAX_AGE", "60s",
		"cap of Cache-Control max-age on cacheable delivery responses; always also bounded by the next campaign transition",
		func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil {
				return err
			}
			if d < time.Second || d > 24*time.Hour {
				return fmt.Errorf("must be between 1s and 24h")
			}
			c.CacheMaxAge = d
			return nil
		}},
}

func init() { settings = append(settings, campaignSettings...) }
