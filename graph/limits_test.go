package graph

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
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
		sh := measureOperation(doc, doc.Operations[0])
		d, a := sh.depth, int(sh.aliases)
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
		`{"documentId":"x"}`: true, `{"extensions":{"persistedQuery":{"version":1}}}`: true,
		`{"other":1}`: false, `{"query":""}`: false, `{"query":null}`: false, `[]`: false, `{"query":1}`: false, `{"QUERY":[]}`: false, `{"variables":[]}`: false,
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
	require.True(t, measureDocument(doc).nul)
	// Deep inside fragments, in a directive, in an unused operation: all
	// found, however deep (a level cut-off let such a NUL through).
	deep := "{ " + strings.Repeat("... on Query { ", 150) + `e(a: "\u0000")` + strings.Repeat(" }", 150) + " }"
	for _, q := range []string{deep,
		`{ ...F } fragment F on Query { ...G } fragment G on Query { e @include(if: true) @skip(x: "\u0000") }`,
		`query A { x } query B { y(a: "\u0000") }`} {
		doc, err := parser.ParseQuery(&ast.Source{Input: q})
		require.NoError(t, err, q)
		require.True(t, measureDocument(doc).nul, q)
	}
}

// fragmentBomb is N fragments, each spreading the next twice: a few
// hundred bytes that expand to 2^N fields.
func fragmentBomb(n int) string {
	var b strings.Builder
	b.WriteString("query { ...F0 }\n")
	for i := range n {
		fmt.Fprintf(&b, "fragment F%d on Query { ...F%d ...F%d }\n", i, i+1, i+1)
	}
	fmt.Fprintf(&b, "fragment F%d on Query { __typename }\n", n)
	return b.String()
}

// The measurement is linear in the document: each fragment once, and the
// counts saturate instead of overflowing.
func TestMeasureFragmentBomb(t *testing.T) {
	t.Parallel()
	for _, n := range []int{10, 20, 40, 64, 200} {
		doc, err := parser.ParseQuery(&ast.Source{Input: fragmentBomb(n)})
		require.NoError(t, err)
		s := measureDocument(doc)
		want := int64(saturated)
		if n < 40 {
			want = 1 << n
		}
		require.Equal(t, want, s.fields, "n=%d", n)
		require.Equal(t, 1, s.depth)
	}
	// Introspection is found through any number of fragment levels.
	q := "{ ...F0 }\n"
	for i := range 30 {
		q += fmt.Sprintf("fragment F%d on Query { ...F%d }\n", i, i+1)
	}
	q += "fragment F30 on Query { __schema { queryType { name } } }"
	doc, err := parser.ParseQuery(&ast.Source{Input: q})
	require.NoError(t, err)
	require.True(t, measureDocument(doc).introspection)
	// ... but not under a field: that is some other type's __type.
	doc, err = parser.ParseQuery(&ast.Source{Input: `{ entry(slug: "x") { __typename } }`})
	require.NoError(t, err)
	require.False(t, measureDocument(doc).introspection)
}

// BenchmarkFragmentBomb is the guard's whole cost for a fragment bomb,
// from raw text to refusal (bench/RESULTS.md); N=20 cost 1.7 s of CPU
// before the guard measured fragments once.
func BenchmarkFragmentBomb(b *testing.B) {
	for _, n := range []int{10, 20, 40} {
		q := fragmentBomb(n)
		b.Run(fmt.Sprint("N=", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				g := newGuard(DefaultLimits())
				if g.MutateOperationParameters(context.Background(), &graphql.RawParams{Query: q}) == nil && n > 10 {
					b.Fatal("not refused")
				}
			}
		})
	}
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

// introspectionQuery is graphql-js's getIntrospectionQuery() as GraphiQL
// sends it: the largest fragment user a legitimate client has.
const introspectionQuery = `query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }
}`

func TestGuardAcceptsIntrospectionAndRefusesBombs(t *testing.T) {
	t.Parallel()
	g := newGuard(DefaultLimits())
	doc, err := parser.ParseQuery(&ast.Source{Input: introspectionQuery})
	require.NoError(t, err)
	s := measureDocument(doc)
	require.Less(t, s.spreads, int64(maxExpandedSpreads/4), "introspection is far from the spread limit")
	require.Nil(t, g.MutateOperationParameters(context.Background(), &graphql.RawParams{Query: introspectionQuery}))
	for n := 8; n <= 40; n++ {
		err := g.MutateOperationParameters(context.Background(), &graphql.RawParams{Query: fragmentBomb(n)})
		require.NotNil(t, err, "n=%d", n)
		require.Equal(t, "QUERY_TOO_COMPLEX", err.Extensions["code"], "n=%d", n)
	}
}
