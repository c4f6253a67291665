package content

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRichText(t *testing.T) {
	t.Parallel()
	para := func(inner string) string {
		return `{"type":"doc","content":[{"type":"paragraph","content":[` + inner + `]}]}`
	}
	link := func(href string) string {
		return para(`{"type":"text","text":"x","marks":[{"type":"link","attrs":{"href":` + href + `}}]}`)
	}
	cases := []struct {
		name, doc, want string
		chars           int
	}{
		{"empty doc", `{"type":"doc"}`, "", 0},
		{"paragraph", para(`{"type":"text","text":"Salut"},{"type":"hardBreak"},{"type":"text","text":"ță","marks":[{"type":"bold"}]}`), "", 7},
		{"heading", `{"type":"doc","content":[{"type":"heading","attrs":{"level":2},"content":[{"type":"text","text":"T"}]}]}`, "", 1},
		{"lists", `{"type":"doc","content":[{"type":"bulletList","content":[{"type":"listItem","content":[{"type":"paragraph"}]}]}]}`, "", 0},
		{"https link", link(`"https://example.com/a?b=c"`), "", 1},
		{"relative link", link(`"/shoes"`), "", 1},
		{"mailto link", link(`"mailto:a@example.com"`), "", 1},
		{"tel link", link(`"tel:+40700000000"`), "", 1},
		{"ordered list from 3", `{"type":"doc","content":[{"type":"orderedList","attrs":{"start":3},"content":[]}]}`, "", 0},
		{"code block language", `{"type":"doc","content":[{"type":"codeBlock","attrs":{"language":"go"},"content":[{"type":"text","text":"x"}]}]}`, "", 1},
		{"link with title and target", link(`"https://x.example","title":"X","target":"_blank"`), "", 1},
		{"image", `{"type":"doc","content":[{"type":"image","attrs":{"src":"https://cdn.example.com/a.png"}}]}`, "", 0},

		{"not an object", `"<p>hi</p>"`, "document object", 0},
		{"root not doc", `{"type":"paragraph"}`, `root node must have type "doc"`, 0},
		{"doc inside doc", `{"type":"doc","content":[{"type":"doc"}]}`, `unknown node type "doc"`, 0},
		{"unknown node", `{"type":"doc","content":[{"type":"script","text":"x"}]}`, `unknown node type "script"`, 0},
		{"unknown property", `{"type":"doc","html":"<b>"}`, `unknown property "html"`, 0},
		{"text without text", para(`{"type":"text"}`), `needs a "text" string`, 0},
		{"text on paragraph", `{"type":"doc","content":[{"type":"paragraph","text":"x"}]}`, "cannot carry text", 0},
		{"content not a list", `{"type":"doc","content":{}}`, "must be a list", 0},
		{"child not a node", `{"type":"doc","content":["x"]}`, "must be nodes", 0},
		{"heading level 7", `{"type":"doc","content":[{"type":"heading","attrs":{"level":7}}]}`, "level must be 1 to 6", 0},
		{"heading level 1.5", `{"type":"doc","content":[{"type":"heading","attrs":{"level":1.5}}]}`, "level must be 1 to 6", 0},
		{"attrs not an object", `{"type":"doc","content":[{"type":"paragraph","attrs":[]}]}`, "must be an object", 0},
		{"unknown mark", para(`{"type":"text","text":"x","marks":[{"type":"blink"}]}`), `unknown mark "blink"`, 0},
		{"marks not a list", para(`{"type":"text","text":"x","marks":{}}`), "marks must be a list", 0},
		{"javascript link", link(`"javascript:alert(1)"`), "safe href", 0},
		{"JavaScript link in caps", link(`"JaVaScRiPt:alert(1)"`), "safe href", 0},
		{"javascript link with a leading space", link(`" javascript:alert(1)"`), "safe href", 0},
		{"javascript link with a tab", link(`"java\tscript:alert(1)"`), "safe href", 0},
		{"javascript link with a newline", link(`"javascript:\nalert(1)"`), "safe href", 0},
		{"data link", link(`"data:text/html,<script>alert(1)</script>"`), "safe href", 0},
		{"vbscript link", link(`"vbscript:msgbox"`), "safe href", 0},
		{"link without href", para(`{"type":"text","text":"x","marks":[{"type":"link"}]}`), "safe href", 0},
		{"href attr on a paragraph", `{"type":"doc","content":[{"type":"paragraph","attrs":{"href":"javascript:alert(1)"}}]}`, `takes no attribute "href"`, 0},
		{"event handler attr", `{"type":"doc","content":[{"type":"image","attrs":{"src":"/a.png","onerror":"alert(1)"}}]}`, `takes no attribute "onerror"`, 0},
		{"non-string alt", `{"type":"doc","content":[{"type":"image","attrs":{"src":"/a.png","alt":{}}}]}`, "must be a string", 0},
		{"attrs on bold", para(`{"type":"text","text":"x","marks":[{"type":"bold","attrs":{"style":"x"}}]}`), `takes no attribute "style"`, 0},
		{"unknown mark property", para(`{"type":"text","text":"x","marks":[{"type":"bold","onclick":"x"}]}`), `unknown property "onclick"`, 0},
		{"ordered list start", `{"type":"doc","content":[{"type":"orderedList","attrs":{"start":"1"}}]}`, "start must be an integer", 0},
		{"javascript image", `{"type":"doc","content":[{"type":"image","attrs":{"src":"javascript:alert(1)"}}]}`, "safe src", 0},
		{"too deep", strings.Repeat(`{"type":"doc","content":[`, 1) + strings.Repeat(`{"type":"blockquote","content":[`, maxRichDepth+1) +
			`{"type":"paragraph"}` + strings.Repeat(`]}`, maxRichDepth+2), "deeper than", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			n, err := richTextLength(jsonValue(t, tc.doc))
			if tc.want == "" {
				require.NoError(t, err)
				require.Equal(t, tc.chars, n)
				return
			}
			require.ErrorContains(t, err, tc.want)
		})
	}
}

