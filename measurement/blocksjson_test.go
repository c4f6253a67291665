package measurement

import (
	"encoding/json"
	"testing"
)

// AppendBlocksJSON writes what json.Marshal writes, byte for byte: every
// optional field present and absent, suppressed variants, and strings
// that need escaping (quotes, control bytes, HTML, invalid UTF-8,
// U+2028).
func TestAppendBlocksJSONIsMarshal(t *testing.T) {
	odd := "a\"b\\c\n\t\x01<&>\xff\u2028é"
	for _, blocks := range [][]BlockDecision{
		{},
		{{BlockID: "entry", Variant: "default", Reason: ReasonDefault}},
		{
			{BlockID: "b1", GlobalID: "g1", Variant: "vip", Experiment: "hero", Arm: "b", Campaign: "sale", Cohort: CohortExposed, Reason: ReasonExperiment},
			{BlockID: "b2", Variant: "default", Campaign: "sale", Arm: "holdout", Cohort: CohortHoldout, Reason: ReasonHoldout,
				Suppressed: []Suppressed{{Variant: "x", Scope: "variant"}, {Variant: "y", Campaign: "c", Experiment: "e", Scope: "campaign", Pending: true}}},
			{BlockID: odd, GlobalID: odd, Variant: odd, Experiment: odd, Arm: odd, Campaign: odd, Cohort: odd, Reason: odd,
				Suppressed: []Suppressed{{Variant: odd, Campaign: odd, Experiment: odd, Scope: odd}}},
			{},
		},
	} {
		want, err := json.Marshal(blocks)
		if err != nil {
			t.Fatal(err)
		}
		if got := AppendBlocksJSON(nil, blocks); string(got) != string(want) {
			t.Errorf("AppendBlocksJSON:\n got %s\nwant %s", got, want)
		}
	}
	if got := AppendBlocksJSON(nil, nil); string(got) != "[]" {
		t.Errorf("nil blocks: %s, want []", got)
	}
}

func BenchmarkBlocksJSON(b *testing.B) {
	blocks := make([]BlockDecision, 10)
	for i := range blocks {
		blocks[i] = BlockDecision{BlockID: "0193a1b2-c3d4-7e5f-8a9b-00000000000" + string(rune('0'+i)), Variant: "default", Reason: ReasonDefault}
	}
	blocks[3] = BlockDecision{BlockID: "block-3", Variant: "b", Experiment: "hero-test", Arm: "b", Reason: ReasonExperiment}
	b.Run("json.Marshal", func(b *testing.B) {
		for b.Loop() {
			_, _ = json.Marshal(blocks)
		}
	})
	var buf []byte
	b.Run("AppendBlocksJSON", func(b *testing.B) {
		for b.Loop() {
			buf = AppendBlocksJSON(buf[:0], blocks)
		}
	})
}
