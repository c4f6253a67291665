package experience_test

import (
	"encoding/json"
	"testing"

	"github.com/mosaichq/mosaic/experience"
	"github.com/mosaichq/mosaic/measurement/consent"
	"github.com/mosaichq/mosaic/personalization"
)

// FuzzParseVariants feeds arbitrary JSON to the variant parser: it never
// panics, returns one variant per element, and whatever parses cleanly
// survives a round trip through VariantJSON unchanged.
func FuzzParseVariants(f *testing.F) {
	for _, seed := range []string{
		`[{"key": "vip", "targeting": {"segments": ["vip"], "devices": ["mobile"]}, "fields": {"title": "Hi"}}]`,
		`[{"key": "a", "experiment": "x", "arm": "b", "priority": 2, "campaign": "c"}]`,
		`[{"key": "a", "targeting": {"locales": ["en", 1]}, "priority": 1.5}, null, 3, "x", []]`,
		`[{"targeting": {"channels": null}, "fields": null, "unknown": {}}]`,
		`[]`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data string) {
		var raw []any
		if json.Unmarshal([]byte(data), &raw) != nil {
			return
		}
		got, problems := experience.ParseVariants(raw)
		if len(got) != len(raw) {
			t.Fatalf("%d variants for %d elements", len(got), len(raw))
		}
		if len(problems) > 0 {
			return
		}
		again := make([]any, len(got))
		for i, v := range got {
			again[i] = experience.VariantJSON(v)
		}
		b, err := json.Marshal(again)
		if err != nil {
			t.Fatal(err)
		}
		var decoded []any
		if err := json.Unmarshal(b, &decoded); err != nil {
			t.Fatal(err)
		}
		round, problems := experience.ParseVariants(decoded)
		if len(problems) > 0 {
			t.Fatalf("VariantJSON output does not parse: %v", problems)
		}
		for i := range got {
			if !sameVariant(got[i], round[i]) {
				t.Fatalf("round trip changed variant %d: %+v → %+v", i, got[i], round[i])
			}
		}
		// Over variants that would be saved, a decision always names one.
		if personalization.ValidateVariants(got, personalization.DefaultRegistry()) != nil {
			return
		}
		e, err := personalization.NewEngine(personalization.Options{})
		if err != nil {
			t.Fatal(err)
		}
		d := e.Decide(personalization.Context{Purposes: consent.All}, personalization.Block{ID: "b", Variants: got})
		if d.Variant == "" {
			t.Fatal("empty decision")
		}
	})
}

// sameVariant compares what survives JSON: empty and nil lists are alike.
func sameVariant(a, b personalization.Variant) bool {
	ja, _ := json.Marshal(experience.VariantJSON(a))
	jb, _ := json.Marshal(experience.VariantJSON(b))
	return string(ja) == string(jb)
}
