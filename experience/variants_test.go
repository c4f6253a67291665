package experience_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/experience"
	"github.com/mosaichq/mosaic/personalization"
)

func decodeList(t testing.TB, s string) []any {
	t.Helper()
	var list []any
	require.NoError(t, json.Unmarshal([]byte(s), &list))
	return list
}

func TestParseVariants(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		in       string
		want     []personalization.Variant
		problems []string // paths
	}{
		{name: "full", in: `[{"key": "vip", "targeting": {"segments": ["vip"], "devices": ["mobile"], "channels": ["web"], "locales": ["en"]},
			"campaign": "sale", "experiment": "x", "arm": "a", "priority": 3, "fields": {"title": "Hi"}}]`,
			want: []personalization.Variant{{Key: "vip", Targeting: personalization.Targeting{Segments: []string{"vip"},
				Devices: []string{"mobile"}, Channels: []string{"web"}, Locales: []string{"en"}},
				Campaign: "sale", Experiment: "x", Arm: "a", Priority: 3, Fields: map[string]any{"title": "Hi"}}}},
		{name: "nulls are absent", in: `[{"key": "a", "targeting": null, "fields": null, "priority": null, "arm": null}]`,
			want: []personalization.Variant{{Key: "a"}}},
		{name: "not an object", in: `[1]`, want: []personalization.Variant{{}}, problems: []string{"0"}},
		{name: "every problem at once", in: `[{"key": 1, "targeting": {"devices": "mobile", "planets": []}, "priority": 1.5, "fields": [], "colour": "red"}]`,
			want:     []personalization.Variant{{}},
			problems: []string{"0.colour", "0.fields", "0.key", "0.priority", "0.targeting.devices", "0.targeting.planets"}},
		{name: "non-string in a list", in: `[{"key": "a"}, {"key": "b", "targeting": {"segments": ["ok", 2]}}]`,
			want:     []personalization.Variant{{Key: "a"}, {Key: "b", Targeting: personalization.Targeting{Segments: []string{"ok"}}}},
			problems: []string{"1.targeting.segments.1"}},
		{name: "huge priority", in: `[{"key": "a", "priority": 1e300}]`, want: []personalization.Variant{{Key: "a"}}, problems: []string{"0.priority"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, problems := experience.ParseVariants(decodeList(t, tc.in))
			require.Equal(t, tc.want, got)
			var paths []string
			for _, p := range problems {
				paths = append(paths, p.Path)
			}
			require.Equal(t, tc.problems, paths)
		})
	}
}

func TestVariantJSONRoundTrip(t *testing.T) {
	t.Parallel()
	v := personalization.Variant{Key: "vip", Targeting: personalization.Targeting{Segments: []string{"vip"}, Locales: []string{"ro"}},
		Experiment: "x", Arm: "b", Priority: -2, Fields: map[string]any{"title": "Hi"}}
	b, err := json.Marshal([]any{experience.VariantJSON(v)})
	require.NoError(t, err)
	got, problems := experience.ParseVariants(decodeList(t, string(b)))
	require.Empty(t, problems)
	require.Equal(t, []personalization.Variant{v}, got)
}

func TestCheckVariants(t *testing.T) {
	t.Parallel()
	b := setup(t)
	_, err := b.svc.CreateExperiment(context.Background(), "ana", experience.Experiment{Key: "cta", Arms: []personalization.Arm{{Key: "a", Weight: 1}}})
	require.NoError(t, err)
	// vip is declared without a rule: a segment the CRM sends.
	_, err = b.svc.CreateSegment(context.Background(), "ana", experience.Segment{Key: "vip", Name: "VIP"})
	require.NoError(t, err)
	_, err = b.svc.CreateSegment(context.Background(), "ana", experience.Segment{Key: "returning", Name: "Returning", Rule: "traits.visits > 3"})
	require.NoError(t, err)
	problems := b.svc.CheckVariants(decodeList(t, `[
		{"key": "ok", "targeting": {"devices": ["mobile"], "channels": ["kiosk"]}, "experiment": "cta", "arm": "a"},
		{"key": "default", "targeting": {"devices": ["fridge"], "channels": ["radio"]}},
		{"key": "x", "experiment": "nope", "arm": "a"},
		{"key": "y", "experiment": "cta", "arm": "z"},
		{"key": "z", "arm": "a"},
		{"key": "w", "targeting": {"segments": [""]}},
		{"key": "v", "targeting": {"segments": ["vip", "returning"]}},
		{"key": "t", "targeting": {"segments": ["returning", "vipp"]}}
	]`))
	var paths []string
	for _, p := range problems {
		paths = append(paths, p.Path)
	}
	// Keys are content's to check ("default" is reported there).
	require.Equal(t, []string{"1.targeting.devices.0", "1.targeting.channels.0", "2.experiment", "3.arm", "4.experiment",
		"5.targeting.segments.0", "7.targeting.segments.1"}, paths)
	require.Contains(t, problems[0].Message, `unknown device "fridge"; allowed: mobile, tablet, desktop, tv, watch, kiosk`)
	require.Equal(t, `unknown segment "vipp": create it first (a segment without a rule declares one that clients or a CDP send); defined: returning, vip`,
		problems[6].Message)
	require.Empty(t, b.svc.CheckVariants(nil))
}
