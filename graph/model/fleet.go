package model

import (
	"time"

	"github.com/mosaichq/mosaic/fleet"
)

// FleetScreen is one unit of the fleet view as GraphQL shows it: absent
// values are null, not empty strings.
type FleetScreen struct {
	ScreenID       string
	Screen         string
	Channel        *string
	Device         *string
	Locale         *string
	Client         *string
	Address        *string
	BundleVersion  *string
	Frame          *string
	CurrentVersion *string
	ClockOffsetMs  *float64
	FirstSeenAt    time.Time
	LastSeenAt     time.Time
	State          ScreenState
}

// NewFleetScreen wraps a listed unit.
func NewFleetScreen(s fleet.Status) *FleetScreen {
	return &FleetScreen{ScreenID: s.ScreenID, Screen: s.Screen, Channel: orNull(s.Channel), Device: orNull(s.Device),
		Locale: orNull(s.Locale), Client: orNull(s.Client), Address: orNull(s.Address), BundleVersion: orNull(s.BundleVersion),
		Frame: orNull(s.Frame), CurrentVersion: orNull(s.CurrentVersion), ClockOffsetMs: s.ClockOffsetMs,
		FirstSeenAt: s.FirstSeenAt, LastSeenAt: s.LastSeenAt, State: ScreenState(s.State)}
}

func orNull(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
