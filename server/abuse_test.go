package server_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/graph"
	"github.com/mosaichq/mosaic/internal/testapp"
)

// The GraphQL abuse corpus: documents built to make the server work hard
// for a few bytes, sent the way an attacker holding a public delivery key
// would. Each is refused with its code, never a 5xx, and nothing past the
// guard runs (the guard measures every fragment once: bench/RESULTS.md
// has the cost, which stays in microseconds however large N is).

// bomb is N fragments, each spreading the next twice (2^N fields).
func bomb(n int, leaf string) string {
	var b strings.Builder
	b.WriteString("query { ...F0 }\n")
	for i := range n {
		fmt.Fprintf(&b, "fragment F%d on Query { ...F%d ...F%d }\n", i, i+1, i+1)
	}
	fmt.Fprintf(&b, "fragment F%d on Query { %s }\n", n, leaf)
	return b.String()
}

// chain is N fragments, each spreading the next once, around body.
func chain(n int, body string) string {
	q := "query { ...F0 }\n"
	for i := range n {
		q += fmt.Sprintf("fragment F%d on Query { ...F%d }\n", i, i+1)
	}
	return q + fmt.Sprintf("fragment F%d on Query { %s }\n", n, body)
}

func TestAbuseCorpus(t *testing.T) {
	t.Parallel()
	limits := graph.DefaultLimits()
	limits.Introspection = false
	app := testapp.New(t, testapp.Options{Limits: &limits})
	key := app.APIKey(auth.ScopeDelivery)
	type abuse struct {
		name, query, code, msg string
	}
	var corpus []abuse
	for n := 10; n <= 40; n += 3 {
		corpus = append(corpus,
			abuse{fmt.Sprintf("fragment bomb N=%d", n), bomb(n, "__typename"), "QUERY_TOO_COMPLEX", "spreads fragments"},
			abuse{fmt.Sprintf("entry bomb N=%d", n), bomb(n, `entry(slug: "home") { id blocks { id } }`), "QUERY_TOO_COMPLEX", "spreads fragments"})
	}
	deepInline := "{ " + strings.Repeat("... on Query { ", 150) + `entry(slug: "a\u0000b") { id }` + strings.Repeat(" }", 150) + " }"
	corpus = append(corpus,
		abuse{"introspection 30 fragment levels deep", chain(30, "__schema { types { name } }"), "FORBIDDEN", "introspection is disabled"},
		abuse{"__type 12 fragment levels deep", chain(12, `__type(name: "Entry") { name }`), "FORBIDDEN", "introspection is disabled"},
		abuse{"NUL 150 inline fragments deep", deepInline, "BAD_USER_INPUT", "NUL"},
		abuse{"NUL in a directive through fragments", chain(20, `entry(slug: "home") @skip(if: false) { id fields(x: "\u0000") }`), "", ""},
		abuse{"wide fields through a doubling chain", bomb(12, `a: entry(slug: "home") { id }`), "QUERY_TOO_COMPLEX", ""},
	)
	for _, tc := range corpus {
		for who, send := range map[string]func() testapp.Response{
			"anonymous":    func() testapp.Response { return app.Query("", tc.query, nil) },
			"delivery key": func() testapp.Response { return app.QueryKey(key, tc.query, nil) },
		} {
			resp := send()
			require.Less(t, resp.Status, 500, "%s (%s): %s", tc.name, who, resp.Raw)
			require.NotEmpty(t, resp.Errors, "%s (%s): refused", tc.name, who)
			require.Nil(t, resp.Data["entry"], tc.name)
			for _, e := range resp.Errors {
				require.NotEqual(t, "INTERNAL", e.Extensions["code"], "%s (%s): %s", tc.name, who, resp.Raw)
			}
			if tc.code != "" {
				require.Equal(t, tc.code, resp.Code(), "%s (%s): %s", tc.name, who, resp.Raw)
				require.Contains(t, resp.Errors[0].Message, tc.msg, tc.name)
			}
		}
	}
	// The server is still answering, and legitimate fragments still work.
	resp := app.Query("", `{ ...Home } fragment Home on Query { entry(slug: "home", type: "page") { ...E } } fragment E on Entry { id blocks { id } }`, nil)
	require.Empty(t, resp.Errors, resp.Raw)
}
