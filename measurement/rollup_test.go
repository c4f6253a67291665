package measurement_test

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/measurement"
)

var t0 = time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)

func rec(visitor string, at time.Duration, device string, blocks ...measurement.BlockDecision) measurement.Decision {
	return measurement.Decision{ID: visitor + at.String(), Time: t0.Add(at), VisitorID: visitor, Device: device, Channel: "web",
		Locale: "en", Blocks: blocks}
}

func arm(experiment, a string) measurement.BlockDecision {
	return measurement.BlockDecision{BlockID: "b", Variant: a, Experiment: experiment, Arm: a, Reason: measurement.ReasonExperiment}
}

// The earliest record of a batch gives the exposure; later ones only add
// arms; blocks without an experiment or campaign expose nothing; two
// visitor ids of one unit are one exposure; a campaign is exposed under
// its subject name with its variant as the arm.
func TestExposuresOf(t *testing.T) {
	t.Parallel()
	units := map[string]string{"phone": "ann", "laptop": "ann"}
	got := measurement.ExposuresOf([]measurement.Decision{
		rec("laptop", time.Minute, "desktop", arm("hero", "b")),
		rec("phone", 0, "mobile", arm("hero", "a"), measurement.BlockDecision{BlockID: "x", Variant: "vip", Reason: "segment"}),
		rec("bob", 0, "mobile", arm("hero", "a"), arm("cta", "red"),
			measurement.BlockDecision{BlockID: "promo", Variant: "xmas-promo", Campaign: "xmas", Reason: measurement.ReasonCampaign}),
	}, units)
	require.Equal(t, []measurement.Exposure{
		{Experiment: "hero", Unit: "ann", Arm: "a", Time: t0, Device: "mobile", Channel: "web", Locale: "en", Arms: []string{"a", "b"}},
		{Experiment: "hero", Unit: "bob", Arm: "a", Time: t0, Device: "mobile", Channel: "web", Locale: "en", Arms: []string{"a"}},
		{Experiment: "cta", Unit: "bob", Arm: "red", Time: t0, Device: "mobile", Channel: "web", Locale: "en", Arms: []string{"red"}},
		{Experiment: "campaign:xmas", Unit: "bob", Arm: "xmas-promo", Time: t0, Device: "mobile", Channel: "web", Locale: "en",
			Arms: []string{"xmas-promo"}},
	}, got)
}

// A new exposure counts a unit once; a stored one keeps its arm, time and
// cell whatever comes later, and counts as multi-arm once, on its first
// arm's cell, however many more arms follow.
func TestMergeExposures(t *testing.T) {
	t.Parallel()
	stored := map[measurement.ExposureKey]measurement.Exposure{
		{Experiment: "hero", Unit: "ann"}: {Experiment: "hero", Unit: "ann", Arm: "a", Time: t0, Device: "mobile", Arms: []string{"a"}},
		{Experiment: "hero", Unit: "cy"}:  {Experiment: "hero", Unit: "cy", Arm: "a", Time: t0, Arms: []string{"a", "b"}},
	}
	batch := []measurement.Exposure{
		{Experiment: "hero", Unit: "ann", Arm: "b", Time: t0.Add(-time.Hour), Device: "desktop", Arms: []string{"b", "a"}},
		{Experiment: "hero", Unit: "bob", Arm: "b", Time: t0, Device: "mobile", Arms: []string{"b"}},
		{Experiment: "hero", Unit: "cy", Arm: "c", Time: t0, Arms: []string{"c"}},
		{Experiment: "hero", Unit: "dee", Arm: "a", Time: t0, Arms: []string{"a", "b"}},
	}
	write, deltas, fresh := measurement.MergeExposures(stored, batch)
	day := t0.Truncate(24 * time.Hour)
	require.Equal(t, []measurement.Exposure{
		{Experiment: "hero", Unit: "ann", Arm: "a", Time: t0, Device: "mobile", Arms: []string{"a", "b"}},
		batch[1],
		{Experiment: "hero", Unit: "cy", Arm: "a", Time: t0, Arms: []string{"a", "b", "c"}},
		batch[3],
	}, write)
	require.Equal(t, map[measurement.ExposureCell]measurement.ExposureDelta{
		{Experiment: "hero", Arm: "a", Device: "mobile", Day: day}: {MultiArm: 1},
		{Experiment: "hero", Arm: "b", Device: "mobile", Day: day}: {Units: 1},
		{Experiment: "hero", Arm: "a", Day: day}:                   {Units: 1, MultiArm: 1},
	}, deltas, "cy was multi-arm already: a third arm adds nothing")
	require.Equal(t, []measurement.Exposure{batch[1], batch[3]}, fresh)
	require.Equal(t, []string{"a"}, stored[measurement.ExposureKey{Experiment: "hero", Unit: "ann"}].Arms, "stored is not modified")

	write, deltas, fresh = measurement.MergeExposures(stored, batch[:1:1])
	require.Len(t, write, 1)
	require.Empty(t, fresh)
	require.Len(t, deltas, 1)
	write, deltas, _ = measurement.MergeExposures(map[measurement.ExposureKey]measurement.Exposure{batch[1].Key(): batch[1]}, batch[1:2])
	require.Empty(t, write, "an exposure seen again changes nothing")
	require.Empty(t, deltas)
}

