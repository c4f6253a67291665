package fleet

import (
	"time"

	"github.com/mosaichq/mosaic/errs"
)

// State is what the fleet view says of one unit.
type State string

const (
	// Online: heard from recently, showing what the server would serve now.
	Online State = "ONLINE"
	// Stale: heard from recently, showing something else (an old bundle,
	// or a screen the server cannot build a bundle for).
	Stale State = "STALE"
	// Offline: not heard from for longer than the offline threshold.
	Offline State = "OFFLINE"
)

// ParseState returns the state named s ("" is no state).
func ParseState(s string) (State, error) {
	switch st := State(s); st {
	case "", Online, Stale, Offline:
		return st, nil
	}
	return "", errs.Invalid("unknown screen state "+s+": want ONLINE, STALE or OFFLINE",
		errs.FieldError{Path: "state", Message: "ONLINE, STALE or OFFLINE"})
}

// Classify is the state rule. A unit is OFFLINE once more than
// offlineAfter has passed since its last heartbeat (exactly offlineAfter
// is still on time: the threshold is a whole number of intervals, and a
// punctual unit lands on it). Otherwise it is ONLINE when the frame it
// reports is the first frame of the bundle the server would build now
// (currentFrame), else STALE; with no current frame ("": no bundle can be
// built) it is STALE.
func Classify(now, lastSeen time.Time, offlineAfter time.Duration, frame, currentFrame string) State {
	switch {
	case now.Sub(lastSeen) > offlineAfter:
		return Offline
	case currentFrame != "" && frame == currentFrame:
		return Online
	}
	return Stale
}
