package campaign

import (
	"slices"
	"time"

	"github.com/mosaichq/mosaic/personalization"
)

// Status is where a campaign stands at an instant, derived from its window.
type Status string

const (
	Draft     Status = "DRAFT"     // no window yet
	Scheduled Status = "SCHEDULED" // starts later
	Live      Status = "LIVE"      // inside its window
	Ended     Status = "ENDED"     // past its end
	Stopped   Status = "STOPPED"   // the kill switch was used
)

// Campaign is a stored campaign. Zero times mean "not set".
type Campaign struct {
	ID          string
	Key         string
	Name        string
	Description string
	// TimeZone is an IANA zone name, for display and local-time input.
	TimeZone string
	// Priority orders overlapping live campaigns: higher wins a block.
	Priority int
	// Channels limits the campaign to these channels; empty means all.
	Channels []string
	// Cap limits how often one person is shown the campaign's variants
	// (personalization.Cap); nil: no cap.
	Cap *personalization.Cap
	// Cost is what the campaign cost (media, production), for the cost
	// per acquisition of its report; nil: not given.
	Cost *Money
	// Holdout is the share (0 to 0.5) of the people a variant of the
	// campaign would win for who keep seeing the defaults while it is
	// live: the control group of its lift (personalization.Campaign).
	Holdout float64
	// StartsAt and EndsAt bound the half-open window [StartsAt, EndsAt);
	// both zero for a DRAFT.
	StartsAt time.Time
	EndsAt   time.Time
	// StoppedAt is when the kill switch was used; zero if never.
	StoppedAt  time.Time
	StoppedBy  string
	ArchivedAt time.Time
	// ReleaseSize counts the entries (locales) of its release.
	ReleaseSize int
	Version     int
	CreatedAt   time.Time
	CreatedBy   string
	UpdatedAt   time.Time
	UpdatedBy   string
}

// StatusAt derives the status at instant t: the kill switch once used,
// else the window. A campaign stopped later is shown by its window before
// the stop (what a time-travel preview would have seen).
func (c Campaign) StatusAt(t time.Time) Status {
	switch {
	case !c.StoppedAt.IsZero() && !t.Before(c.StoppedAt):
		return Stopped
	case c.StartsAt.IsZero():
		return Draft
	case t.Before(c.StartsAt):
		return Scheduled
	case t.Before(c.EndsAt):
		return Live
	}
	return Ended
}

// Archived reports whether the campaign was archived.
func (c Campaign) Archived() bool { return !c.ArchivedAt.IsZero() }

// Engine is what the decision engine needs to know of c.
func (c Campaign) Engine() personalization.Campaign {
	e := personalization.Campaign{Key: c.Key, Priority: c.Priority, StartsAt: c.StartsAt, EndsAt: c.EndsAt,
		Channels: slices.Clone(c.Channels), Cap: c.Cap, Holdout: c.Holdout}
	if !c.StoppedAt.IsZero() {
		stopped := c.StoppedAt
		e.StoppedAt = &stopped
	}
	return e
}

// NextTransition is the first instant after t at which c's liveness
// changes, and false if there is none.
func (c Campaign) NextTransition(t time.Time) (time.Time, bool) {
	return personalization.NextTransition([]personalization.Campaign{c.Engine()}, t)
}

// TransitionKind names what happened to a campaign at an instant.
type TransitionKind string

const (
	// KindStarted: the campaign went live.
	KindStarted TransitionKind = "started"
	// KindEnded: its window closed.
	KindEnded TransitionKind = "ended"
	// KindStopped: the kill switch was used (while live, or before the
	// start: then the campaign never went live and its release was
	// cancelled).
	KindStopped TransitionKind = "stopped"
)

// Transition is one instant at which a campaign started, ended or was
// stopped: what a scheduler announces and a calendar shows.
type Transition struct {
	CampaignID string
	Key        string
	Kind       TransitionKind
	At         time.Time
	// Channels is the campaign's channel scope (empty: every channel).
	Channels []string
	Priority int
}

// Transitions lists c's transitions in time order: a start and an end or
// stop for a campaign that went live, a lone stop for one stopped before
// its start, none for a draft.
func (c Campaign) Transitions() []Transition {
	if c.StartsAt.IsZero() {
		return nil
	}
	mk := func(kind TransitionKind, at time.Time) Transition {
		return Transition{CampaignID: c.ID, Key: c.Key, Kind: kind, At: at, Channels: slices.Clone(c.Channels), Priority: c.Priority}
	}
	start, end, live := c.Engine().Window()
	switch {
	case !live && !c.StoppedAt.IsZero():
		return []Transition{mk(KindStopped, c.StoppedAt)}
	case !live:
		return nil
	case !c.StoppedAt.IsZero() && c.StoppedAt.Before(c.EndsAt):
		return []Transition{mk(KindStarted, start), mk(KindStopped, end)}
	}
	return []Transition{mk(KindStarted, start), mk(KindEnded, end)}
}
