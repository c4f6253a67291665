// Package campaign is Mosaic's campaign domain: seasonal campaigns that go
// live on every channel at the same instant, their management (create,
// schedule, launch, stop, archive, duplicate), their releases (drafts published
// together at the start), the calendar of transitions and the conflicts
// between overlapping campaigns.
//
// # Time, not jobs
//
// A campaign is a window [StartsAt, EndsAt) with a kill switch
// (StoppedAt). Its status — DRAFT, SCHEDULED, LIVE, ENDED, STOPPED — is
// derived from the window and one instant (Campaign.StatusAt); nothing
// flips it. The decision engine (package personalization) sees the same
// windows, so a read at instant t sees exactly the campaigns live at t, and
// a release's scheduled publications become visible at exactly StartsAt on
// every read path (package content). A scheduler only announces
// transitions (Service.Transitions); correctness never waits for it.
//
// # Releases
//
// A release is a list of entries (one locale each) to publish at the
// start. Scheduling validates every one of them in full and snapshots each
// draft into an immutable version that delivery shows from StartsAt on;
// saving a draft of a release entry before the start validates it again
// and refreshes its snapshot in the same transaction (storage/postgres).
// A release therefore cannot be discovered broken at launch. There is no
// small cap on its size: snapshots are written set-wise. Once visible, a
// release's publications stay, like any publish: stopping or ending the
// campaign removes its variants, not what it published. Stopping it before
// the start cancels the release.
//
// # Running a campaign again
//
// A STOPPED or ENDED campaign keeps its history and cannot be rescheduled.
// Duplicate makes a new DRAFT with its scope and a copy of each of its
// variants, added beside the originals in the same drafts and put in the
// new campaign's release: the copies go live exactly at the new start.
//
// # Time zones
//
// Instants are stored in UTC with the campaign's IANA time zone, used to
// display them and to read local input ("ends at midnight in
// Europe/Bucharest"); ParseLocal refuses a local time that is ambiguous or
// missing around a DST change instead of guessing.
//
// The package knows no SQL, HTTP or GraphQL: persistence comes in through
// Store (implemented by storage/postgres), content through Drafts.
package campaign