// An event counts for every experiment its unit is exposed to, in each
// window that holds it; never before the exposure, never after the
// longest window.
func TestContributions(t *testing.T) {
	t.Parallel()
	exposures := map[string][]measurement.Exposure{"ann": {
		{Experiment: "hero", Unit: "ann", Arm: "a", Time: t0},
		{Experiment: "cta", Unit: "ann", Arm: "red", Time: t0.Add(48 * time.Hour)},
	}}
	units := map[string]string{"phone": "ann"}
	got := measurement.Contributions([]measurement.MetricEvent{
		{VisitorID: "phone", Name: "buy", Time: t0.Add(-time.Second), Value: 100},
		{VisitorID: "phone", Name: "buy", Time: t0, Value: 10},
		{VisitorID: "phone", Name: "buy", Time: t0.Add(50 * time.Hour), Value: 5},
		{VisitorID: "phone", Name: "buy", Time: t0.Add(30 * 24 * time.Hour), Value: 1000},
		{VisitorID: "stranger", Name: "buy", Time: t0, Value: 7},
	}, units, exposures)
	k := func(e string, h int) measurement.UnitKey {
		return measurement.UnitKey{Experiment: e, Unit: "ann", Event: "buy", WindowHours: h}
	}
	require.Equal(t, map[measurement.UnitKey]measurement.UnitValue{
		k("hero", 24): {Count: 1, Sum: 10}, k("hero", 72): {Count: 2, Sum: 15},
		k("hero", 168): {Count: 2, Sum: 15}, k("hero", 720): {Count: 2, Sum: 15},
		k("cta", 24): {Count: 1, Sum: 5}, k("cta", 72): {Count: 1, Sum: 5},
		k("cta", 168): {Count: 1, Sum: 5}, k("cta", 720): {Count: 2, Sum: 1005},
	}, got)
}

// The deltas of totals growing in any number of batches add up to the
// statistics of the final totals computed directly.
func TestApplyContributionsAddsUp(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	x := map[measurement.ExposureKey]measurement.Exposure{}
	for _, u := range []string{"u1", "u2", "u3", "u4"} {
		a := "a"
		if u > "u2" {
			a = "b"
		}
		x[measurement.ExposureKey{Experiment: "e", Unit: u}] = measurement.Exposure{Experiment: "e", Unit: u, Arm: a, Time: t0}
	}
	current := map[measurement.UnitKey]measurement.UnitValue{}
	sum := map[measurement.MetricCell]measurement.MetricDelta{}
	for range 50 {
		contrib := map[measurement.UnitKey]measurement.UnitValue{}
		for range r.IntN(4) {
			k := measurement.UnitKey{Experiment: "e", Unit: []string{"u1", "u2", "u3", "u4", "nobody"}[r.IntN(5)], Event: "buy", WindowHours: 72}
			v := contrib[k]
			v.Count++
			v.Sum += float64(r.IntN(100))
			contrib[k] = v
		}
		values, deltas := measurement.ApplyContributions(current, contrib, x)
		for k, v := range values {
			current[k] = v
		}
		for c, d := range deltas {
			s := sum[c]
			s.Converters += d.Converters
			s.Count += d.Count
			s.CountSq += d.CountSq
			s.Sum += d.Sum
			s.SumSq += d.SumSq
			sum[c] = s
		}
	}
	want := map[measurement.MetricCell]measurement.MetricDelta{}
	for k, v := range current {
		require.NotEqual(t, "nobody", k.Unit, "a unit without exposure has no total")
		c := measurement.MetricCell{Experiment: "e", Arm: x[measurement.ExposureKey{Experiment: "e", Unit: k.Unit}].Arm, Event: "buy",
			WindowHours: 72, Day: t0.Truncate(24 * time.Hour)}
		w := want[c]
		w.Converters++
		w.Count += v.Count
		w.CountSq += v.Count * v.Count
		w.Sum += v.Sum
		w.SumSq += v.Sum * v.Sum
		want[c] = w
	}
	require.Len(t, sum, len(want))
	for c, w := range want {
		s := sum[c]
		require.Equal(t, w.Converters, s.Converters)
		require.Equal(t, w.Count, s.Count)
		require.Equal(t, w.CountSq, s.CountSq)
		require.InDelta(t, w.Sum, s.Sum, 1e-9)
		require.InDelta(t, w.SumSq, s.SumSq, 1e-6*math.Max(1, w.SumSq))
	}
}

