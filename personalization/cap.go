package personalization

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mosaichq/mosaic/errs"
)

// Cap periods. Calendar periods start at midnight in the cap's time zone
// (weeks on Monday, ISO 8601); CampaignPeriod counts from the owning
// campaign's start; Lifetime never resets. Any other Per is a rolling
// window: a Go duration such as "72h" or "90m".
const (
	PerDay      = "DAY"
	PerWeek     = "WEEK"
	PerMonth    = "MONTH"
	PerCampaign = "CAMPAIGN"
	PerLifetime = "LIFETIME"
)

// MaxCap bounds Cap.Max: counters keep at most this many exposures of a
// target per person, so memory stays bounded whatever an editor types.
const MaxCap = 1000

// Cap is a frequency cap: at most Max exposures Per period, counted on
// the person (identity cluster) across every channel, or on each channel
// separately with PerChannel. A variant, a campaign or an experiment may
// carry one; a capped target is skipped and the decision says so.
type Cap struct {
	Max int `json:"max"`
	// Per is DAY, WEEK, MONTH, CAMPAIGN, LIFETIME or a rolling duration
	// ("168h").
	Per string `json:"per"`
	// TimeZone is the IANA zone calendar periods are counted in; "" is UTC.
	TimeZone   string `json:"timeZone,omitempty"`
	PerChannel bool   `json:"perChannel,omitempty"`
}

// CapScope says what a cap is on.
type CapScope uint8

// Cap scopes, in the order the engine checks them.
const (
	ScopeVariant CapScope = iota + 1
	ScopeCampaign
	ScopeExperiment
)

func (s CapScope) String() string {
	switch s {
	case ScopeVariant:
		return "variant"
	case ScopeCampaign:
		return "campaign"
	case ScopeExperiment:
		return "experiment"
	}
	return "unknown"
}

// CapTarget names what exposures are counted on: a variant (Block and
// Key), a campaign or an experiment (Key).
type CapTarget struct {
	Scope CapScope
	Block string
	Key   string
}

// CapCount is what a counter knows of one target for one person.
type CapCount struct {
	// Seen is the exposures in the window.
	Seen int
	// Pending says this replica showed the target to the person and the
	// shared store has not confirmed it yet: the target waits (see the
	// measurement/capcount package doc for the over-delivery bound).
	Pending bool
	// Unloaded says the person's counts are not in memory yet (they are
	// being loaded): the target waits rather than risk a person's other
	// devices going over the cap.
	Unloaded bool
	// Uncounted says the person cannot be counted (no visitor id, no
	// measurement consent): a capped target is not shown, since its cap
	// could not be kept.
	Uncounted bool
}

// CapCounter tells how often a person saw a target since an instant (on
// channel only, when channel is not ""). Implementations answer from
// memory (measurement/capcount); the engine calls it only for a variant
// that is otherwise eligible.
type CapCounter interface {
	CapCount(t CapTarget, since time.Time, channel string) CapCount
}

// Validate checks a cap when it is saved; paths are prefixed with path
// ("variants.0.cap."). hasCampaign says whether CAMPAIGN can apply.
func (c Cap) Validate(path string, hasCampaign bool) []errs.FieldError {
	var fields []errs.FieldError
	add := func(field, format string, args ...any) {
		fields = append(fields, errs.FieldError{Path: path + field, Message: fmt.Sprintf(format, args...)})
	}
	if c.Max < 1 || c.Max > MaxCap {
		add("max", "max must be between 1 and %d", MaxCap)
	}
	switch c.Per {
	case PerDay, PerWeek, PerMonth, PerLifetime:
	case PerCampaign:
		if !hasCampaign {
			add("per", "per CAMPAIGN needs a campaign: only a campaign's variants and campaigns count from a campaign's start")
		}
	default:
		if _, err := rollingWindow(c.Per); err != nil {
			add("per", "per must be DAY, WEEK, MONTH, CAMPAIGN, LIFETIME or a rolling duration such as \"168h\": %v", err)
		}
	}
	if c.TimeZone != "" {
		if _, err := location(c.TimeZone); err != nil {
			add("timeZone", "unknown time zone %q: use an IANA name such as Europe/Bucharest", c.TimeZone)
		}
	}
	return fields
}

// rollingWindow parses a rolling cap window: a positive Go duration.
func rollingWindow(per string) (time.Duration, error) {
	d, err := time.ParseDuration(per)
	switch {
	case err != nil:
		return 0, fmt.Errorf("%q does not parse", per)
	case d <= 0:
		return 0, fmt.Errorf("%q is not positive", per)
	}
	return d, nil
}

// locations caches loaded zones: variants are parsed per request and
// loading a zone reads the tz database.
var locations sync.Map // name → *time.Location

