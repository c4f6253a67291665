package personalization_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/measurement/consent"
	p "github.com/mosaichq/mosaic/personalization"
)

func TestCompileRuleMatches(t *testing.T) {
	t.Parallel()
	mobile := p.Context{Device: "mobile", Segments: []string{"vip"}, Purposes: consent.All}
	withTraits := func(traits map[string]any) p.Context {
		c := mobile
		c.Traits = traits
		return c
	}
	tests := []struct {
		rule string
		ctx  p.Context
		want bool
	}{
		{`traits.visits > 3 && context.device == "mobile"`, withTraits(map[string]any{"visits": 4.0}), true},
		{`traits.visits > 3 && context.device == "mobile"`, withTraits(map[string]any{"visits": 3.0}), false},
		{`traits.visits > 3`, withTraits(map[string]any{"visits": 3.5}), true},
		{`traits.visits == 4`, withTraits(map[string]any{"visits": 4.0}), true},
		{`traits.visits + 1 == 5`, withTraits(map[string]any{"visits": 4.0}), true},
		{`traits.visits > 3`, withTraits(map[string]any{"visits": json.Number("7")}), true},
		{`traits.visits == 4`, withTraits(map[string]any{"visits": json.Number("4.0")}), true},
		{`traits.visits > 3`, withTraits(map[string]any{"visits": 9}), true},
		{`traits.cart_value >= 100.0`, withTraits(map[string]any{"cart_value": 100.0}), true},
		{`traits.cart_value >= 100.0`, withTraits(map[string]any{"cart_value": 99.99}), false},
		{`traits.cart_value >= 100`, withTraits(map[string]any{"cart_value": 100.5}), true},
		{`double(traits.cart_value) * 1.5 > 149.0`, withTraits(map[string]any{"cart_value": 100.0}), true},
		{`"vip" in context.segments`, mobile, true},
		{`"gold" in context.segments`, mobile, false},
		{`traits.profile.age >= 18`, withTraits(map[string]any{"profile": map[string]any{"age": 30.0}}), true},
		{`traits.tags.exists(t, t == "runner")`, withTraits(map[string]any{"tags": []any{"swimmer", "runner"}}), true},
		{`has(traits.visits) && traits.visits > 3`, withTraits(nil), false},
		{`traits.?visits.orValue(0) > 3`, withTraits(nil), false},
		{`context.locale.startsWith("ro")`, p.Context{Locale: "ro-RO"}, true},
		{`traits.country.lowerAscii() == "ro"`, withTraits(map[string]any{"country": "RO"}), true},
		{`context["device"] == "mobile"`, mobile, true},
		{`context.visitorId == ""`, mobile, true},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			t.Parallel()
			rule, err := p.CompileRule(tt.rule)
			require.NoError(t, err)
			require.Equal(t, tt.rule, rule.Source())
			got, err := rule.Match(tt.ctx)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestCompileRuleRuntimeErrors(t *testing.T) {
	t.Parallel()
	rule, err := p.CompileRule(`traits.visits > 3`)
	require.NoError(t, err)
	_, err = rule.Match(p.Context{})
	require.ErrorContains(t, err, "no such key: visits")
	_, err = rule.Match(p.Context{Traits: map[string]any{"visits": "many"}})
	require.ErrorContains(t, err, "no such overload")
}

func TestCompileRuleErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		rule string
		msg  string // expected message of the first field error (prefix)
	}{
		{"empty", "  ", "rule is required"},
		{"syntax at end", "traits.visits >\n  3 &&", "line 2, column 7: Syntax error:"},
		{"syntax mid line", `traits.visits > > 3`, "line 1, column 17: Syntax error:"},
		{"undeclared", `trait.visits > 3`, "line 1, column 1: undeclared reference to 'trait'"},
		{"unknown context field", `context.devce == "mobile"`, `line 1, column 8: unknown context field "devce"; known fields: channel, device, locale, segments, visitorId`},
		{"unknown context index", `context["devce"] == "mobile"`, `line 1, column 8: unknown context field "devce"`},
		{"not bool", `traits.visits`, "line 1, column 7: rule must evaluate to bool, not dyn"},
		{"string result", `"yes"`, "line 1, column 1: rule must evaluate to bool, not string"},
		{"type error", `context.device == 3 + "a"`, "line 1, column 21: found no matching overload for '_+_'"},
		{"bad regex", `traits.email.matches("(")`, "line 1, column 22: invalid matches argument"},
		{"nested loops", `traits.a.exists(x, traits.b.exists(y, x == y))`, "comprehension exceeds nesting limit"},
		{"too long", strings.Repeat("true && ", 600) + "true", "rule is 4804 bytes long; the limit is 4096"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := p.CompileRule(tt.rule)
			e, ok := errs.As(err)
			require.True(t, ok, "want *errs.Error, got %v", err)
			require.Equal(t, errs.BadUserInput, e.Code)
			require.NotEmpty(t, e.Fields)
			require.Equal(t, "rule", e.Fields[0].Path)
			require.Contains(t, e.Fields[0].Message, tt.msg)
			require.Contains(t, e.Message, e.Fields[0].Message)
		})
	}
}

func TestCompileRuleCost(t *testing.T) {
	t.Parallel()
	cheap, err := p.CompileRule(`traits.tags.exists(t, t == "runner")`)
	require.NoError(t, err)
	require.LessOrEqual(t, cheap.EstimatedCost(), uint64(p.MaxRuleCost))

	// Each all() is bounded, but 20 loops over 1024-element lists are not cheap.
	var parts []string
	for range 20 {
		parts = append(parts, `traits.tags.all(t, t.size() < 100 && t.startsWith("a"))`)
	}
	_, err = p.CompileRule(strings.Join(parts, " && "))
	e, ok := errs.As(err)
	require.True(t, ok, "want *errs.Error, got %v", err)
	require.Contains(t, e.Fields[0].Message, "rule is too expensive: worst-case cost")
}

func TestCompileRuleRuntimeCostLimit(t *testing.T) {
	t.Parallel()
	// Cheap by estimate (inputs assumed <= 1024 elements), but a visitor
	// sending a huge list hits the runtime limit instead of burning CPU.
	rule, err := p.CompileRule(`traits.tags.exists(t, t == "never")`)
	require.NoError(t, err)
	tags := make([]any, 100_000)
	for i := range tags {
		tags[i] = "x"
	}
	_, err = rule.Match(p.Context{Traits: map[string]any{"tags": tags}})
	require.ErrorContains(t, err, "cost limit exceeded")
}
