package personalization_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/measurement/consent"
	p "github.com/mosaichq/mosaic/personalization"
)

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	l, err := time.LoadLocation(name)
	require.NoError(t, err)
	return l
}

// Calendar periods start at local midnight in the cap's zone: across a
// DST change, on the Monday of an ISO week, on the 1st after a month's
// last day.
func TestCalendarStart(t *testing.T) {
	t.Parallel()
	buc := mustZone(t, "Europe/Bucharest")
	ny := mustZone(t, "America/New_York")
	sp := mustZone(t, "America/Sao_Paulo")
	at := func(loc *time.Location, s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
		require.NoError(t, err)
		return v
	}
	for _, tc := range []struct {
		name, per string
		loc       *time.Location
		at, want  time.Time
	}{
		{"day in zone, not UTC", p.PerDay, buc, at(time.UTC, "2026-03-10 22:30"), at(buc, "2026-03-11 00:00")},
		{"day after spring forward is 23h long", p.PerDay, buc, at(buc, "2026-03-29 23:59"), at(buc, "2026-03-29 00:00")},
		{"day after fall back is 25h long", p.PerDay, ny, at(ny, "2026-11-01 23:30"), at(ny, "2026-11-01 00:00")},
		{"midnight skipped by DST moves to 01:00", p.PerDay, sp, at(sp, "2018-11-04 12:00"), time.Date(2018, 11, 4, 1, 0, 0, 0, sp)},
		{"week starts Monday", p.PerWeek, buc, at(buc, "2026-12-06 18:00"), at(buc, "2026-11-30 00:00")},
		{"Monday itself", p.PerWeek, buc, at(buc, "2026-11-30 00:00"), at(buc, "2026-11-30 00:00")},
		{"week across a year", p.PerWeek, time.UTC, at(time.UTC, "2027-01-01 10:00"), at(time.UTC, "2026-12-28 00:00")},
		{"week across DST change", p.PerWeek, ny, at(ny, "2026-03-12 09:00"), at(ny, "2026-03-09 00:00")},
		{"month end", p.PerMonth, buc, at(buc, "2026-01-31 23:59"), at(buc, "2026-01-01 00:00")},
		{"month start", p.PerMonth, buc, at(buc, "2026-02-01 00:00"), at(buc, "2026-02-01 00:00")},
		{"leap February", p.PerMonth, time.UTC, at(time.UTC, "2028-02-29 12:00"), at(time.UTC, "2028-02-01 00:00")},
		{"month in zone while UTC is still last month", p.PerMonth, buc, at(time.UTC, "2026-02-28 23:00"), at(buc, "2026-03-01 00:00")},
	} {
		got := p.CalendarStart(tc.per, tc.at, tc.loc)
		require.True(t, tc.want.Equal(got), "%s: got %s want %s", tc.name, got, tc.want)
	}
	// The DST days really are 23 and 25 hours long: periods are wall-clock.
	start := p.CalendarStart(p.PerDay, at(buc, "2026-03-29 12:00"), buc)
	next := p.CalendarStart(p.PerDay, at(buc, "2026-03-30 12:00"), buc)
	require.Equal(t, 23*time.Hour, next.Sub(start))
}

// Window: rolling windows are exact, CAMPAIGN counts from the campaign's
// start, LIFETIME from the beginning.
func TestCapWindow(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	camp := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		per  string
		want time.Time
	}{
		{"168h", at.Add(-168 * time.Hour)},
		{"90m", at.Add(-90 * time.Minute)},
		{"1s", at.Add(-time.Second)},
		{p.PerCampaign, camp},
		{p.PerLifetime, time.Time{}},
		{p.PerDay, time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)},
	} {
		got, ok := p.Cap{Max: 1, Per: tc.per}.Window(at, camp)
		require.True(t, ok, tc.per)
		require.True(t, tc.want.Equal(got), "%s: got %s", tc.per, got)
	}
	_, ok := p.Cap{Max: 1, Per: p.PerCampaign}.Window(at, time.Time{})
	require.False(t, ok, "CAMPAIGN without a campaign has no window")
	_, ok = p.Cap{Max: 1, Per: "soon"}.Window(at, camp)
	require.False(t, ok)
}

