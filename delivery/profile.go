package delivery

import (
	"github.com/mosaichq/mosaic/measurement/consent"
	"github.com/mosaichq/mosaic/measurement/profile"
)

// ProfileSource tells a visitor's behaviour profile without blocking
// (nil: not loaded yet, an empty history), and the version of it Get
// would answer without asking for a load (0: none).
type ProfileSource interface {
	Get(visitorID string) *profile.Profile
	Stamp(visitorID string) uint64
}

// Profile is visitorID's behaviour for segment rules: none without
// personalization consent (measurement/consent), without a profile
// source, or when no segment rule reads behaviour (nothing is loaded
// for nobody to read).
func (s *Service) Profile(visitorID string, purposes consent.Set) *profile.Profile {
	if s.Profiles == nil || visitorID == "" || !purposes.Has(consent.Personalization) ||
		s.Experience == nil || !s.Experience.ReadsBehaviour() {
		return nil
	}
	return s.Profiles.Get(visitorID)
}

// ProfileStamp names the version of visitorID's profile the engine would
// read now (0: none): a memo of its segments keys on it. It never makes
// a first load (the memo's miss does, through Profile), only the reload
// of an expired one (profile.Cache.Stamp).
func (s *Service) ProfileStamp(visitorID string) uint64 {
	if s.Profiles == nil || visitorID == "" || s.Experience == nil || !s.Experience.ReadsBehaviour() {
		return 0
	}
	return s.Profiles.Stamp(visitorID)
}

// Pins are the experiment arms visitorID's person was first shown, which
// it keeps on every device: none without measurement consent (nothing
// links the visitor to its person then) or an arm source.
func (s *Service) Pins(visitorID string, purposes consent.Set) map[string]string {
	if s.Arms == nil || visitorID == "" || !purposes.Has(consent.Measurement) {
		return nil
	}
	return s.Arms.Arms(visitorID)
}

// ArmSource tells a visitor's pinned arms without blocking.
type ArmSource interface {
	Arms(visitorID string) map[string]string
}

// profile is the answer's version of visitorID's profile (Service.Profile).
func (q *Request) profile(visitorID string, purposes consent.Set) *profile.Profile {
	if !purposes.Has(consent.Personalization) {
		return nil // consent first: never another context's pinned profile
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if p, ok := q.profiles[visitorID]; ok {
		return p
	}
	p := q.s.Profile(visitorID, purposes)
	if q.profiles == nil {
		q.profiles = map[string]*profile.Profile{}
	}
	q.profiles[visitorID] = p
	return p
}
