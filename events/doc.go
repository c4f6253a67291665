// Package events is Mosaic's live event stream: the typed events that the
// event log holds (campaign announcements and content changes), the filters
// a subscriber asks for, a Hub that tails the log and fans events out to
// subscribers on this replica, and the Server-Sent Events handler behind
// GET /events.
//
// The log is the source of truth; notifications only say "look now".
// Every replica runs its own Hub over the shared log, so any replica can
// serve any kiosk, and a client that reconnects with Last-Event-ID — to the
// same replica or another — replays exactly what it missed, in order.
//
// # The stream
//
//	GET /events?channel=kiosk&device=kiosk&screen=lobby&type=campaign.*,changed
//
// Each event is sent as
//
//	id: 42
//	event: campaign.started
//	data: {"id":"42","type":"campaign.started","timestamp":"...","data":{...}}
//
// (data is the same JSON envelope webhooks receive). A "changed" event's
// data names what changed: the entry (entry, locale, type, slug), or for a
// campaign write (action "campaign") the campaign as {"id","key"}, the
// shape campaign events use. Every event's data also lists in "purge" the
// surrogate keys (delivery/surrogate) of the delivered answers it makes
// stale: a CDN purge hook is a webhook endpoint that purges those keys.
// After any replay the
// server sends one "ready" event, and a "heartbeat" event every
// heartbeat interval while nothing else is sent; neither carries an id, so
// neither moves Last-Event-ID. When the requested history is no longer in
// the log (older than its retention, or from another database), the server
// sends a "changed" event with reason "resync": refetch everything.
//
// The stream follows delivery's credential rule (HandlerConfig.Authorize):
// where public delivery is off, a kiosk sends its API key (X-API-Key or
// Authorization: Bearer) as it does for GraphQL.
package events
