package personalization_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/measurement/consent"
	p "github.com/mosaichq/mosaic/personalization"
)

// testBundle is the engine and the fixtures it was built from.
type testBundle struct {
	engine *p.Engine
	cta    p.Experiment
	inA    string // a visitor ID bucketed into cta arm a
	inB    string // ... and into arm b
}

var (
	winter = p.Campaign{Key: "winter", Priority: 10, StartsAt: t0, EndsAt: t1}
	flash  = p.Campaign{Key: "flash", Priority: 20, StartsAt: t0, EndsAt: t0.Add(time.Hour)}
	spring = p.Campaign{Key: "spring", Priority: 50, StartsAt: t1, EndsAt: t1.Add(90 * 24 * time.Hour)}
	killed = p.Campaign{Key: "killed", Priority: 99, StartsAt: t0, EndsAt: t1, StoppedAt: ptr(t0)}
	kiosk  = p.Campaign{Key: "kiosk-only", Priority: 30, StartsAt: t0, EndsAt: t1, Channels: []string{"kiosk"}}
)

func setup(t *testing.T) *testBundle {
	t.Helper()
	segments, err := p.CompileSegments([]p.Segment{
		{Key: "vip", Rule: `has(traits.tier) && traits.tier == "vip"`},
		{Key: "loyal", Rule: `traits.visits > 3`},
	}, nil)
	require.NoError(t, err)
	cta := p.Experiment{Key: "cta", Arms: []p.Arm{{"a", 1}, {"b", 1}}}
	engine, err := p.NewEngine(p.Options{
		Segments:    segments,
		Campaigns:   []p.Campaign{winter, flash, spring, killed, kiosk},
		Experiments: []p.Experiment{cta},
		Now:         func() time.Time { return t0.Add(30 * time.Minute) },
	})
	require.NoError(t, err)
	return &testBundle{engine: engine, cta: cta, inA: visitorIn(t, cta, "a"), inB: visitorIn(t, cta, "b")}
}

// visitorIn finds a visitor ID that Bucket puts into arm.
func visitorIn(t *testing.T, exp p.Experiment, arm string) string {
	t.Helper()
	for i := range 1000 {
		id := fmt.Sprintf("visitor-%d", i)
		if got, ok := p.Bucket(exp, id); ok && got == arm {
			return id
		}
	}
	t.Fatalf("no visitor in arm %s", arm)
	return ""
}

// vipMobile is a consenting VIP on the mobile web, inside winter and flash.
func vipMobile() p.Context {
	return p.Context{
		VisitorID: "someone", Traits: map[string]any{"tier": "vip", "visits": 1.0},
		Device: "mobile", Channel: "web", Locale: "en-US", Purposes: consent.All,
		At: t0.Add(10 * time.Minute),
	}
}

