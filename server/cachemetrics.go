package server

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/mosaichq/mosaic/graph"
)

// cachesCollector reports the caches delivery answers from, read at
// scrape time: the response cache (hits, misses and bypasses — its hit
// ratio is the first thing to look at when reads get slower — and its
// size), the published-content cache's size and the search results
// cache's hits and misses.
type cachesCollector struct {
	r *graph.Resolver

	respRequests, respBytes, respEntries *prometheus.Desc
	contentBytes, contentEntries         *prometheus.Desc
	searchRequests                       *prometheus.Desc
}

func newCachesCollector(r *graph.Resolver) *cachesCollector {
	return &cachesCollector{r: r,
		respRequests: prometheus.NewDesc("mosaic_response_cache_requests_total",
			"Delivery requests by what the response cache did: hit (answered from memory), miss (executed, kept when shareable), bypass (not cacheable: editors, previews, other fields).",
			[]string{"result"}, nil),
		respBytes:      prometheus.NewDesc("mosaic_response_cache_bytes", "Bytes the response cache holds (MOSAIC_RESPONSE_CACHE_BYTES bounds it).", nil, nil),
		respEntries:    prometheus.NewDesc("mosaic_response_cache_entries", "Answers the response cache holds.", nil, nil),
		contentBytes:   prometheus.NewDesc("mosaic_content_cache_bytes", "Estimated bytes the published-content cache holds (MOSAIC_CONTENT_CACHE_BYTES bounds it).", nil, nil),
		contentEntries: prometheus.NewDesc("mosaic_content_cache_entries", "Entries the published-content cache holds.", nil, nil),
		searchRequests: prometheus.NewDesc("mosaic_search_cache_requests_total",
			"Searches by whether the results cache answered them (hit) or the index did (miss).", []string{"result"}, nil),
	}
}

// Describe implements prometheus.Collector.
func (c *cachesCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.respRequests, c.respBytes, c.respEntries, c.contentBytes, c.contentEntries, c.searchRequests} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c *cachesCollector) Collect(ch chan<- prometheus.Metric) {
	if s, ok := c.r.ResponseCacheStats(); ok {
		for result, n := range map[string]int64{"hit": s.Hits, "miss": s.Misses, "bypass": s.Bypasses} {
			ch <- prometheus.MustNewConstMetric(c.respRequests, prometheus.CounterValue, float64(n), result)
		}
		ch <- prometheus.MustNewConstMetric(c.respBytes, prometheus.GaugeValue, float64(s.Bytes))
		ch <- prometheus.MustNewConstMetric(c.respEntries, prometheus.GaugeValue, float64(s.Entries))
	}
	if c.r.Content != nil {
		s := c.r.Content.CacheStats()
		ch <- prometheus.MustNewConstMetric(c.contentBytes, prometheus.GaugeValue, float64(s.Bytes))
		ch <- prometheus.MustNewConstMetric(c.contentEntries, prometheus.GaugeValue, float64(s.Entries))
	}
	if c.r.Search != nil {
		s := c.r.Search.CacheStats()
		ch <- prometheus.MustNewConstMetric(c.searchRequests, prometheus.CounterValue, float64(s.Hits), "hit")
		ch <- prometheus.MustNewConstMetric(c.searchRequests, prometheus.CounterValue, float64(s.Misses), "miss")
	}
}
