package experience

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/personalization"
)

// TestDeliverableMatchesStrictParse: delivery's lenient reading (no
// problem paths built) keeps exactly the variants the strict parser reads
// without a problem, and skips every one it reports — so it neither shows
// a variant the strict parser would refuse nor drops a good one.
func TestDeliverableMatchesStrictParse(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		`[{"key": "vip", "targeting": {"segments": ["vip"], "devices": ["mobile"], "channels": ["web"], "locales": ["en"]},
			"campaign": "sale", "experiment": "x", "arm": "a", "priority": 3, "fields": {"title": "Hi"}}]`,
		`[{"key": "a", "targeting": null, "fields": null}, 1, {"key": "default"}, {"key": ""}]`,
		`[{"key": 1, "targeting": {"devices": "mobile", "planets": []}, "priority": 1.5, "fields": [], "colour": "red"}]`,
		`[{"key": "a"}, {"key": "b", "targeting": {"segments": ["ok", 2]}}, {"key": "c", "priority": 1e300}]`,
		`[{"key": "a", "cap": {"max": 3, "per": "168h"}}, {"key": "b", "cap": {"max": -1}}]`,
	} {
		var raw []any
		require.NoError(t, json.Unmarshal([]byte(in), &raw))
		var want []personalization.Variant
		for _, it := range raw {
			var p parser
			v := p.variant("", it)
			if len(p.problems) == 0 && v.Key != "" && v.Key != personalization.DefaultVariant {
				want = append(want, v)
			}
		}
		got := deliverable(raw)
		if len(want) == 0 {
			require.Empty(t, got, in)
			continue
		}
		require.Equal(t, want, got, in)
	}
}
