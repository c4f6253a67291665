package report

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/errs"
)

// tev is a raw event as a test writes it.
type tev struct {
	unit, visitor, name, entry string
	time                       time.Time
}

// funnelEvents is a FunnelStore over a slice, doing what the SQL does:
// the events the scan names, sorted by person then time, with the steps
// each matches; ids are numbered instead of hashed. The walk is pure; the
// SQL side is tested end to end in server.
type funnelEvents []tev

func (f funnelEvents) FunnelEvents(_ context.Context, q FunnelScan, visit func(FunnelEvent) error) (int64, error) {
	sorted := slices.Clone(f)
	slices.SortStableFunc(sorted, func(a, b tev) int {
		if a.unit != b.unit {
			return strings.Compare(a.unit, b.unit)
		}
		return a.time.Compare(b.time)
	})
	ids := map[string]uint64{}
	id := func(s string) uint64 {
		if _, ok := ids[s]; !ok {
			ids[s] = uint64(len(ids) + 1)
		}
		return ids[s]
	}
	var n int64
	for _, e := range sorted {
		var match uint32
		if i := slices.Index(q.Names, e.name); i >= 0 {
			match |= q.NameMatch[i]
		}
		if i := slices.Index(q.Entries, e.entry); i >= 0 && e.name == "view" {
			match |= q.EntryMatch[i]
		}
		if match == 0 || e.time.Before(q.From) || !e.time.Before(q.To) {
			continue
		}
		n++
		if err := visit(FunnelEvent{Unit: id(e.unit), Visitor: id("v/" + e.visitor), Time: e.time, Match: match,
			Context: Context{Device: e.visitor}}); err != nil {
			return n, err
		}
	}
	return n, nil
}

// funnelOnly makes a Service whose Store is only a FunnelStore.
type funnelOnly struct {
	Store
	funnelEvents
}

var t0 = time.Date(2026, 11, 10, 12, 0, 0, 0, time.UTC)

func ev(unit, visitor, name string, after time.Duration) tev {
	return tev{unit: unit, visitor: visitor, name: name, time: t0.Add(after)}
}

func runFunnel(t *testing.T, events []tev, q FunnelQuery) FunnelReport {
	t.Helper()
	s := &Service{Store: funnelOnly{funnelEvents: events}, Now: func() time.Time { return t0.Add(48 * time.Hour) }}
	if q.From.IsZero() {
		q.From, q.To = t0.Add(-time.Hour), t0.Add(24*time.Hour)
	}
	r, err := s.Funnel(t.Context(), q)
	require.NoError(t, err)
	return r
}

func reached(g FunnelGroup) []int64 {
	out := make([]int64, len(g.Steps))
	for i, s := range g.Steps {
		out[i] = s.People
	}
	return out
}

// The table reads as the rules: what counts, and what must not.
func TestFunnelWalk(t *testing.T) {
	t.Parallel()
	steps := []string{"a", "b", "c"}
	for name, tc := range map[string]struct {
		events []tev
		want   []int64
		cross  int64
	}{
		"in order":                     {[]tev{ev("p", "p", "a", 0), ev("p", "p", "b", time.Minute), ev("p", "p", "c", 2*time.Minute)}, []int64{1, 1, 1}, 0},
		"step 2 before step 1":         {[]tev{ev("p", "p", "b", 0), ev("p", "p", "a", time.Minute)}, []int64{1, 0, 0}, 0},
		"skipping a step":              {[]tev{ev("p", "p", "a", 0), ev("p", "p", "c", time.Minute)}, []int64{1, 0, 0}, 0},
		"outside the window":           {[]tev{ev("p", "p", "a", 0), ev("p", "p", "b", 25*time.Hour)}, []int64{1, 0, 0}, 0},
		"at the window's end":          {[]tev{ev("p", "p", "a", 0), ev("p", "p", "b", 24*time.Hour)}, []int64{1, 1, 0}, 0},
		"no first step":                {[]tev{ev("p", "p", "b", 0), ev("p", "p", "c", time.Minute)}, []int64{0, 0, 0}, 0},
		"first step before range":      {[]tev{ev("p", "p", "a", -2*time.Hour), ev("p", "p", "b", 0)}, []int64{0, 0, 0}, 0},
		"a later attempt goes on":      {[]tev{ev("p", "p", "a", 0), ev("p", "p", "a", 30*time.Hour), ev("p", "p", "b", 31*time.Hour)}, []int64{1, 0, 0}, 0},
		"the furthest attempt":         {[]tev{ev("p", "p", "a", 0), ev("p", "p", "a", 20*time.Hour), ev("p", "p", "b", 26*time.Hour)}, []int64{1, 1, 0}, 0},
		"equal times, step order":      {[]tev{ev("p", "p", "b", 0), ev("p", "p", "a", 0)}, []int64{1, 1, 0}, 0},
		"a tie is not a device change": {[]tev{ev("p", "phone", "a", 0), ev("p", "laptop", "b", time.Minute), ev("p", "phone", "b", time.Minute)}, []int64{1, 1, 0}, 0},
		"phone then laptop":            {[]tev{ev("p", "phone", "a", 0), ev("p", "laptop", "b", time.Minute), ev("p", "laptop", "c", 2*time.Minute)}, []int64{1, 1, 1}, 1},
		"two people, not one":          {[]tev{ev("x1", "x1", "a", 0), ev("x2", "x2", "b", time.Minute)}, []int64{1, 0, 0}, 0},
		"repeats count once":           {[]tev{ev("p", "p", "a", 0), ev("p", "p", "a", time.Minute), ev("p", "p", "b", 2*time.Minute), ev("p", "p", "b", 3*time.Minute)}, []int64{1, 1, 0}, 0},
		"one event, one step only":     {[]tev{ev("p", "p", "a", 0)}, []int64{1, 0, 0}, 0},
	} {
		t.Run(name, func(t *testing.T) {
			// "a later attempt goes on": its first step (30 h) is after the range.
			r := runFunnel(t, tc.events, FunnelQuery{Steps: steps, Window: "24h"})
			require.Equal(t, tc.want, reached(r.Total))
			require.Equal(t, tc.cross, r.Total.CrossDevice)
		})
	}
}

