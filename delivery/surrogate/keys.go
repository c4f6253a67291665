// Package surrogate names what a delivered answer depends on, for CDNs
// that purge by key (Fastly's Surrogate-Key, Varnish xkey, Cloudflare's
// Cache-Tag): delivery tags every answer with these keys and every event
// in the log says which keys it makes stale, so a purge hook needs no
// knowledge of Mosaic's model. It has no dependencies: both the delivery
// domain and the event log use it.
package surrogate

// Headers carrying an answer's keys: Surrogate-Key (space-separated;
// Fastly, Varnish xkey) and Cache-Tag (comma-separated; Cloudflare,
// Akamai).
const (
	Header    = "Surrogate-Key"
	TagHeader = "Cache-Tag"
)

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