func TestDecidePrecedence(t *testing.T) {
	t.Parallel()
	b := setup(t)
	seg := func(s ...string) p.Targeting { return p.Targeting{Segments: s} }
	dev := func(d ...string) p.Targeting { return p.Targeting{Devices: d} }
	tests := []struct {
		name     string
		ctx      func(c *p.Context)
		variants []p.Variant
		want     string
		reason   string
	}{
		{name: "no variants", want: "default", reason: "no variant matched: default"},
		{name: "nothing eligible", variants: []p.Variant{{Key: "x", Targeting: dev("desktop")}},
			want: "default", reason: "no variant matched: default"},
		{name: "rule segment", variants: []p.Variant{{Key: "v", Targeting: seg("gold", "vip")}},
			want: "v", reason: "segment vip matched"},
		{name: "explicit segment", ctx: func(c *p.Context) { c.Segments = []string{"gold"} },
			variants: []p.Variant{{Key: "v", Targeting: seg("gold", "vip")}}, want: "v", reason: "segment gold matched"},
		{name: "more specific wins over order",
			variants: []p.Variant{{Key: "vip", Targeting: seg("vip")},
				{Key: "vip-mobile", Targeting: p.Targeting{Segments: []string{"vip"}, Devices: []string{"mobile"}}}},
			want: "vip-mobile", reason: "segment vip matched, device mobile matched"},
		{name: "priority wins at equal specificity",
			variants: []p.Variant{{Key: "mobile", Targeting: dev("mobile")},
				{Key: "web", Targeting: p.Targeting{Channels: []string{"web"}}, Priority: 5}},
			want: "web", reason: "channel web matched"},
		{name: "specificity beats priority",
			variants: []p.Variant{{Key: "mobile", Targeting: dev("mobile"), Priority: 100},
				{Key: "mobile-en", Targeting: p.Targeting{Devices: []string{"mobile"}, Locales: []string{"en"}}}},
			want: "mobile-en", reason: "device mobile matched, locale en-US matched"},
		{name: "list order breaks full ties",
			variants: []p.Variant{{Key: "first", Targeting: dev("mobile")}, {Key: "second", Targeting: p.Targeting{Channels: []string{"web"}}}},
			want:     "first", reason: "device mobile matched"},
		{name: "no targeting matches everyone", variants: []p.Variant{{Key: "all"}},
			want: "all", reason: "no targeting: matches everyone"},
		{name: "live campaign beats specificity and priority",
			variants: []p.Variant{
				{Key: "precise", Targeting: p.Targeting{Segments: []string{"vip"}, Devices: []string{"mobile"}, Channels: []string{"web"}}, Priority: 100},
				{Key: "winter", Campaign: "winter"}},
			want: "winter", reason: "live campaign winter (priority 10)"},
		{name: "higher campaign priority beats specificity",
			variants: []p.Variant{{Key: "winter-vip", Campaign: "winter", Targeting: seg("vip")}, {Key: "flash", Campaign: "flash"}},
			want:     "flash", reason: "live campaign flash (priority 20)"},
		{name: "same campaign: specificity decides",
			variants: []p.Variant{{Key: "w", Campaign: "winter"}, {Key: "w-mobile", Campaign: "winter", Targeting: dev("mobile")}},
			want:     "w-mobile", reason: "live campaign winter (priority 10), device mobile matched"},
		{name: "campaign over: falls through", ctx: func(c *p.Context) { c.At = t0.Add(time.Hour) },
			variants: []p.Variant{{Key: "flash", Campaign: "flash"}, {Key: "m", Targeting: dev("mobile")}},
			want:     "m", reason: "device mobile matched"},
		{name: "future campaign not eligible", variants: []p.Variant{{Key: "spring", Campaign: "spring"}}, want: "default"},
		{name: "stopped campaign not eligible", variants: []p.Variant{{Key: "k", Campaign: "killed"}}, want: "default"},
		{name: "unknown campaign not eligible", variants: []p.Variant{{Key: "u", Campaign: "nope"}}, want: "default"},
		{name: "campaign out of channel scope", variants: []p.Variant{{Key: "k", Campaign: "kiosk-only"}}, want: "default"},
		{name: "campaign in channel scope", ctx: func(c *p.Context) { c.Channel = "kiosk" },
			variants: []p.Variant{{Key: "w", Campaign: "winter"}, {Key: "k", Campaign: "kiosk-only"}},
			want:     "k", reason: "live campaign kiosk-only (priority 30)"},
		{name: "campaign targeting must match too",
			variants: []p.Variant{{Key: "w", Campaign: "winter", Targeting: dev("desktop")}}, want: "default"},
		{name: "experiment arm counts toward specificity", ctx: func(c *p.Context) { c.VisitorID = b.inB },
			variants: []p.Variant{{Key: "m", Targeting: dev("mobile"), Priority: 9},
				{Key: "b", Experiment: "cta", Arm: "b", Targeting: dev("mobile")}},
			want: "b", reason: "experiment cta arm b, device mobile matched"},
		{name: "other arm not eligible", ctx: func(c *p.Context) { c.VisitorID = b.inA },
			variants: []p.Variant{{Key: "b", Experiment: "cta", Arm: "b"}, {Key: "m", Targeting: dev("mobile")}},
			want:     "m", reason: "device mobile matched"},
		{name: "unknown experiment not eligible",
			variants: []p.Variant{{Key: "x", Experiment: "nope", Arm: "a"}}, want: "default"},
		{name: "unknown device matches nothing but does not fail", ctx: func(c *p.Context) { c.Device = "fridge" },
			variants: []p.Variant{{Key: "m", Targeting: dev("mobile")}}, want: "default"},
		{name: "locale prefix", ctx: func(c *p.Context) { c.Locale = "ro_RO" },
			variants: []p.Variant{{Key: "en", Targeting: p.Targeting{Locales: []string{"en"}}}, {Key: "ro", Targeting: p.Targeting{Locales: []string{"RO"}}}},
			want:     "ro", reason: "locale ro_RO matched"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := vipMobile()
			if tt.ctx != nil {
				tt.ctx(&c)
			}
			d := b.engine.Decide(c, p.Block{ID: "hero", Variants: tt.variants})
			require.Equal(t, "hero", d.BlockID)
			require.Equal(t, tt.want, d.Variant, d.Reason)
			if tt.reason != "" {
				require.Equal(t, tt.reason, d.Reason)
			}
			// Explain must agree with Decide.
			var chosen []string
			for _, e := range b.engine.Explain(c, p.Block{ID: "hero", Variants: tt.variants}) {
				if e.Chosen {
					chosen = append(chosen, e.Variant)
				}
			}
			require.Equal(t, []string{tt.want}, chosen)
		})
	}
}