func TestFunnelSameStepTwice(t *testing.T) {
	t.Parallel()
	// view, view: two views; one view reaches the first step only.
	one := runFunnel(t, []tev{ev("p", "p", "view", 0)}, FunnelQuery{Steps: []string{"view", "view"}})
	require.Equal(t, []int64{1, 0}, reached(one.Total))
	two := runFunnel(t, []tev{ev("p", "p", "view", 0), ev("p", "p", "view", time.Second)}, FunnelQuery{Steps: []string{"view", "view"}})
	require.Equal(t, []int64{1, 1}, reached(two.Total))
	// view:home matches a view of home, not of another entry.
	home := ev("p", "p", "view", 0)
	home.entry = "home"
	other := ev("p", "p", "view", time.Minute)
	other.entry = "about"
	r := runFunnel(t, []tev{home, other}, FunnelQuery{Steps: []string{"view:about", "view:home"}})
	require.Equal(t, []int64{1, 0}, reached(r.Total))
	require.Equal(t, "view:about", r.Total.Steps[0].Event)
}

func TestFunnelGroupsAndMedians(t *testing.T) {
	t.Parallel()
	events := []tev{
		ev("p1", "mobile", "a", 0), ev("p1", "desktop", "b", 10*time.Second),
		ev("p2", "mobile", "a", 0), ev("p2", "mobile", "b", 30*time.Second),
		ev("p3", "desktop", "a", 0), ev("p3", "desktop", "b", 60*time.Second),
		ev("p4", "mobile", "a", 0),
	}
	r := runFunnel(t, events, FunnelQuery{Steps: []string{"a", "b"}, Breakdown: Breakdown{Device: true}})
	require.Equal(t, int64(4), r.Total.People)
	require.Equal(t, []int64{4, 3}, reached(r.Total))
	require.Equal(t, 30.0, r.Total.Steps[1].MedianSecondsFromPrevious)
	require.Len(t, r.Groups, 2)
	require.Equal(t, "desktop", r.Groups[0].Context.Device)
	require.Equal(t, []int64{1, 1}, reached(r.Groups[0]))
	require.Equal(t, "mobile", r.Groups[1].Context.Device, "grouped by the first step's device")
	require.Equal(t, []int64{3, 2}, reached(r.Groups[1]))
	require.Equal(t, int64(1), r.Groups[1].CrossDevice)
	require.Equal(t, 20.0, r.Groups[1].Steps[1].MedianSecondsFromPrevious)
	require.Equal(t, "24h", r.Window)
}

