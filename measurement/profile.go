package measurement

import (
	"context"
	"slices"
	"time"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/measurement/identity"
)

// Profile is what Mosaic holds about one person (an identity cluster),
// for editors: its visitor ids, the devices and channels they were seen
// on, recent events, consent per visitor id, experiment assignments and
// the link history.
type Profile struct {
	// ClusterID is the cluster's id; for a visitor id no identify named,
	// the visitor id itself.
	ClusterID   string
	UserID      string
	Members     []identity.Member
	Devices     []Device
	Events      []Event
	Consent     []ConsentState
	Assignments []identity.Assignment
	Links       []Link
}

// Device is a device and channel a visitor id was decided for.
type Device struct {
	VisitorID string
	Device    string
	Channel   string
	LastSeen  time.Time
}

// ConsentState is a visitor id's consent as its consent events left it.
type ConsentState struct {
	VisitorID string
	Granted   []Purpose
	Withdrawn []Purpose
	At        time.Time
}

// FoldConsent folds consent events (any order) into each visitor id's
// latest state: a purpose is granted or withdrawn as its latest event
// says.
func FoldConsent(events []Event) []ConsentState {
	events = slices.Clone(events)
	slices.SortStableFunc(events, func(a, b Event) int { return a.Time.Compare(b.Time) })
	var out []ConsentState
	for _, e := range events {
		if e.Type != TypeConsent {
			continue
		}
		i := slices.IndexFunc(out, func(c ConsentState) bool { return c.VisitorID == e.VisitorID })
		if i < 0 {
			out = append(out, ConsentState{VisitorID: e.VisitorID})
			i = len(out) - 1
		}
		c := &out[i]
		c.At = e.Time
		for _, p := range e.Granted {
			c.Withdrawn = slices.DeleteFunc(c.Withdrawn, func(x Purpose) bool { return x == p })
			if !slices.Contains(c.Granted, p) {
				c.Granted = append(c.Granted, p)
			}
		}
		for _, p := range e.Withdrawn {
			c.Granted = slices.DeleteFunc(c.Granted, func(x Purpose) bool { return x == p })
			if !slices.Contains(c.Withdrawn, p) {
				c.Withdrawn = append(c.Withdrawn, p)
			}
		}
	}
	return out
}

// Link is one row of the identity link history.
type Link struct {
	Seq       int64
	At        time.Time
	EventTime *time.Time
	// Action is create, link, unlink or refuse.
	Action    string
	VisitorID string
	UserID    string
	ClusterID string
	Code      string
	Reason    string
	EventID   string
	// Actor is the editor who unlinked.
	Actor string
}

// EventCount is how many events of a type happened on a day.
type EventCount struct {
	Day   time.Time
	Type  Type
	Count int
}

// Erasure says what deleteVisitorData removed.
type Erasure struct {
	ClusterID string
	Visitors  []string
	Events    int
	Decisions int
	Exposures int
	Links     int
}

// PeopleStore reads and erases what Mosaic holds about people
// (storage/postgres).
type PeopleStore interface {
	// ClusterOf is the identity cluster of visitorID: the person key
	// experiments count by. A visitor id no identify linked is its own.
	ClusterOf(ctx context.Context, visitorID string) (string, error)
	// Profile returns the person of visitorID or userID (one is set) with
	// at most recent events; nil when nothing is known.
	Profile(ctx context.Context, visitorID, userID string, recent int) (*Profile, error)
	// Decision returns a decision record by id; nil when there is none.
	Decision(ctx context.Context, id string) (*Decision, error)
	// EventCounts counts events per day and type in [from, to).
	EventCounts(ctx context.Context, from, to time.Time) ([]EventCount, error)
	// Erase deletes every record of the person of visitorID or userID.
	Erase(ctx context.Context, visitorID, userID string) (Erasure, error)
	// Unmerge detaches visitorID from its cluster, for actor.
	Unmerge(ctx context.Context, visitorID, actor string) (Link, error)
}

// Bounds of the editors' views.
const (
	// RecentEvents is how many events a profile lists.
	RecentEvents = 50
	// MaxCountDays bounds an event-count range.
	MaxCountDays = 93
)

// People is the editors' view of people: profiles, decision records,
// counts, erasure and unmerging. It checks what editors ask and leaves
// the rest to the store.
type People struct {
	Store PeopleStore
}

// who checks that exactly one of visitorID and userID is set.
func who(visitorID, userID string) error {
	if (visitorID == "") == (userID == "") {
		return errs.E(errs.BadUserInput, "give exactly one of visitorId and userId")
	}
	return nil
}

// Profile is the person of visitorID or userID; nil when unknown.
func (p *People) Profile(ctx context.Context, visitorID, userID string) (*Profile, error) {
	if err := who(visitorID, userID); err != nil {
		return nil, err
	}
	return p.Store.Profile(ctx, visitorID, userID, RecentEvents)
}

// Decision is the decision record id; nil when there is none.
func (p *People) Decision(ctx context.Context, id string) (*Decision, error) {
	if id == "" || len(id) > maxIDLen {
		return nil, errs.E(errs.BadUserInput, "a decision id is a UUID, like the one Entry.decisionId gave")
	}
	return p.Store.Decision(ctx, id)
}

// EventCounts counts events per UTC day and type from from's day to to's
// day, inclusive: at most MaxCountDays days.
func (p *People) EventCounts(ctx context.Context, from, to time.Time) ([]EventCount, error) {
	from, to = Event{Time: from.UTC()}.Day(), Event{Time: to.UTC()}.Day().AddDate(0, 0, 1)
	switch days := int(to.Sub(from).Hours() / 24); {
	case days <= 0:
		return nil, errs.E(errs.BadUserInput, "from must not be after to")
	case days > MaxCountDays:
		return nil, errs.E(errs.BadUserInput, "at most %d days per request, asked for %d", MaxCountDays, days)
	}
	return p.Store.EventCounts(ctx, from, to)
}

// Erase deletes every record of the person of visitorID or userID: their
// events, decision records, exposures, links and cluster. Erasing again
// deletes nothing more and is not an error.
func (p *People) Erase(ctx context.Context, visitorID, userID string) (Erasure, error) {
	if err := who(visitorID, userID); err != nil {
		return Erasure{}, err
	}
	return p.Store.Erase(ctx, visitorID, userID)
}

// Unmerge detaches visitorID from its cluster (NOT_FOUND when it is in
// none); the link history keeps the merge and its undoing.
func (p *People) Unmerge(ctx context.Context, visitorID, actor string) (Link, error) {
	if visitorID == "" {
		return Link{}, errs.E(errs.BadUserInput, "visitorId is required")
	}
	return p.Store.Unmerge(ctx, visitorID, actor)
}
