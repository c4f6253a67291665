package campaign

import (
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // IANA zones even on hosts without a zoneinfo database

	"github.com/mosaichq/mosaic/errs"
)

// LoadZone resolves an IANA time zone name ("Europe/Bucharest", "UTC").
// "Local" and "" are refused: a campaign's zone must mean the same on every
// replica.
func LoadZone(name string) (*time.Location, error) {
	if name == "" || name == "Local" {
		return nil, fmt.Errorf("time zone must be an IANA name such as Europe/Bucharest or UTC")
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("unknown time zone %q: use an IANA name such as Europe/Bucharest or UTC", name)
	}
	return loc, nil
}

// localLayouts are the accepted forms of a local date-time: no offset, the
// zone is the campaign's.
var localLayouts = []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04"}

// ParseLocal reads a wall-clock date-time such as "2026-12-24T00:00" in zone
// and returns the one instant it names. A time that does not exist in the
// zone (skipped when clocks spring forward) or that happens twice (when
// they fall back) is refused with a clear error: guessing would move a
// campaign by an hour. path names the input field in the error.
func ParseLocal(value string, zone *time.Location, path string) (time.Time, error) {
	value = strings.TrimSpace(value)
	var wall time.Time
	var err error
	for _, layout := range localLayouts {
		if wall, err = time.Parse(layout, value); err == nil {
			break
		}
	}
	if err != nil {
		return time.Time{}, errs.Invalid(fmt.Sprintf("%s: %q is not a local date-time", path, value),
			errs.FieldError{Path: path, Message: "use YYYY-MM-DDTHH:MM[:SS] without an offset; the campaign's time zone applies"})
	}
	found := instantsOf(wall, zone)
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return time.Time{}, errs.Invalid(fmt.Sprintf("%s: %s does not exist in %s: the clocks skip it (daylight saving time starts)",
			path, wall.Format("2006-01-02T15:04:05"), zone),
			errs.FieldError{Path: path, Message: "this local time is skipped by a DST change; pick another or give a UTC instant"})
	}
	return time.Time{}, errs.Invalid(fmt.Sprintf("%s: %s happens twice in %s (daylight saving time ends): at %s and at %s",
		path, wall.Format("2006-01-02T15:04:05"), zone, found[0].UTC().Format(time.RFC3339), found[1].UTC().Format(time.RFC3339)),
		errs.FieldError{Path: path, Message: "this local time is ambiguous around a DST change; give the UTC instant you mean"})
}

// instantsOf returns every instant whose wall clock in zone is wall (read as
// if it were UTC), in order: none in a gap, two in an overlap. The offsets
// tried are those in force around the date; zones never change offset
// twice within two days.
func instantsOf(wall time.Time, zone *time.Location) []time.Time {
	var offsets []int
	for _, d := range []time.Duration{-48 * time.Hour, -24 * time.Hour, 0, 24 * time.Hour, 48 * time.Hour} {
		_, off := wall.Add(d).In(zone).Zone()
		if !containsInt(offsets, off) {
			offsets = append(offsets, off)
		}
	}
	var out []time.Time
	for _, off := range offsets {
		t := wall.Add(-time.Duration(off) * time.Second)
		local := t.In(zone)
		if _, o := local.Zone(); o != off {
			continue
		}
		y, mo, d := local.Date()
		h, mi, s := local.Clock()
		if time.Date(y, mo, d, h, mi, s, 0, time.UTC).Equal(wall) && !containsTime(out, t) {
			out = append(out, t)
		}
	}
	if len(out) == 2 && out[1].Before(out[0]) {
		out[0], out[1] = out[1], out[0]
	}
	return out
}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func containsTime(list []time.Time, v time.Time) bool {
	for _, x := range list {
		if x.Equal(v) {
			return true
		}
	}
	return false
}

// Local formats t as a wall-clock time in zone, the form ParseLocal reads.
func Local(t time.Time, zone *time.Location) string {
	return t.In(zone).Format("2006-01-02T15:04:05")
}
