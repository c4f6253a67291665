package server_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/graph"
	"github.com/mosaichq/mosaic/internal/testapp"
)

// TestSuggestionsFollowIntrospection: "Did you mean apiKeys?" hands the
// schema out one typo at a time, so with introspection off no validation
// error suggests a name — fields, arguments, types, enum values, input
// fields, selections — while each is still refused with its code.
func TestSuggestionsFollowIntrospection(t *testing.T) {
	t.Parallel()
	typos := map[string]string{
		"field":          `{ apiKey { id } }`,
		"argument":       `{ entry(slugg: "home") { id } }`,
		"fragment type":  `{ ...F } fragment F on Entri { id }`,
		"enum value":     `{ screenFleet(state: ONLIN) { screenId } }`,
		"input field":    `{ entry(slug: "home", context: {devic: "mobile"}) { id } }`,
		"missing fields": `{ entry(slug: "home") }`,
	}
	for _, introspection := range []bool{true, false} {
		limits := graph.DefaultLimits()
		limits.Introspection = introspection
		app := testapp.New(t, testapp.Options{NoSeed: true, Limits: &limits})
		for name, q := range typos {
			resp := app.Query("", q, nil)
			require.Equal(t, "BAD_USER_INPUT", resp.Code(), "%s: %s", name, resp.Raw)
			if introspection {
				require.Contains(t, resp.Raw, "Did you mean", "%s: suggestions help where the schema is public anyway", name)
			} else {
				require.NotContains(t, resp.Raw, "Did you mean", "%s: a suggestion leaks the schema", name)
			}
		}
	}
}
