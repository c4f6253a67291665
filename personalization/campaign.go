package personalization

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/mosaichq/mosaic/errs"
)

// Campaign is what the engine needs to know about a campaign: its window,
// kill switch, priority and channel scope. Whether it is live is a pure
// function of these fields and one instant, never of a job having run.
type Campaign struct {
	Key string
	// Priority orders live campaigns: a variant of a higher-priority live
	// campaign wins over one of a lower-priority campaign.
	Priority int
	// StartsAt and EndsAt bound the half-open window [StartsAt, EndsAt).
	StartsAt time.Time
	EndsAt   time.Time
	// StoppedAt is set by the kill switch: from that instant on the
	// campaign is not live, whatever its window says.
	StoppedAt *time.Time
	// Channels limits the campaign to these channels; empty means all.
	Channels []string
	// Cap limits how often one person is shown the campaign's variants,
	// all blocks together (cap.go); nil: no cap.
	Cap *Cap
	// Holdout is the share (0..MaxHoldout) of the people a variant of
	// the campaign would win for who see the block's default instead
	// while it is live: the control group its lift is measured against
	// (holdout.go). 0: no holdout.
	Holdout float64
}

// LiveAt reports whether the campaign is live at t for channel:
// StartsAt <= t < EndsAt, not stopped at or before t, and channel in scope.
// A campaign scoped to channels is not live for a request without channel.
func (c Campaign) LiveAt(t time.Time, channel string) bool {
	if t.Before(c.StartsAt) || !t.Before(c.EndsAt) {
		return false
	}
	if c.StoppedAt != nil && !t.Before(*c.StoppedAt) {
		return false
	}
	return len(c.Channels) == 0 || slices.Contains(c.Channels, channel)
}

// Validate checks a campaign when it is saved: a key, a non-empty window
// and channels known to reg.
func (c Campaign) Validate(reg Registry) error {
	var fields []errs.FieldError
	if strings.TrimSpace(c.Key) == "" {
		fields = append(fields, errs.FieldError{Path: "key", Message: "campaign key is required"})
	}
	switch {
	case c.StartsAt.IsZero():
		fields = append(fields, errs.FieldError{Path: "startsAt", Message: "start instant is required"})
	case c.EndsAt.IsZero():
		fields = append(fields, errs.FieldError{Path: "endsAt", Message: "end instant is required"})
	case !c.EndsAt.After(c.StartsAt):
		fields = append(fields, errs.FieldError{Path: "endsAt", Message: "campaign must end after it starts"})
	}
	for i, ch := range c.Channels {
		if !slices.Contains(reg.Channels, ch) {
			fields = append(fields, unknownToken(fmt.Sprintf("channels.%d", i), "channel", ch, reg.Channels))
		}
	}
	if c.Cap != nil {
		fields = append(fields, c.Cap.Validate("cap.", true)...)
	}
	fields = append(fields, ValidateHoldout(c.Holdout)...)
	if len(fields) == 0 {
		return nil
	}
	return errs.Invalid("invalid campaign: "+fields[0].Path+": "+fields[0].Message, fields...)
}

// transitions returns the instants at which the campaign's liveness
// actually changes: the start (unless stopped before it) and the earlier
// of end and stop. A window that never opens has none.
func (c Campaign) transitions() (start, end time.Time, ok bool) {
	end = c.EndsAt
	if c.StoppedAt != nil && c.StoppedAt.Before(end) {
		end = *c.StoppedAt
	}
	if !end.After(c.StartsAt) {
		return time.Time{}, time.Time{}, false
	}
	return c.StartsAt, end, true
}

// NextTransition returns the earliest instant strictly after `after` at
// which any campaign starts, ends or is stopped, and false if there is
// none. Caches and Cache-Control max-age are capped at it, so no response
// outlives a campaign switch.
func NextTransition(campaigns []Campaign, after time.Time) (time.Time, bool) {
	var next time.Time
	found := false
	consider := func(t time.Time) {
		if t.After(after) && (!found || t.Before(next)) {
			next, found = t, true
		}
	}
	for _, c := range campaigns {
		start, end, ok := c.transitions()
		if !ok {
			continue
		}
		consider(start)
		consider(end)
	}
	return next, found
}

// Window returns the instants at which the campaign's liveness changes:
// it goes live at start and stops being live at end (the earlier of EndsAt
// and StoppedAt). ok is false for a campaign that never goes live: no
// window, or stopped at or before its start.
func (c Campaign) Window() (start, end time.Time, ok bool) { return c.transitions() }

// LastTransition returns the latest instant at or before `at` at which any
// campaign started, ended or was stopped, and false if there is none. With
// the content epoch it names the state a response was computed in: two
// reads that see the same epoch and last transition see the same thing.
func LastTransition(campaigns []Campaign, at time.Time) (time.Time, bool) {
	var last time.Time
	found := false
	consider := func(t time.Time) {
		if !t.After(at) && (!found || t.After(last)) {
			last, found = t, true
		}
	}
	for _, c := range campaigns {
		start, end, ok := c.transitions()
		if !ok {
			continue
		}
		consider(start)
		consider(end)
	}
	return last, found
}

// LastTransition is LastTransition over the engine's campaigns.
func (e *Engine) LastTransition(at time.Time) (time.Time, bool) {
	return LastTransition(e.campaignAll, at)
}

// NextTransitionOf is NextTransition over the campaigns named by keys
// only (unknown keys are skipped): a response whose variants name these
// campaigns stays true until then, whatever other campaigns do.
func (e *Engine) NextTransitionOf(keys []string, after time.Time) (time.Time, bool) {
	var next time.Time
	found := false
	for _, k := range keys {
		c, ok := e.campaigns[k]
		if !ok {
			continue
		}
		if t, ok := NextTransition([]Campaign{*c}, after); ok && (!found || t.Before(next)) {
			next, found = t, true
		}
	}
	return next, found
}

// HasCampaign reports whether the engine knows the campaign key.
func (e *Engine) HasCampaign(key string) bool {
	_, ok := e.campaigns[key]
	return ok
}
