package graph

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// TestShapes: the lexical scan (before parsing) never exceeds the exact
// figures (after parsing, through fragments), so refusing on it is safe.
func TestShapes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		query                string
		depth, aliases       int // exact
		lexDepth, lexAliases int
	}{
		{`{ __typename }`, 1, 0, 1, 0},
		{`query Q($a: Int = 1, $b: In = {x: 1}) { entries(type: "p", first: $a, filter: [{field: "f", value: {a: {b: 1}}}]) { nodes { id } } }`, 3, 0, 3, 0},
		{`{ a: entry(slug: "x") { b: id c: slug } d: __typename }`, 2, 4, 2, 4},
		{`{ entry(slug: "{ { {") { id } } # { { { comment`, 2, 0, 2, 0},
		{`{ ...F ...F } fragment F on Query { x: entry(slug: "a") { ...G } } fragment G on Entry { linked(field: "f") { y: id } }`, 3, 4, 2, 2},
		{`{ e: entry(slug: "a") { ... on Entry { blocks { id } } } }`, 3, 1, 3, 1},
	} {
		doc, err := parser.ParseQuery(&ast.Source{Input: tc.query})
		require.NoError(t, err, tc.query)
		d, a := shape(doc.Operations[0].SelectionSet, doc, 0)
		require.Equal(t, [2]int{tc.depth, tc.aliases}, [2]int{d, a}, "exact: %s", tc.query)
		ld, la := lexicalShape(tc.query)
		require.Equal(t, [2]int{tc.lexDepth, tc.lexAliases}, [2]int{ld, la}, "lexical: %s", tc.query)
		require.LessOrEqual(t, ld, d)
		require.LessOrEqual(t, la, a)
	}
}

func TestDefinesWrite(t *testing.T) {
	t.Parallel()
	for q, want := range map[string]bool{
		`{ entry(slug: "mutation") { id } }`:                                               false,
		`query mutation { __typename }`:                                                    false,
		`query Q { __typename } mutation M { login(email: "a", password: "b") { token } }`: true,
		`mutation { login(email: "a", password: "b") { token } }`:                          true,
		`subscription { x }`:                                                               true,
		`{ a(x: {mutation: 1}) }`:                                                          false,
	} {
		require.Equal(t, want, definesWrite(q), q)
	}
}

func TestCheckBody(t *testing.T) {
	t.Parallel()
	for body, ok := range map[string]bool{
		`{"query":"{ x }"}`: true, `{"query":"{ x }","variables":null,"operationName":null,"extensions":{}}`: true,
		`{"other":1}`: true, `[]`: false, `{"query":1}`: false, `{"QUERY":[]}`: false, `{"variables":[]}`: false,
		`{"extensions":"x"}`: false, `null`: false, `"x"`: false, `1`: false,
	} {
		require.Equal(t, ok, checkBody([]byte(body)) == "", body)
	}
}

func TestHasNUL(t *testing.T) {
	t.Parallel()
	require.True(t, hasNUL(map[string]any{"a": []any{1, "x\x00"}}))
	require.True(t, hasNUL(map[string]any{"k\x00": 1}))
	require.False(t, hasNUL(map[string]any{"a": []any{1, "x", nil, true}}))
	doc, err := parser.ParseQuery(&ast.Source{Input: `{ e(a: {b: ["\u0000"]}) }`})
	require.NoError(t, err)
	require.True(t, selectionHasNUL(doc.Operations[0].SelectionSet, doc, 0))
}

// BenchmarkLexicalShape is the guard's cost before parsing, on the
// storefront's personalized home query.
func BenchmarkLexicalShape(b *testing.B) {
	q := `query Home($locale: String, $context: ExperienceContext) {
		entry(slug: "home", type: "page", locale: $locale, context: $context) {
			id slug locale version fields
			blocks { id type fields globalId decision { variant reason experiment campaign { key name } } }
		}
	}` + strings.Repeat(" ", 0)
	b.ReportAllocs()
	for b.Loop() {
		lexicalShape(q)
	}
}