func TestDecideConsent(t *testing.T) {
	t.Parallel()
	b := setup(t)
	block := p.Block{ID: "hero", Variants: []p.Variant{
		{Key: "vip", Targeting: p.Targeting{Segments: []string{"vip"}}, Priority: 10},
		{Key: "explicit", Targeting: p.Targeting{Segments: []string{"cdp"}}, Priority: 10},
		{Key: "arm-a", Experiment: "cta", Arm: "a", Priority: 10},
		{Key: "arm-b", Experiment: "cta", Arm: "b", Priority: 10},
		{Key: "mobile", Targeting: p.Targeting{Devices: []string{"mobile"}}},
	}}
	c := vipMobile()
	c.VisitorID, c.Segments = b.inA, []string{"cdp"}

	v := b.engine.Visitor(t.Context(), c)
	require.Equal(t, []string{"cdp", "vip"}, v.Segments())
	require.Equal(t, "vip", v.Decide(block).Variant)

	// Measurement without personalization: no segments, but experiments
	// bucket on the visitor id as before.
	c.Purposes = consent.Of(consent.Measurement)
	v = b.engine.Visitor(t.Context(), c)
	require.Empty(t, v.Segments(), "no explicit or rule segments without personalization")
	require.Nil(t, v.Context().Traits)
	require.True(t, v.Measured())
	d := v.Decide(block)
	require.Equal(t, "arm-a", d.Variant, "the visitor's own arm")
	require.Equal(t, "experiment cta arm a", d.Reason)

	c.Purposes = consent.None
	v = b.engine.Visitor(t.Context(), c)
	require.Empty(t, v.Segments())
	require.False(t, v.Measured())
	reasons := map[string][]string{}
	for _, e := range v.Explain(block) {
		reasons[e.Variant] = e.Reasons
	}
	require.Equal(t, []string{"needs segment vip; segments are off: no personalization consent"}, reasons["vip"])
	// Without measurement experiments still bucket, on a key that lasts
	// the day: the same arm on every request of the day, and the reason
	// names the purpose.
	d = v.Decide(block)
	require.Contains(t, []string{"arm-a", "arm-b"}, d.Variant)
	require.Equal(t, "cta", d.Experiment)
	require.Contains(t, d.Reason, "(bucketed for the day: no measurement consent)")
	for range 5 {
		require.Equal(t, d, b.engine.Visitor(t.Context(), c).Decide(block), "a refresh does not reshuffle")
	}
	mobile := p.Block{ID: "m", Variants: []p.Variant{{Key: "vip", Targeting: p.Targeting{Segments: []string{"vip"}}},
		{Key: "mobile", Targeting: p.Targeting{Devices: []string{"mobile"}}}}}
	require.Equal(t, "mobile", v.Decide(mobile).Variant, "context targeting applies")
	vipOnly := p.Block{ID: "v", Variants: []p.Variant{{Key: "vip", Targeting: p.Targeting{Segments: []string{"vip"}}}}}
	require.Equal(t, "no variant matched: default (segments off: no personalization consent)", v.Decide(vipOnly).Reason,
		"the reason names the purpose that limited it")

	// Campaigns are context-level: still honoured without consent.
	camp := p.Block{ID: "promo", Variants: []p.Variant{{Key: "w", Campaign: "winter"}}}
	require.Equal(t, "w", v.Decide(camp).Variant)
	// Without a visitor id nothing buckets.
	c.VisitorID = ""
	ab := p.Block{ID: "cta", Variants: []p.Variant{{Key: "b", Experiment: "cta", Arm: "b"}}}
	require.Equal(t, p.Decision{BlockID: "cta", Variant: "default", Reason: "no variant matched: default"},
		b.engine.Visitor(t.Context(), c).Decide(ab))
}

