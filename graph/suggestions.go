package graph

import (
	"github.com/vektah/gqlparser/v2/validator/core"
	"github.com/vektah/gqlparser/v2/validator/rules"
)

// rulesWithoutSuggestions are GraphQL's validation rules with each rule
// that suggests names ("Did you mean apiKeys?", "Did you mean the enum
// value …?") swapped for its silent variant. With introspection off the
// suggestions would hand the schema out one typo at a time; gqlgen's
// SetDisableSuggestion swaps only two of the five.
func rulesWithoutSuggestions() *rules.Rules {
	r := rules.NewDefaultRules()
	for _, silent := range []core.Rule{
		rules.FieldsOnCorrectTypeRuleWithoutSuggestions,
		rules.ScalarLeafsRuleWithoutSuggestions,
		rules.KnownArgumentNamesRuleWithoutSuggestions,
		rules.KnownTypeNamesRuleWithoutSuggestions,
		rules.ValuesOfCorrectTypeRuleWithoutSuggestions,
	} {
		r.RemoveRule(silent.Name[:len(silent.Name)-len("WithoutSuggestions")])
		r.AddRule(silent.Name, silent.RuleFunc)
	}
	return r
}
