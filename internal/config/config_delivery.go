package config

import (
	"fmt"
	"strconv"

	"github.com/mosaichq/mosaic/delivery/surrogate"
)

// deliverySettings are the delivery caches' (issue 15).
var deliverySettings = []setting{
	{"response-cache-bytes", "MOSAIC_RESPONSE_CACHE_BYTES", "33554432",
		"memory for delivery answers shared by visitors in the same class (segments, device, channel, locale, consent, and the arms of the experiments the answer's variants name); 0: off",
		func(c *Config, v string) error {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				return fmt.Errorf("want a number of bytes, 0 or more, got %q", v)
			}
			c.ResponseCacheBytes = n
			return nil
		}},
	{"content-cache-bytes", "MOSAIC_CONTENT_CACHE_BYTES", "16777216",
		"memory for published entries as resolved (estimated; a product ~1 KB, a page of 8 blocks with 3 variants each ~56 KB); 0: off",
		func(c *Config, v string) error {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				return fmt.Errorf("want a number of bytes, 0 or more, got %q", v)
			}
			c.ContentCacheBytes = n
			return nil
		}},
	{"surrogate-headers", "MOSAIC_SURROGATE_HEADERS", surrogate.Header,
		"the headers that name what an answer shows, for the CDN in front to purge by: Surrogate-Key (space-separated: Fastly, Varnish xkey), Cache-Tag (comma-separated: Cloudflare, KeyCDN), both (comma-separated), or off. One by default: the keys (entry ids, campaign keys) are for the CDN, and every answer carries them",
		func(c *Config, v string) error {
			h, err := surrogate.ParseHeaders(v)
			if err != nil {
				return err
			}
			c.SurrogateHeaders = h
			return nil
		}},
}

func init() { settings = append(settings, deliverySettings...) }
