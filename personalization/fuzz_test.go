package personalization_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/measurement/consent"
	"github.com/mosaichq/mosaic/measurement/profile"
	p "github.com/mosaichq/mosaic/personalization"
)

func FuzzCompileRule(f *testing.F) {
	for _, seed := range []string{
		`traits.visits > 3 && context.device == "mobile"`,
		`traits.cart_value >= 100.0`,
		`"vip" in context.segments`,
		`traits.tags.exists(t, t.matches("^a+$"))`,
		`context.devce == 1`,
		`traits.x >`,
		`[1,2,3].map(x, [x].map(y, y)) == []`,
		`traits.?a.orValue(1) / 0 == 1`,
		"\x00\xff",
		`"\u00e9" + 1`,
		`events.count("product_view", duration("168h")) >= 3`,
		`events.sum("purchase", "value", duration("720h")) > 200.0`,
		`events.last("cart_add").properties.category == "shoes"`,
		`profile.devices.size() > 1 && now - profile.firstSeen > duration("1h")`,
		`events.count("x", duration("9999999999h")) > 0`,
		`events.last(events.last("a").name).properties.exists(k, k == "b")`,
		`events.counts("x") > 1`,
		`profile.traits.?plan.orValue("free") == "pro"`,
	} {
		f.Add(seed)
	}
	sample := p.Context{
		VisitorID: "v", Segments: []string{"vip"}, Device: "mobile", Channel: "web", Locale: "en",
		Traits: map[string]any{"visits": 4.0, "cart_value": 12.5, "tags": []any{"a", 1.0}, "a": map[string]any{"b": nil}},
		At:     t0,
		Profile: profile.New(profile.Facts{Visitors: 2, Devices: []string{"tablet"}, Traits: map[string]any{"plan": "pro"}},
			[]profile.Event{{ID: "1", Name: "a", Time: t0.Add(-time.Hour), Properties: map[string]any{"b": 1.5, "c": []any{"d"}}},
				{ID: "2", Name: "cart_add", Time: t0.Add(-time.Minute), Value: 3}}),
	}
	f.Fuzz(func(t *testing.T, rule string) {
		r, err := p.CompileRule(rule)
		if err != nil {
			e, ok := errs.As(err)
			require.True(t, ok, "want *errs.Error, got %T %v", err, err)
			require.Equal(t, errs.BadUserInput, e.Code)
			require.NotEmpty(t, e.Fields)
			return
		}
		require.LessOrEqual(t, r.EstimatedCost(), uint64(p.MaxRuleCost))
		_, _ = r.Match(sample) // must not panic; errors are fine
	})
}

func FuzzDecide(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, "mobile", "web", "en-US", "visitor-1", true, int64(30))
	f.Add([]byte{}, "", "", "", "", false, int64(0))
	f.Add([]byte("campaign-heavy-\xff\xfe"), "tv", "kiosk", "ro", "x", true, int64(-1))

	segments, err := p.CompileSegments([]p.Segment{{Key: "loyal", Rule: `traits.visits > 3`}}, nil)
	require.NoError(f, err)
	engine, err := p.NewEngine(p.Options{
		Segments: segments,
		Campaigns: []p.Campaign{
			{Key: "c0", Priority: 1, StartsAt: t0, EndsAt: t1},
			{Key: "c1", Priority: 5, StartsAt: t0.Add(time.Hour), EndsAt: t1, Channels: []string{"kiosk"}},
			{Key: "c2", Priority: 5, StartsAt: t0, EndsAt: t1, StoppedAt: ptr(t0.Add(time.Minute))},
		},
		Experiments: []p.Experiment{
			{Key: "e0", Arms: []p.Arm{{"a", 1}, {"b", 1}}, Holdout: 0.2},
			{Key: "e1", Arms: []p.Arm{{"x", 0}}},
		},
	})
	require.NoError(f, err)
	pick := func(b byte, vals ...string) string { return vals[int(b)%len(vals)] }

	f.Fuzz(func(t *testing.T, shape []byte, device, channel, locale, visitor string, granted bool, minutes int64) {
		// Each 4 bytes of shape make one variant; every 3rd variant starts a new block.
		var blocks []p.Block
		for i := 0; i+4 <= len(shape) && i < 400; i += 4 {
			s := shape[i : i+4]
			if len(blocks) == 0 || (i/4)%3 == 0 {
				blocks = append(blocks, p.Block{ID: fmt.Sprintf("b%d", len(blocks))})
			}
			b := &blocks[len(blocks)-1]
			v := p.Variant{
				Key:      pick(s[0], "a", "b", "c", "d", "a"), // duplicates on purpose
				Priority: int(int8(s[1])),
				Campaign: pick(s[2], "", "", "c0", "c1", "c2", "nope"),
				Targeting: p.Targeting{
					Segments: []string{pick(s[3], "loyal", "vip", "")}[:int(s[3]>>7)],
					Devices:  []string{pick(s[1], "mobile", "tv", device)}[:int(s[1]>>7)],
					Channels: []string{pick(s[2], "web", "kiosk", channel)}[:int(s[2]>>7)],
					Locales:  []string{pick(s[0], "en", "ro", locale)}[:int(s[0]>>7)],
				},
			}
			if exp := pick(s[3]>>1, "", "", "e0", "e1", "zz"); exp != "" {
				v.Experiment, v.Arm = exp, pick(s[0]>>1, "a", "b", "x")
			}
			b.Variants = append(b.Variants, v)
		}
		c := p.Context{
			VisitorID: visitor, Segments: []string{locale}, Traits: map[string]any{"visits": float64(minutes)},
			Device: device, Channel: channel, Locale: locale, Purposes: map[bool]consent.Set{true: consent.All, false: consent.None}[granted],
			At: t0.Add(time.Duration(minutes) * time.Minute),
		}
		got := engine.DecidePage(c, blocks)
		require.Len(t, got, len(blocks))
		for i, d := range got {
			require.Equal(t, blocks[i].ID, d.BlockID)
			require.NotEmpty(t, d.Reason)
			if d.Variant != p.DefaultVariant {
				require.True(t, slices.ContainsFunc(blocks[i].Variants, func(v p.Variant) bool { return v.Key == d.Variant }),
					"variant %q is not in block %d", d.Variant, i)
			}
			chosen := 0
			for _, e := range engine.Explain(c, blocks[i]) {
				if e.Chosen {
					chosen++
					require.Equal(t, d.Variant, e.Variant)
				}
			}
			require.Equal(t, 1, chosen)
		}
	})
}