func TestCapValidate(t *testing.T) {
	t.Parallel()
	paths := func(c p.Cap, hasCampaign bool) []string {
		var out []string
		for _, f := range c.Validate("cap.", hasCampaign) {
			out = append(out, f.Path)
		}
		return out
	}
	require.Empty(t, paths(p.Cap{Max: 3, Per: p.PerWeek, TimeZone: "Europe/Bucharest"}, false))
	require.Empty(t, paths(p.Cap{Max: 1, Per: "72h"}, false))
	require.Empty(t, paths(p.Cap{Max: 1, Per: p.PerCampaign}, true))
	require.Equal(t, []string{"cap.max"}, paths(p.Cap{Max: 0, Per: p.PerDay}, false))
	require.Equal(t, []string{"cap.max"}, paths(p.Cap{Max: p.MaxCap + 1, Per: p.PerDay}, false))
	require.Equal(t, []string{"cap.timeZone"}, paths(p.Cap{Max: 1, Per: p.PerDay, TimeZone: "Mars/Olympus"}, false))
	require.Equal(t, []string{"cap.per"}, paths(p.Cap{Max: 1, Per: "a week"}, false))
	require.Equal(t, []string{"cap.per"}, paths(p.Cap{Max: 1, Per: "-3h"}, false))
	require.Equal(t, []string{"cap.per"}, paths(p.Cap{Max: 1, Per: p.PerCampaign}, false))

	// In variants, the path names the variant.
	reg := p.DefaultRegistry()
	err := p.ValidateVariants([]p.Variant{{Key: "a", Cap: &p.Cap{Max: 0, Per: "DAY", TimeZone: "Nowhere/Land"}}}, reg)
	require.Equal(t, errs.BadUserInput, errs.CodeOf(err))
	var fields []string
	e, _ := errs.As(err)
	for _, f := range e.Fields {
		fields = append(fields, f.Path)
	}
	require.ElementsMatch(t, []string{"variants.0.cap.max", "variants.0.cap.timeZone"}, fields)
	require.Error(t, p.Experiment{Key: "x", Arms: []p.Arm{{Key: "a", Weight: 1}}, Cap: &p.Cap{Max: 1, Per: "CAMPAIGN"}}.Validate())
}

// capCounts is a CapCounter over a fixed list of exposures.
type capCounts struct {
	seen    map[p.CapTarget][]time.Time
	pending map[p.CapTarget]bool
	asked   int
}

func (c *capCounts) CapCount(t p.CapTarget, since time.Time, _ string) p.CapCount {
	c.asked++
	n := 0
	for _, at := range c.seen[t] {
		if !at.Before(since) {
			n++
		}
	}
	return p.CapCount{Seen: n, Pending: c.pending[t]}
}

