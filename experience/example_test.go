package experience_test

import (
	"encoding/json"
	"fmt"

	"github.com/mosaichq/mosaic/experience"
)

// Variants are stored inside content as JSON; ParseVariants reads them
// strictly and reports every problem with its path.
func ExampleParseVariants() {
	var raw []any
	_ = json.Unmarshal([]byte(`[
		{"key": "vip", "targeting": {"segments": ["vip"]}, "fields": {"title": "Welcome back"}},
		{"key": "mobile", "targeting": {"devices": "mobile"}, "priority": 1.5}
	]`), &raw)
	variants, problems := experience.ParseVariants(raw)
	fmt.Println(variants[0].Key, variants[0].Targeting.Segments, variants[0].Fields["title"])
	for _, p := range problems {
		fmt.Println(p.Path+":", p.Message)
	}
	// Output:
	// vip [vip] Welcome back
	// 1.priority: must be a whole number between -1073741824 and 1073741824
	// 1.targeting.devices: must be a list of strings
}
