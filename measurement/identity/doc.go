// Package identity decides how visitor ids join into one person: the
// identity cluster. It is pure (no SQL, no clock): storage/postgres loads
// the state an identify event touches, asks [Resolve] what to do, and
// writes the outcome in the transaction that stores the event, on the
// log's consumer path — never while a request waits.
//
// # Clusters
//
// A person has many visitor ids (phone, laptop, a kiosk session) and at
// most one user id. A visitor id no identify ever named is a cluster of
// its own, whose id is the visitor id itself; a cluster created by an
// identify gets an id of its own. An identify event (visitorId, userId) is
// a sign-in: it links the visitor id to the cluster holding the user id,
// creating that cluster on the first sign-in.
//
// # Merge protection (after Segment's identity resolution)
//
//   - Blocked values: a visitor or user id that is "", "0", "-1", "null",
//     "anonymous" or "undefined" (any case, surrounding spaces ignored) is
//     what a broken client sends for everyone; linking on it would merge
//     strangers. /collect refuses such an identify (BLOCKED_VALUE) and
//     Resolve refuses it again.
//   - One user id per cluster: a visitor id already linked to another user
//     id stays where it is; the identify is refused (USER_CONFLICT) and the
//     refusal recorded. A shared device does not join two people.
//   - A limit of visitor ids per window: a cluster takes at most
//     [Limits].MaxVisitors new visitor ids within [Limits].Window
//     (default 10 per 24 hours); past it the identify is refused
//     (TOO_MANY_VISITORS). A user id that collects dozens of devices a day
//     is a shared or test account, not a person.
//   - Kiosk sessions: a visitor id starting with "kiosk:" is a session on
//     a shared screen (the kiosk example rotates it per session). It joins
//     a cluster only by signing in (an identify — nothing else links ids
//     here), and what it was shown before the sign-in is not the person's:
//     its exposures before the link are left out of the person's
//     assignments (see Assign).
//
// Every link, unlink and refusal is appended to the link history; nothing
// in it is updated, so a bad merge can be undone (unmergeIdentity detaches
// a visitor id again) and read back. An unmerge holds: the client's next
// identify of the same visitor id and user id is refused (UNMERGED), or
// the undone merge would be redone on the next page view.
//
// # Experiment assignments never flip
//
// Delivery buckets by visitor id; identity comes later, from the log. The
// person's arm of an experiment is first-touch per cluster: the arm of the
// earliest exposure of any of its visitor ids. Delivery pins it on the
// cluster's other visitor ids (measurement.ArmCache, loaded in the
// background) once their sign-in is stored. When a merge joins a
// visitor exposed to another arm (two clusters already in different
// arms), the earlier exposure is kept and every exposure of the cluster to
// another arm is marked conflict: reports count the person in the kept
// arm, and can leave conflicted people out. Assign is that rule.
package identity