func TestDecideControlArmExposure(t *testing.T) {
	t.Parallel()
	b := setup(t)
	block := p.Block{ID: "cta", Variants: []p.Variant{
		{Key: "green-button", Experiment: "cta", Arm: "b", Fields: map[string]any{"color": "green"}},
	}}
	c := vipMobile()

	c.VisitorID = b.inB
	d := b.engine.Decide(c, block)
	require.Equal(t, p.Decision{BlockID: "cta", Variant: "green-button", Reason: "experiment cta arm b",
		Experiment: "cta", Arm: "b", Overrides: map[string]any{"color": "green"}}, d)

	c.VisitorID = b.inA // control: served the default, exposure still recorded
	d = b.engine.Decide(c, block)
	require.Equal(t, p.Decision{BlockID: "cta", Variant: "default", Reason: "experiment cta arm a: default",
		Experiment: "cta", Arm: "a"}, d)

	c.VisitorID = "" // anonymous: not bucketed, no exposure
	d = b.engine.Decide(c, block)
	require.Equal(t, p.Decision{BlockID: "cta", Variant: "default", Reason: "no variant matched: default"}, d)
}

func TestDecidePage(t *testing.T) {
	t.Parallel()
	b := setup(t)
	blocks := []p.Block{
		{ID: "hero", Variants: []p.Variant{{Key: "vip", Targeting: p.Targeting{Segments: []string{"vip"}}}}},
		{ID: "promo", Variants: []p.Variant{{Key: "w", Campaign: "winter"}}},
		{ID: "footer"},
	}
	got := b.engine.DecidePage(vipMobile(), blocks)
	require.Len(t, got, 3)
	require.Equal(t, []string{"vip", "w", "default"}, []string{got[0].Variant, got[1].Variant, got[2].Variant})
	require.Equal(t, []string{"hero", "promo", "footer"}, []string{got[0].BlockID, got[1].BlockID, got[2].BlockID})
	require.Equal(t, "winter", got[1].Campaign)
	require.Empty(t, b.engine.DecidePage(vipMobile(), nil))
}

func TestDecideZeroAtUsesNow(t *testing.T) {
	t.Parallel()
	b := setup(t) // Now = t0+30m: flash is live
	c := vipMobile()
	c.At = time.Time{}
	require.Equal(t, "f", b.engine.Decide(c, p.Block{ID: "x", Variants: []p.Variant{{Key: "f", Campaign: "flash"}}}).Variant)
	require.True(t, b.engine.Visitor(t.Context(), c).Context().At.Equal(t0.Add(30*time.Minute)))

	next, ok := b.engine.NextTransition(t0.Add(30 * time.Minute))
	require.True(t, ok)
	require.True(t, next.Equal(t0.Add(time.Hour)), "flash ends next: %v", next)
}

func TestExplain(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := vipMobile()
	c.VisitorID = b.inA
	got := b.engine.Explain(c, p.Block{ID: "hero", Variants: []p.Variant{
		{Key: "desktop", Targeting: p.Targeting{Devices: []string{"desktop", "tv"}}},
		{Key: "vip", Targeting: p.Targeting{Segments: []string{"vip"}}},
		{Key: "vip-mobile", Targeting: p.Targeting{Segments: []string{"vip"}, Devices: []string{"mobile"}}},
		{Key: "spring", Campaign: "spring", Experiment: "cta", Arm: "b", Targeting: p.Targeting{Segments: []string{"gold"}}},
	}})
	require.Equal(t, []p.Explanation{
		{Variant: "desktop", Reasons: []string{`device "mobile" is not desktop or tv`}},
		{Variant: "vip", Matched: true, Reasons: []string{"segment vip matched",
			"eligible, but variant vip-mobile wins: more specific targeting"}},
		{Variant: "vip-mobile", Matched: true, Chosen: true, Reasons: []string{"segment vip matched", "device mobile matched"}},
		{Variant: "spring", Reasons: []string{
			"campaign spring starts at 2025-12-24T00:00:00Z",
			"visitor is in experiment cta arm a, not b",
			"visitor is in none of segments gold"}},
		{Variant: "default", Matched: true, Reasons: []string{"used only when no variant is eligible"}},
	}, got)
}