func TestFunnelRefusals(t *testing.T) {
	t.Parallel()
	s := &Service{Store: funnelOnly{}, Now: func() time.Time { return t0 }}
	for name, q := range map[string]FunnelQuery{
		"no steps":     {},
		"one step":     {Steps: []string{"a"}},
		"11 steps":     {Steps: []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"}},
		"empty step":   {Steps: []string{"a", ""}},
		"view: alone":  {Steps: []string{"a", "view:"}},
		"window":       {Steps: []string{"a", "b"}, Window: "1 day"},
		"negative":     {Steps: []string{"a", "b"}, Window: "-1h"},
		"too long":     {Steps: []string{"a", "b"}, Window: "721h"},
		"from > to":    {Steps: []string{"a", "b"}, From: t0, To: t0.Add(-time.Hour)},
		"from = to":    {Steps: []string{"a", "b"}, From: t0, To: t0},
		"32 days":      {Steps: []string{"a", "b"}, From: t0.AddDate(0, 0, -32), To: t0},
		"default from": {Steps: []string{"a", "b"}, To: t0.AddDate(0, 0, -40)},
	} {
		_, err := s.Funnel(t.Context(), q)
		if name == "default from" {
			require.NoError(t, err, "from defaults to 7 days before to")
			continue
		}
		require.Error(t, err, name)
		require.Equal(t, errs.BadUserInput, errs.CodeOf(err), "%s: %v", name, err)
	}
	for in, want := range map[string]time.Duration{"": 24 * time.Hour, "30m": 30 * time.Minute, "7d": 7 * 24 * time.Hour,
		"1h30m": 90 * time.Minute, "30d": 30 * 24 * time.Hour} {
		got, err := ParseFunnelWindow(in)
		require.NoError(t, err, in)
		require.Equal(t, want, got, in)
	}
}

func TestParseBreakdown(t *testing.T) {
	t.Parallel()
	b, err := ParseBreakdown([]string{"LOCALE", "DEVICE", "DEVICE"})
	require.NoError(t, err)
	require.Equal(t, []Dimension{Device, Locale}, b.Dimensions())
	_, err = ParseBreakdown([]string{"SEGMENT"})
	require.Equal(t, errs.BadUserInput, errs.CodeOf(err))
	require.Contains(t, err.Error(), "SEGMENT")
}

// funnelParts is a FunnelPartsStore over a slice: each part walks the
// units whose number modulo parts is its own, in a goroutine of its own.
type funnelParts struct {
	Store
	funnelEvents
}

func (f funnelParts) FunnelEventParts(ctx context.Context, q FunnelScan, parts int, visit func(int, FunnelEvent) error) (int64, error) {
	var all []FunnelEvent
	n, err := f.FunnelEvents(ctx, q, func(e FunnelEvent) error { all = append(all, e); return nil })
	if err != nil {
		return n, err
	}
	var wg sync.WaitGroup
	failed := make([]error, parts)
	for p := range parts {
		wg.Go(func() {
			for _, e := range all {
				if int(e.Unit%uint64(parts)) == p {
					if err := visit(p, e); err != nil {
						failed[p] = err
						return
					}
				}
			}
		})
	}
	wg.Wait()
	return n, errors.Join(failed...)
}

// Walked in parts, a funnel counts what one walk does: the parts' people,
// groups and medians add up.
func TestFunnelWalkedInParts(t *testing.T) {
	defer func(n int) { funnelWalkers = n }(funnelWalkers)
	funnelWalkers = 3
	var events []tev
	devices := []string{"mobile", "desktop", "tablet"}
	for p := range 200 {
		unit := fmt.Sprintf("p%d", p)
		at := time.Duration(p%7) * time.Minute
		events = append(events, ev(unit, devices[p%3], "a", at))
		for k, step := range []string{"b", "c"}[:p%3] {
			events = append(events, ev(unit, devices[(p+k+p/3)%3], step, at+time.Duration((k+1)*(p%11+1))*time.Second))
		}
	}
	for _, by := range []Breakdown{{}, {Device: true}} {
		q := FunnelQuery{Steps: []string{"a", "b", "c"}, Breakdown: by, From: t0.Add(-time.Hour), To: t0.Add(24 * time.Hour)}
		now := func() time.Time { return t0.Add(48 * time.Hour) }
		one, err := (&Service{Store: funnelOnly{funnelEvents: events}, Now: now}).Funnel(t.Context(), q)
		require.NoError(t, err)
		parts, err := (&Service{Store: funnelParts{funnelEvents: events}, Now: now}).Funnel(t.Context(), q)
		require.NoError(t, err)
		require.Equal(t, one, parts)
		require.Equal(t, int64(200), parts.Total.People)
		require.NotZero(t, parts.Total.CrossDevice)
	}
}