func TestRichTextNodeLimit(t *testing.T) {
	t.Parallel()
	nodes := strings.TrimSuffix(strings.Repeat(`{"type":"hardBreak"},`, maxRichNodes), ",")
	_, err := richTextLength(jsonValue(t, `{"type":"doc","content":[`+nodes+`]}`))
	require.ErrorContains(t, err, "more than")
}

// FuzzRichText feeds arbitrary JSON to the rich text validator: it must
// never panic, and whatever it accepts has no script-capable URL in it.
func FuzzRichText(f *testing.F) {
	for _, s := range []string{
		`{"type":"doc"}`,
		`{"type":"doc","content":[{"type":"paragraph","content":[{"type":"text","text":"a","marks":[{"type":"link","attrs":{"href":"https://x"}}]}]}]}`,
		`{"type":"doc","content":[{"type":"image","attrs":{"src":"/a.png"}}]}`,
		`{"type":"doc","content":[{"type":"heading","attrs":{"level":3}}]}`,
		`{"type":"doc","content":[{"type":"text","text":"x","marks":[{"type":"link","attrs":{"href":"javascript:x"}}]}]}`,
		`[]`, `null`, `{"type":"doc","content":[null]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v any
		if json.Unmarshal(data, &v) != nil {
			return
		}
		n, err := richTextLength(v)
		if err != nil {
			return
		}
		require.GreaterOrEqual(t, n, 0)
		var check func(any)
		check = func(x any) {
			switch x := x.(type) {
			case map[string]any:
				for k, val := range x {
					if s, ok := val.(string); ok && (k == "href" || k == "src") {
						require.True(t, safeURL(s), "accepted unsafe %s %q", k, s)
					}
					require.False(t, strings.HasPrefix(strings.ToLower(k), "on"), "accepted event handler attribute %q", k)
					check(val)
				}
			case []any:
				for _, it := range x {
					check(it)
				}
			}
		}
		check(v)
	})
}
