package content

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// blocksProblems validates a page whose blocks field holds blocksJSON.
func blocksProblems(t *testing.T, types map[string]ContentType, blocksJSON string) *validation {
	t.Helper()
	return validate(types, types["page"], jsonMap(t, `{"title":"Home","blocks":`+blocksJSON+`}`), true)
}

func TestBlocks(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, blocks, path, want string
	}{
		{"inline ok", `[{"id":"h1","type":"hero","fields":{"title":"Hi","image":"` + idA + `"}}]`, "", ""},
		{"global ref ok", `[{"id":"p1","ref":"` + idB + `"}]`, "", ""},
		{"not a list", `{"id":"h1"}`, "fields.blocks", "must be a list of blocks"},
		{"not an object", `["hero"]`, "fields.blocks.0", "a block must be an object"},
		{"unknown block type", `[{"type":"carousel"}]`, "fields.blocks.0.type", `unknown block type "carousel"`},
		{"missing type", `[{"fields":{}}]`, "fields.blocks.0.type", `unknown block type ""`},
		{"entry type in blocks", `[{"type":"product","fields":{"title":"x"}}]`, "fields.blocks.0.type", `"product" is not a block type`},
		{"block field invalid", `[{"type":"hero","fields":{"title":5}}]`, "fields.blocks.0.fields.title", "must be a string"},
		{"block field required", `[{"type":"hero"}]`, "fields.blocks.0.fields.title", "is required"},
		{"block unknown field", `[{"type":"hero","fields":{"title":"x","subtitle":"y"}}]`, "fields.blocks.0.fields.subtitle", "has no field"},
		{"fields not an object", `[{"type":"hero","fields":"x"}]`, "fields.blocks.0.fields", "must be an object"},
		{"unknown property", `[{"type":"promo","fields":{"headline":"x"},"style":"big"}]`, "fields.blocks.0.style", "unknown block property"},
		{"bad block id", `[{"id":"a b","type":"promo","fields":{"headline":"x"}}]`, "fields.blocks.0.id", "letters, digits"},
		{"non-string block id", `[{"id":7,"type":"promo","fields":{"headline":"x"}}]`, "fields.blocks.0.id", "letters, digits"},
		{"duplicate block id", `[{"id":"x","type":"promo","fields":{"headline":"a"}},{"id":"x","ref":"` + idA + `"}]`, "fields.blocks.1.id", `duplicate block id "x"`},
		{"ref with type", `[{"id":"g","ref":"` + idA + `","type":"promo"}]`, "fields.blocks.0", "an id and a ref only"},
		{"ref with fields", `[{"id":"g","ref":"` + idA + `","fields":{"headline":"x"}}]`, "fields.blocks.0", "an id and a ref only"},
		{"ref not an id", `[{"id":"g","ref":"promo-1"}]`, "fields.blocks.0.ref", "id of a global block entry"},
		{"too many blocks", strings.Repeat(`[`, 1) + strings.TrimSuffix(strings.Repeat(`{"type":"promo","fields":{"headline":"x"}},`, 11), ",") + `]`, "fields.blocks", "at most 10 blocks"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			v := blocksProblems(t, testModel(), tc.blocks)
			if tc.want == "" {
				require.Empty(t, v.problems)
				return
			}
			requireProblem(t, v.problems, tc.path, tc.want)
		})
	}
}

func TestBlocksAllowedTypes(t *testing.T) {
	t.Parallel()
	types := testModel()
	page := types["page"]
	page.Fields[1].AllowedTypes = []string{"hero"}
	types["page"] = page
	v := blocksProblems(t, types, `[{"type":"hero","fields":{"title":"ok"}},{"type":"promo","fields":{"headline":"x"}}]`)
	requireProblem(t, v.problems, "fields.blocks.1.type", "must be one of [hero]")
	require.Len(t, v.problems, 1)
	// allowedTypes of a global ref is checked against the stored entry,
	// so validation records it on the link.
	v = blocksProblems(t, types, `[{"id":"g","ref":"`+idA+`"}]`)
	require.Empty(t, v.problems)
	require.Equal(t, []Link{{Path: "fields.blocks.0.ref", ID: idA, AllowedTypes: []string{"hero"}, Block: true}}, v.links)
}

func TestBlockIDsAssigned(t *testing.T) {
	t.Parallel()
	types := testModel()
	fields := jsonMap(t, `{"title":"x","blocks":[{"type":"promo","fields":{"headline":"a"}},{"type":"promo","fields":{"headline":"b"}}]}`)
	v := validate(types, types["page"], fields, true)
	require.Empty(t, v.problems)
	blocks := fields["blocks"].([]any)
	id0 := blocks[0].(map[string]any)["id"].(string)
	id1 := blocks[1].(map[string]any)["id"].(string)
	require.Regexp(t, blockIDPattern, id0)
	require.NotEqual(t, id0, id1)
}

// nested builds sections nested depth deep around one promo.
func nested(depth int) string {
	s := `{"type":"promo","fields":{"headline":"x"}}`
	for i := 0; i < depth; i++ {
		s = fmt.Sprintf(`{"type":"section","fields":{"blocks":[%s]}}`, s)
	}
	return "[" + s + "]"
}

func TestBlockNestingDepth(t *testing.T) {
	t.Parallel()
	// The page's blocks are level 1; sections add a level each.
	v := blocksProblems(t, testModel(), nested(maxBlockDepth-1))
	require.Empty(t, v.problems)
	v = blocksProblems(t, testModel(), nested(maxBlockDepth))
	require.Len(t, v.problems, 1)
	require.Contains(t, v.problems[0].Message, fmt.Sprintf("at most %d levels", maxBlockDepth))
	// Duplicate ids are caught across levels too.
	v = blocksProblems(t, testModel(), `[{"id":"s","type":"section","fields":{"blocks":[{"id":"s","type":"promo","fields":{"headline":"x"}}]}}]`)
	requireProblem(t, v.problems, "fields.blocks.0.fields.blocks.0.id", "duplicate block id")
}

func TestBlockVariants(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, variants, path, want string
	}{
		{"ok", `[{"key":"winter","fields":{"title":"Winter sale"},"segments":["vip"]},{"key":"mobile"}]`, "", ""},
		{"not a list", `{"key":"a"}`, "fields.blocks.0.variants", "must be a list of variants"},
		{"not an object", `["a"]`, "fields.blocks.0.variants.0", "must be an object"},
		{"missing key", `[{"fields":{}}]`, "fields.blocks.0.variants.0.key", "letters, digits"},
		{"reserved key", `[{"key":"default"}]`, "fields.blocks.0.variants.0.key", "reserved"},
		{"duplicate key", `[{"key":"a"},{"key":"a"}]`, "fields.blocks.0.variants.1.key", "duplicate variant key"},
		{"fields not an object", `[{"key":"a","fields":[]}]`, "fields.blocks.0.variants.0.fields", "must be an object"},
		{"override invalid", `[{"key":"a","fields":{"title":3}}]`, "fields.blocks.0.variants.0.fields.title", "must be a string"},
		{"override unknown field", `[{"key":"a","fields":{"nope":"x"}}]`, "fields.blocks.0.variants.0.fields.nope", "has no field"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// Overrides are partial: a variant need not repeat the required title.
			v := blocksProblems(t, testModel(), `[{"type":"hero","fields":{"title":"Hi"},"variants":`+tc.variants+`}]`)
			if tc.want == "" {
				require.Empty(t, v.problems)
				return
			}
			requireProblem(t, v.problems, tc.path, tc.want)
		})
	}
}
