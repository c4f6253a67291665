package search

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/errs"
)

func TestParseQueryAccepts(t *testing.T) {
	t.Parallel()
	for _, q := range []string{"", "  ", "winter", "winter boots", "+winter -summer", `"winter boots"`,
		"wint~", "winter~2", "win*", "title:winter", "tags:sale", "type:product winter", "winter^3",
		"cumpărături", "2026", "-summer", "body:snow*", `title:\(`, `"(a) b"`, `\(winter\)`} {
		_, err := parseQuery(q, "en")
		require.NoError(t, err, q)
	}
}

func TestParseQueryRefuses(t *testing.T) {
	t.Parallel()
	for q, msg := range map[string]string{
		`"open phrase`:                   "invalid search query",
		`title:`:                         "invalid search query",
		`title:(`:                        `"(" at character 7: parentheses do not group`,
		`(winter boots)`:                 "parentheses do not group",
		`winter)`:                        `")" at character 7`,
		`title:x:`:                       "escape + - : ( )",
		`colour:red`:                     "unknown field",
		`/re.*/`:                         "regular expressions",
		`price:>10`:                      "range",
		`publishedAt:>"2020-01-01"`:      "range",
		`*ter`:                           "wildcard",
		`w*`:                             "wildcard",
		`winter~3`:                       "fuzziness",
		strings.Repeat("x", 300):         "characters",
		strings.Repeat("a ", 17):         "terms",
		"\xff\xfe":                       "UTF-8",
		strings.Repeat("+a -b ", 9) + "": "terms",
	} {
		_, err := parseQuery(q, "en")
		require.Error(t, err, q)
		require.Equal(t, errs.BadUserInput, errs.CodeOf(err), q)
		require.Contains(t, err.Error(), msg, q)
	}
}

// FuzzParseQuery: whatever a visitor types, parsing never panics and a
// refusal is always the client's error.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"winter", `"a b"`, "+a -b", "title:x", "a~2", "ab*", "/x/", "x:>1", "(", `\`, "^", "~", "a^b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		if _, err := parseQuery(q, "ro"); err != nil && errs.CodeOf(err) != errs.BadUserInput {
			t.Fatalf("%q: %v", q, err)
		}
	})
}