func TestNewEngineRejectsAmbiguousKeys(t *testing.T) {
	t.Parallel()
	_, err := p.NewEngine(p.Options{Campaigns: []p.Campaign{winter, winter}})
	require.Equal(t, errs.BadUserInput, errs.CodeOf(err))
	_, err = p.NewEngine(p.Options{Experiments: []p.Experiment{{Key: ""}}})
	require.Equal(t, errs.BadUserInput, errs.CodeOf(err))
	e, err := p.NewEngine(p.Options{})
	require.NoError(t, err)
	require.Equal(t, "default", e.Decide(p.Context{}, p.Block{ID: "x"}).Variant)
}

// A pinned arm (the person's first, from another device) wins over the
// visitor's own bucket while it is open and measurement is granted; the
// reason says where it came from, and the cache key follows it.
func TestDecidePinnedArm(t *testing.T) {
	t.Parallel()
	b := setup(t)
	block := p.Block{ID: "cta", Variants: []p.Variant{
		{Key: "arm-a", Experiment: "cta", Arm: "a"}, {Key: "arm-b", Experiment: "cta", Arm: "b"}}}
	own := p.Context{VisitorID: b.inA, Purposes: consent.All}
	pinned := own
	pinned.Arms = map[string]string{"cta": "b"}
	d := b.engine.Visitor(t.Context(), pinned).Decide(block)
	require.Equal(t, "arm-b", d.Variant)
	require.Equal(t, "experiment cta arm b (the person's first arm)", d.Reason)
	require.NotEqual(t, string(b.engine.Visitor(t.Context(), own).Key(nil)), string(b.engine.Visitor(t.Context(), pinned).Key(nil)))

	for _, c := range []struct {
		name string
		arms map[string]string
		set  consent.Set
	}{
		{"no measurement: no pin", map[string]string{"cta": "b"}, consent.Of(consent.Personalization)},
		{"an arm the experiment no longer has", map[string]string{"cta": "gone"}, consent.All},
		{"another experiment's pin", map[string]string{"other": "b"}, consent.All},
	} {
		ctx := p.Context{VisitorID: b.inA, Purposes: c.set, Arms: c.arms}
		d := b.engine.Visitor(t.Context(), ctx).Decide(block)
		require.NotContains(t, d.Reason, "first arm", c.name)
		if c.set.Has(consent.Measurement) {
			require.Equal(t, "arm-a", d.Variant, c.name)
		}
	}
}

// A stopped (or draft) experiment buckets nobody — pinned arms included —
// and records no exposure: every visitor sees the default, and the
// decision says why.
func TestDecideStoppedExperiment(t *testing.T) {
	t.Parallel()
	b := setup(t)
	stopped := b.cta
	stopped.Stopped = true
	engine, err := p.NewEngine(p.Options{Experiments: []p.Experiment{stopped}})
	require.NoError(t, err)
	block := p.Block{ID: "cta", Variants: []p.Variant{{Key: "arm-b", Experiment: "cta", Arm: "b"}}}
	for _, ctx := range []p.Context{
		{VisitorID: b.inA, Purposes: consent.All},
		{VisitorID: b.inB, Purposes: consent.All},
		{VisitorID: b.inA, Purposes: consent.All, Arms: map[string]string{"cta": "b"}},
	} {
		d := engine.Visitor(t.Context(), ctx).Decide(block)
		require.Equal(t, "default", d.Variant)
		require.Empty(t, d.Experiment, "no exposure is recorded")
		require.Empty(t, d.Arm)
		require.Equal(t, "experiment cta is not running: default", d.Reason)
	}
	_, ok := p.Bucket(stopped, b.inB)
	require.False(t, ok)
	// The running experiment still buckets the same visitor.
	arm, ok := p.Bucket(b.cta, b.inB)
	require.True(t, ok)
	require.Equal(t, "b", arm)
}