// A capped variant is skipped and the decision says so; the next variant
// (or the default) is shown, and the suppression is reported.
func TestDecideCaps(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC) // a Sunday
	sale := p.Campaign{Key: "sale", Priority: 5, StartsAt: at.Add(-48 * time.Hour), EndsAt: at.Add(48 * time.Hour),
		Cap: &p.Cap{Max: 5, Per: p.PerCampaign}}
	x := p.Experiment{Key: "x", Arms: []p.Arm{{Key: "a", Weight: 1}}, Cap: &p.Cap{Max: 2, Per: p.PerLifetime}}
	e, err := p.NewEngine(p.Options{Campaigns: []p.Campaign{sale}, Experiments: []p.Experiment{x}})
	require.NoError(t, err)
	block := p.Block{ID: "hero", Variants: []p.Variant{
		{Key: "banner", Priority: 9, Cap: &p.Cap{Max: 3, Per: p.PerWeek}},
		{Key: "fallback"},
	}}
	banner := p.CapTarget{Scope: p.ScopeVariant, Block: "hero", Key: "banner"}
	all := consent.All
	c := &capCounts{seen: map[p.CapTarget][]time.Time{}}
	decide := func(b p.Block) p.Decision {
		return e.Decide(p.Context{VisitorID: "v1", Purposes: all, At: at, Caps: c}, b)
	}

	// Seen twice this week, once last week: shown.
	c.seen[banner] = []time.Time{at.Add(-8 * 24 * time.Hour), at.Add(-time.Hour), at.Add(-2 * time.Hour)}
	d := decide(block)
	require.Equal(t, "banner", d.Variant)
	require.True(t, d.CapsRead)
	require.Empty(t, d.Suppressed)

	// The third view this week: the fallback, and why.
	c.seen[banner] = append(c.seen[banner], at.Add(-3*time.Hour))
	d = decide(block)
	require.Equal(t, "fallback", d.Variant)
	require.Contains(t, d.Reason, "skipped banner: capped: seen 3 of 3 times this week")
	require.Equal(t, []p.Suppression{{Variant: "banner", Scope: p.ScopeVariant,
		Note: "capped: seen 3 of 3 times this week"}}, d.Suppressed)

	// Monday: a new week, shown again.
	monday := at.Add(14 * time.Hour)
	d = e.Decide(p.Context{VisitorID: "v1", Purposes: all, At: monday, Caps: c}, block)
	require.Equal(t, "banner", d.Variant)

	// Pending: this replica's last view is not counted yet.
	c.seen[banner] = nil
	c.pending = map[p.CapTarget]bool{banner: true}
	d = decide(block)
	require.Equal(t, "fallback", d.Variant)
	require.True(t, d.Suppressed[0].Pending)
	require.Contains(t, d.Reason, "capped for now: seen 0 of 3 times this week, the last not yet counted across replicas")
	c.pending = nil

	// Without a counter nobody can be counted: never shown.
	d = e.Decide(p.Context{VisitorID: "v1", Purposes: all, At: at}, block)
	require.Equal(t, "fallback", d.Variant)
	require.Contains(t, d.Reason, "cannot be counted")

	// A campaign's cap counts all its variants from its start.
	camp := p.Block{ID: "promo", Variants: []p.Variant{{Key: "sale-promo", Campaign: "sale"}}}
	saleT := p.CapTarget{Scope: p.ScopeCampaign, Key: "sale"}
	c.seen[saleT] = []time.Time{at.Add(-72 * time.Hour), at.Add(-time.Hour), at.Add(-time.Hour), at.Add(-time.Hour), at.Add(-time.Hour)}
	require.Equal(t, "sale-promo", decide(camp).Variant, "a view before the campaign started does not count")
	c.seen[saleT] = append(c.seen[saleT], at.Add(-time.Minute))
	d = decide(camp)
	require.Equal(t, p.DefaultVariant, d.Variant)
	require.Contains(t, d.Reason, "capped by campaign sale: seen 5 of 5 times during campaign sale")
	require.Equal(t, p.ScopeCampaign, d.Suppressed[0].Scope)

	// An experiment's cap: a capped person is not exposed, not even to a
	// control arm served the default.
	xb := p.Block{ID: "cta", Variants: []p.Variant{{Key: "xa", Experiment: "x", Arm: "a"}}}
	xt := p.CapTarget{Scope: p.ScopeExperiment, Key: "x"}
	c.seen[xt] = []time.Time{at.Add(-1000 * time.Hour), at}
	d = decide(xb)
	require.Equal(t, p.DefaultVariant, d.Variant)
	require.Empty(t, d.Experiment, "no exposure recorded for a capped person")
	require.Contains(t, d.Reason, "capped by experiment x: seen 2 of 2 times in all")

	// A capped variant that would have lost anyway lost no reach.
	loser := p.Block{ID: "hero", Variants: []p.Variant{{Key: "winner", Priority: 10}, {Key: "banner", Cap: &p.Cap{Max: 1, Per: "DAY"}}}}
	d = decide(loser)
	require.Equal(t, "winner", d.Variant)
	require.Empty(t, d.Suppressed)
	require.NotContains(t, d.Reason, "capped")
}

// Explain names the cap for a capped variant and agrees with Decide; a
// block without caps never asks the counter.
func TestExplainCaps(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	e, err := p.NewEngine(p.Options{})
	require.NoError(t, err)
	block := p.Block{ID: "hero", Variants: []p.Variant{{Key: "banner", Cap: &p.Cap{Max: 1, Per: "24h", PerChannel: true}}}}
	c := &capCounts{seen: map[p.CapTarget][]time.Time{{Scope: p.ScopeVariant, Block: "hero", Key: "banner"}: {at.Add(-23 * time.Hour)}}}
	ex := e.Explain(p.Context{VisitorID: "v", Purposes: consent.All, At: at, Channel: "web", Caps: c}, block)
	require.False(t, ex[0].Matched)
	require.Contains(t, ex[0].Reasons, "capped: seen 1 of 1 times in the last 24h on this channel")
	require.True(t, ex[1].Chosen)

	c.asked = 0
	d := e.Decide(p.Context{VisitorID: "v", Purposes: consent.All, At: at, Caps: c}, p.Block{ID: "b", Variants: []p.Variant{{Key: "plain"}}})
	require.Equal(t, "plain", d.Variant)
	require.False(t, d.CapsRead)
	require.Zero(t, c.asked, "no cap, no count")
}