// Reach counts a unit once per campaign, variant and day (two visitor ids
// of one person once); exposures count every block shown.
func TestCampaignExposuresOf(t *testing.T) {
	t.Parallel()
	camp := func(v string) measurement.BlockDecision {
		return measurement.BlockDecision{BlockID: "b", Variant: v, Campaign: "xmas", Reason: measurement.ReasonCampaign}
	}
	units, exposures := measurement.CampaignExposuresOf([]measurement.Decision{
		rec("phone", 0, "mobile", camp("xmas-hero")),
		rec("laptop", time.Hour, "desktop", camp("xmas-hero"), arm("hero", "a")),
		rec("phone", 25*time.Hour, "mobile", camp("xmas-hero")),
	}, map[string]string{"phone": "ann", "laptop": "ann"})
	day := t0.Truncate(24 * time.Hour)
	cell := func(device string, d time.Time) measurement.CampaignCell {
		return measurement.CampaignCell{Campaign: "xmas", Variant: "xmas-hero", Device: device, Channel: "web", Day: d}
	}
	require.Equal(t, []measurement.CampaignUnit{
		{CampaignCell: cell("mobile", day), Unit: "ann"},
		{CampaignCell: cell("mobile", day.AddDate(0, 0, 1)), Unit: "ann"},
	}, units)
	require.Equal(t, map[measurement.CampaignCell]int64{cell("mobile", day): 1, cell("desktop", day): 1,
		cell("mobile", day.AddDate(0, 0, 1)): 1}, exposures)
}

// Views are counted per entry and day when they name an entry; a view
// naming a decision, or another type, is not.
func TestEntryViews(t *testing.T) {
	t.Parallel()
	got := measurement.EntryViews([]measurement.Event{
		{Type: measurement.TypeView, Entry: "home", Time: t0},
		{Type: measurement.TypeView, Entry: "home", Time: t0.Add(time.Hour)},
		{Type: measurement.TypeView, Entry: "home", Time: t0.Add(24 * time.Hour)},
		{Type: measurement.TypeView, DecisionID: "d", BlockID: "b", Time: t0},
		{Type: measurement.TypeTrack, Name: "home", Time: t0},
	})
	day := t0.Truncate(24 * time.Hour)
	require.Equal(t, map[measurement.ViewCell]int64{{Entry: "home", Day: day}: 2, {Entry: "home", Day: day.AddDate(0, 0, 1)}: 1}, got)
}

// A record without a visitor id (no measurement consent) exposes no unit
// and reaches no one; its exposures count in aggregate, once per cell
// however many blocks name it.
func TestAnonymousExposures(t *testing.T) {
	t.Parallel()
	promo := measurement.BlockDecision{BlockID: "p", Variant: "xmas-promo", Campaign: "xmas", Reason: measurement.ReasonCampaign}
	ds := []measurement.Decision{
		rec("", 0, "mobile", arm("hero", "a"), arm("hero", "a"), promo),
		rec("", time.Minute, "mobile", arm("hero", "b")),
		rec("bob", 0, "mobile", arm("hero", "a")),
	}
	require.Len(t, measurement.ExposuresOf(ds, nil), 1, "bob only")
	day := t0.Truncate(24 * time.Hour)
	cell := func(subject, a string) measurement.ExposureCell {
		return measurement.ExposureCell{Experiment: subject, Arm: a, Device: "mobile", Channel: "web", Locale: "en", Day: day}
	}
	require.Equal(t, map[measurement.ExposureCell]measurement.ExposureDelta{
		cell("hero", "a"): {Anonymous: 1}, cell("hero", "b"): {Anonymous: 1}, cell("campaign:xmas", "xmas-promo"): {Anonymous: 1},
	}, measurement.AnonymousExposures(ds))
	units, shown := measurement.CampaignExposuresOf(ds, nil)
	require.Empty(t, units, "reach counts no one without an id")
	require.Equal(t, int64(1), shown[measurement.CampaignCell{Campaign: "xmas", Variant: "xmas-promo", Device: "mobile", Channel: "web", Day: day}])
}

// A held-out block exposes its person to the campaign under the arm
// "holdout" (the control of its lift) and reaches no one: the person was
// shown the default. A shown block of the same campaign counts as before.
func TestHoldoutExposures(t *testing.T) {
	t.Parallel()
	held := measurement.BlockDecision{BlockID: "b", Variant: "default", Campaign: "xmas", Arm: "holdout",
		Cohort: measurement.CohortHoldout, Reason: measurement.ReasonHoldout}
	shown := measurement.BlockDecision{BlockID: "b", Variant: "xmas-hero", Campaign: "xmas",
		Cohort: measurement.CohortExposed, Reason: measurement.ReasonCampaign}
	ds := []measurement.Decision{rec("phone", 0, "mobile", held), rec("laptop", time.Hour, "desktop", shown)}
	got := measurement.ExposuresOf(ds, nil)
	require.Len(t, got, 2)
	require.Equal(t, "campaign:xmas", got[0].Experiment)
	require.Equal(t, "holdout", got[0].Arm)
	require.Equal(t, "xmas-hero", got[1].Arm)
	require.True(t, held.HeldOut())
	require.False(t, shown.HeldOut())
	units, exposures := measurement.CampaignExposuresOf(ds, nil)
	require.Len(t, units, 1, "only the person shown the campaign is reached")
	require.Equal(t, "laptop", units[0].Unit)
	require.Len(t, exposures, 1)
}
