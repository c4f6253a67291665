// Package surrogate names what a delivered answer depends on, for CDNs
// that purge by key (Fastly's Surrogate-Key, Varnish xkey, Cloudflare's
// Cache-Tag): delivery tags every answer with these keys and every event
// in the log says which keys it makes stale, so a purge hook needs no
// knowledge of Mosaic's model. It has no dependencies: both the delivery
// domain and the event log use it.
package surrogate

import (
	"fmt"
	"slices"
	"strings"
)

// Headers that may carry an answer's keys: Surrogate-Key (space-separated;
// Fastly, Varnish xkey) and Cache-Tag (comma-separated; Cloudflare,
// KeyCDN). An answer carries the ones the operator's CDN reads
// (MOSAIC_SURROGATE_HEADERS, ParseHeaders): the keys are for the CDN, and
// a second copy of them was ~100–200 bytes on every answer, enough to
// push a 3 KB answer past net/http's 4 KB write buffer into two
// segments.
const (
	Header    = "Surrogate-Key"
	TagHeader = "Cache-Tag"
)

// ParseHeaders reads MOSAIC_SURROGATE_HEADERS: a comma-separated list of
// Header and TagHeader (any case), or "off" (or empty) for none.
func ParseHeaders(v string) ([]string, error) {
	out := []string{}
	if v = strings.TrimSpace(v); v == "" || strings.EqualFold(v, "off") {
		return out, nil
	}
	for _, name := range strings.Split(v, ",") {
		var h string
		switch name = strings.TrimSpace(name); {
		case strings.EqualFold(name, Header):
			h = Header
		case strings.EqualFold(name, TagHeader):
			h = TagHeader
		default:
			return nil, fmt.Errorf("want %s, %s, both comma-separated, or off; got %q", Header, TagHeader, name)
		}
		if !slices.Contains(out, h) {
			out = append(out, h)
		}
	}
	return out, nil
}

// Separator is how header lists keys: a space for Surrogate-Key, a comma
// for Cache-Tag.
func Separator(header string) string {
	if header == TagHeader {
		return ","
	}
	return " "
}

// All is on every answer: purging it purges everything (a content model
// or segment change may change any answer).
const All = "mosaic"

// Entry is the key of an answer that shows entry id (or decides one of
// its blocks).
func Entry(id string) string { return "entry:" + id }

// Type is the key of an answer that lists entries of a content type: a
// new entry of the type changes the list.
func Type(key string) string { return "type:" + key }

// Campaign is the key of an answer one of whose variants names campaign
// key, chosen or not: its start, end or stop changes the answer.
func Campaign(key string) string { return "campaign:" + key }

// Asset is the key of an answer that delivers asset id.
func Asset(id string) string { return "asset:" + id }
