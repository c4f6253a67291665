package config

import (
	"strconv"
	"time"
)

// RecommendConfig is the recommendations' engine's (issue 19,
// measurement/recommend).
type RecommendConfig struct {
	// Refresh is how often at most a popularity ranking is recomputed,
	// and so how long answers with popular or alsoViewed lists may be
	// cached: the freshness bound is about twice it plus the pipeline.
	Refresh time.Duration
	// MaxPeople bounds the people (and visitor ids) whose histories are
	// kept in memory, least recently active dropped first.
	MaxPeople int
}

var recommendSettings = []setting{
	{"recommend-refresh", "MOSAIC_RECOMMEND_REFRESH", "1s",
		"how often at most a popular ranking is recomputed (a scan of the catalogue's counters) and how long answers with aggregate recommendations may be cached",
		durationInto(func(c *Config) *time.Duration { return &c.Recommend.Refresh })},
	{"recommend-max-people", "MOSAIC_RECOMMEND_MAX_PEOPLE", "1000000",
		"most people whose recently viewed entries and purchases are kept in memory (least recently active dropped first)",
		func(c *Config, v string) error {
			n, err := strconv.Atoi(v)
			c.Recommend.MaxPeople = n
			return err
		}},
}

func init() { settings = append(settings, recommendSettings...) }

func (c Config) validateRecommend() error {
	var p Problems
	r := c.Recommend
	p.check(r.Refresh < 10*time.Millisecond || r.Refresh > time.Minute,
		"recommend-refresh must be between 10ms and 1m, got %s", r.Refresh)
	p.check(r.MaxPeople < 1000, "recommend-max-people must be at least 1000, got %d", r.MaxPeople)
	return p.Err()
}
