package identity

import (
	"slices"
	"strings"
	"time"
)

// Code says why a link is refused.
type Code string

// Why a link is refused.
const (
	// CodeBlockedValue: the visitor or user id is a placeholder value.
	CodeBlockedValue Code = "BLOCKED_VALUE"
	// CodeUserConflict: the visitor id belongs to another user id.
	CodeUserConflict Code = "USER_CONFLICT"
	// CodeTooManyVisitors: the cluster took its limit of visitor ids in
	// the window.
	CodeTooManyVisitors Code = "TOO_MANY_VISITORS"
	// CodeUnmerged: an editor unmerged this visitor id from this user id;
	// the client's next identify must not merge them again.
	CodeUnmerged Code = "UNMERGED"
)

// blocked are the placeholder ids broken clients send for everyone.
var blocked = []string{"", "0", "-1", "null", "anonymous", "undefined"}

// Blocked reports whether id is a placeholder that must never link
// anything: "", "0", "-1", "null", "anonymous", "undefined", in any case,
// surrounding spaces ignored.
func Blocked(id string) bool {
	return slices.Contains(blocked, strings.ToLower(strings.TrimSpace(id)))
}

// KioskPrefix marks a visitor id as a session on a shared screen.
const KioskPrefix = "kiosk:"

// Kiosk reports whether visitorID is a kiosk session.
func Kiosk(visitorID string) bool { return strings.HasPrefix(visitorID, KioskPrefix) }

// Limit defaults: how many new visitor ids a cluster takes per window.
const (
	DefaultMaxVisitors = 10
	DefaultWindow      = 24 * time.Hour
)

// Limits bound how fast a cluster grows; zero fields take the defaults.
type Limits struct {
	MaxVisitors int
	Window      time.Duration
}

// WithDefaults fills zero fields.
func (l Limits) WithDefaults() Limits {
	if l.MaxVisitors <= 0 {
		l.MaxVisitors = DefaultMaxVisitors
	}
	if l.Window <= 0 {
		l.Window = DefaultWindow
	}
	return l
}

// Cluster is what Resolve needs to know of a cluster.
type Cluster struct {
	ID     string
	UserID string
	// RecentLinks counts the visitor ids linked to it within the window
	// before the identify.
	RecentLinks int
}

// Identify is one sign-in: visitorID is userID.
type Identify struct {
	VisitorID string
	UserID    string
	// Unmerged: an editor unmerged this visitor id from this user id
	// before (the link history says so).
	Unmerged bool
}

// Action is what Resolve decided.
type Action string

// What an identify does.
const (
	// ActionNone: the visitor id is already in the user's cluster.
	ActionNone Action = "none"
	// ActionCreate: the user id has no cluster yet: create one holding the
	// visitor id (the visitor's own history comes with it).
	ActionCreate Action = "create"
	// ActionLink: link the visitor id to the user's cluster.
	ActionLink Action = "link"
	// ActionRefuse: refused for Outcome.Code.
	ActionRefuse Action = "refuse"
)

// Outcome is Resolve's answer.
type Outcome struct {
	Action Action
	Code   Code
	// Reason says why in words (also for ActionNone and links).
	Reason string
}

// Resolve decides what an identify does, given the cluster its visitor id
// is linked to (nil: none) and the cluster holding its user id (nil: none).
func Resolve(lim Limits, in Identify, visitor, user *Cluster) Outcome {
	lim = lim.WithDefaults()
	switch {
	case Blocked(in.VisitorID):
		return Outcome{Action: ActionRefuse, Code: CodeBlockedValue, Reason: "visitor id " + quote(in.VisitorID) + " is a placeholder value"}
	case Blocked(in.UserID):
		return Outcome{Action: ActionRefuse, Code: CodeBlockedValue, Reason: "user id " + quote(in.UserID) + " is a placeholder value"}
	case visitor != nil && user != nil && visitor.ID == user.ID:
		return Outcome{Action: ActionNone, Reason: "already linked"}
	case in.Unmerged:
		return Outcome{Action: ActionRefuse, Code: CodeUnmerged, Reason: "an editor unmerged this visitor id from this user id"}
	case visitor != nil && visitor.UserID != "" && visitor.UserID != in.UserID:
		return Outcome{Action: ActionRefuse, Code: CodeUserConflict,
			Reason: "visitor id is linked to another user id: one user id per cluster"}
	case user == nil:
		return Outcome{Action: ActionCreate, Reason: "first sign-in of the user id"}
	case user.RecentLinks >= lim.MaxVisitors:
		return Outcome{Action: ActionRefuse, Code: CodeTooManyVisitors,
			Reason: "the cluster took " + itoa(user.RecentLinks) + " visitor ids within " + lim.Window.String() + ": the limit"}
	}
	return Outcome{Action: ActionLink, Reason: "sign-in on another visitor id"}
}

func quote(s string) string { return `"` + s + `"` }

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