func location(name string) (*time.Location, error) {
	if name == "" || name == "UTC" {
		return time.UTC, nil
	}
	if l, ok := locations.Load(name); ok {
		return l.(*time.Location), nil
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	locations.Store(name, l)
	return l, nil
}

// Window returns the instant the period containing at started: midnight
// in the cap's zone for DAY, the Monday for WEEK, the 1st for MONTH,
// campaignStart for CAMPAIGN, at minus the duration for a rolling window
// and the zero instant for LIFETIME. Exposures at or after it count. ok
// is false for a cap that does not validate (it is then never kept, so
// the target is not shown).
func (c Cap) Window(at, campaignStart time.Time) (since time.Time, ok bool) {
	switch c.Per {
	case PerLifetime:
		return time.Time{}, true
	case PerCampaign:
		return campaignStart, !campaignStart.IsZero()
	case PerDay, PerWeek, PerMonth:
		loc, err := location(c.TimeZone)
		if err != nil {
			return time.Time{}, false
		}
		return CalendarStart(c.Per, at, loc), true
	}
	d, err := rollingWindow(c.Per)
	if err != nil {
		return time.Time{}, false
	}
	return at.Add(-d), true
}

// CalendarStart is the start of the DAY, WEEK (Monday) or MONTH holding
// at, in loc: local midnight, or — where a DST change skips midnight
// (America/Sao_Paulo until 2019) — the first instant of that day, so a
// period never reaches into the day before.
func CalendarStart(per string, at time.Time, loc *time.Location) time.Time {
	l := at.In(loc)
	y, m, d := l.Date()
	switch per {
	case PerWeek:
		d -= (int(l.Weekday()) + 6) % 7 // days since Monday
	case PerMonth:
		d = 1
	}
	// Normalise the date at noon, which every day has.
	y, m, d = time.Date(y, m, d, 12, 0, 0, 0, loc).Date()
	start := time.Date(y, m, d, 0, 0, 0, 0, loc)
	if sy, sm, sd := start.Date(); sy != y || sm != m || sd != d {
		// time.Date picked the offset before the gap: the day begins
		// when that offset ends.
		_, start = start.ZoneBounds()
	}
	return start
}

// periodWords names the period in a reason: "today", "this week", ...
func (c Cap) periodWords(campaign string) string {
	switch c.Per {
	case PerDay:
		return "today"
	case PerWeek:
		return "this week"
	case PerMonth:
		return "this month"
	case PerCampaign:
		return "during campaign " + campaign
	case PerLifetime:
		return "in all"
	}
	d, _ := rollingWindow(c.Per)
	return "in the last " + shortDuration(d)
}

// shortDuration is d without zero units: 168h, 1h30m, 90s.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

// capNote says why a capped target was skipped: "capped: seen 3 of 3
// times this week" (with the target when it is not the variant itself).
func capNote(t CapTarget, c Cap, n CapCount, campaign string) string {
	var b strings.Builder
	b.WriteString("capped")
	if t.Scope != ScopeVariant {
		b.WriteString(" by " + t.Scope.String() + " " + t.Key)
	}
	switch {
	case n.Uncounted:
		b.WriteString(": views of a visitor without an id or measurement consent cannot be counted")
		return b.String()
	case n.Unloaded:
		b.WriteString(" for now: the person's views are being loaded")
		return b.String()
	case n.Pending && n.Seen < c.Max:
		b.WriteString(" for now: seen " + strconv.Itoa(n.Seen) + " of " + strconv.Itoa(c.Max) + " times " +
			c.periodWords(campaign) + ", the last not yet counted across replicas")
		return b.String()
	}
	b.WriteString(": seen " + strconv.Itoa(n.Seen) + " of " + strconv.Itoa(c.Max) + " times " + c.periodWords(campaign))
	if c.PerChannel {
		b.WriteString(" on this channel")
	}
	return b.String()
}

// Exposed are the cap targets one block decision exposes a person to:
// the variant shown (not the default), its campaign, and the experiment
// the person was exposed to (an arm served the default included). It is
// the one rule for counting, applied to decisions as they are made and to
// stored decision records alike.
func Exposed(block, variant, campaign, experiment string) []CapTarget {
	var out []CapTarget
	shown := variant != "" && variant != DefaultVariant
	if shown {
		out = append(out, CapTarget{Scope: ScopeVariant, Block: block, Key: variant})
	}
	if campaign != "" && shown { // a record of a campaign's holdout names it, but showed the default
		out = append(out, CapTarget{Scope: ScopeCampaign, Key: campaign})
	}
	if experiment != "" {
		out = append(out, CapTarget{Scope: ScopeExperiment, Key: experiment})
	}
	return out
}
