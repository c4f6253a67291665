// Package profile is what segment rules know of a person's behaviour: a
// summary of the event history of the visitor's identity cluster (the
// events of every visitor id linked to it, the devices and channels it
// was decided on, when it was first and last seen, its identify traits),
// and the cache delivery reads it through without a database round trip.
//
// # What a rule sees
//
// personalization exposes a [Profile] to CEL as `events` (count, sum and
// last over named events in a window ending at the decision's instant)
// and `profile` (known, visitors, devices, channels, firstSeen, lastSeen,
// traits). An event's name is a track event's name, a conversion's goal,
// or "view" for a view event; its properties are a track event's
// properties, a conversion's {value, currency} and a view's {entry,
// blockId}; its value is a conversion's value (sum(name, "value", …) also
// reads a numeric property named value). Identify and consent events are
// not events here: identify traits fold into traits (latest wins).
//
// Windows are exact: an event counts in window w at instant t when
// t − w ≤ its time ≤ t (its corrected time, as stored). Events after t
// (a preview at an earlier instant) never count.
//
// # Bounds
//
// A profile holds the most recent [MaxEvents] events of the cluster not
// older than [MaxWindow] (rules may not ask for a longer window:
// personalization refuses it when the rule is saved), and at most
// [MaxVisitors] visitor ids. Older events, and events past the retention
// MOSAIC_EVENTS_RETENTION_DAYS already dropped, are not seen.
//
// # The cache
//
// [Cache.Get] answers from memory and never blocks. A visitor it does not
// know yet gets nil — the rule sees an empty, unknown profile (no events,
// profile.known false), never an error — and is queued for a background
// load that serves its next requests. An entry is trusted for the TTL
// (30 s by default); after it the old profile is still answered while it
// reloads. At most MaxEntries visitor ids are kept (100,000 by default).
//
// Events this replica accepts on POST /collect are applied to the cached
// profiles of their cluster at once ([Cache.Observe]): the visitor's next
// request sees them, before the event log's consumer has stored them.
// Events accepted by another replica, and a new link between visitor ids
// (identify is resolved by the consumer: measurement/identity), reach a
// replica's cache when the entry is reloaded: at most the TTL after the
// consumer stored them.
//
// # Consent
//
// Without the personalization purpose delivery attaches no profile and
// the engine drops one it is given (measurement/consent is the rule's
// home): behavioural rules see an empty history.
package profile
