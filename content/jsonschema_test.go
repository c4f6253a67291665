package content

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// schemaJSON renders a schema as a client receives it, so assertions see
// JSON types rather than Go ones.
func schemaJSON(t *testing.T, s map[string]any) map[string]any {
	t.Helper()
	b, err := json.Marshal(s)
	require.NoError(t, err)
	return jsonMap(t, string(b))
}

func TestJSONSchemaWithBlocks(t *testing.T) {
	t.Parallel()
	types := testModel()
	page := types["page"]
	page.Description = "A web page"
	page.Fields[1].AllowedTypes = []string{"hero", "section"}
	sec := types["section"]
	sec.Fields[0].AllowedTypes = []string{"section", "promo"} // sections nest sections
	types["section"] = sec
	s := schemaJSON(t, JSONSchema(page, lookup(types)))

	require.Equal(t, "https://json-schema.org/draft/2020-12/schema", s["$schema"])
	require.Equal(t, "mosaic:type:page", s["$id"])
	require.Equal(t, "Page", s["title"])
	require.Equal(t, "A web page", s["description"])
	require.Equal(t, "object", s["type"])
	require.Equal(t, false, s["additionalProperties"])
	require.Equal(t, []any{"title"}, s["required"])

	props := s["properties"].(map[string]any)
	require.Equal(t, map[string]any{"type": "string"}, props["title"])
	require.Equal(t, map[string]any{"type": "string", "format": "uuid", "description": "entry id",
		"x-mosaic-allowed-types": []any{"product"}}, props["featured"])

	blocks := props["blocks"].(map[string]any)
	require.Equal(t, "array", blocks["type"])
	require.Equal(t, 10.0, blocks["maxItems"])
	oneOf := blocks["items"].(map[string]any)["oneOf"].([]any)
	require.Len(t, oneOf, 3, "a global ref plus the two allowed types")
	ref := oneOf[0].(map[string]any)
	require.Equal(t, []any{"id", "ref"}, ref["required"])
	require.Equal(t, map[string]any{"$ref": "#/$defs/block_hero"}, oneOf[1])
	require.Equal(t, map[string]any{"$ref": "#/$defs/block_section"}, oneOf[2])

	defs := s["$defs"].(map[string]any)
	require.ElementsMatch(t, []string{"block_hero", "block_section", "block_promo"}, keys(defs))
	hero := defs["block_hero"].(map[string]any)
	require.Equal(t, []any{"id", "type", "fields"}, hero["required"])
	heroProps := hero["properties"].(map[string]any)
	require.Equal(t, map[string]any{"const": "hero"}, heroProps["type"])
	heroFields := heroProps["fields"].(map[string]any)
	require.Equal(t, []any{"title"}, heroFields["required"])
	require.Equal(t, 80.0, heroFields["properties"].(map[string]any)["title"].(map[string]any)["maxLength"])
	requireRefsResolve(t, s, defs)
}

// TestJSONSchemaDeepNesting: block types first met deeper than blocks may
// nest still get a definition: no $ref may dangle.
func TestJSONSchemaDeepNesting(t *testing.T) {
	t.Parallel()
	types := map[string]ContentType{}
	chain := []string{"b1", "b2", "b3", "b4", "b5", "b6"}
	for i, k := range chain {
		ct := ContentType{Key: k, Name: k, Kind: TypeBlock, Fields: []Field{{Key: "text", Kind: KindText}}}
		if i+1 < len(chain) {
			ct.Fields = append(ct.Fields, Field{Key: "inner", Kind: KindBlocks, AllowedTypes: []string{chain[i+1]}})
		}
		types[k] = ct
	}
	page := ContentType{Key: "page", Name: "Page", Kind: TypeEntry, Fields: []Field{{Key: "blocks", Kind: KindBlocks, AllowedTypes: []string{"b1"}}}}
	s := schemaJSON(t, JSONSchema(page, lookup(types)))
	defs := s["$defs"].(map[string]any)
	require.Len(t, defs, len(chain))
	requireRefsResolve(t, s, defs)
}

func TestJSONSchemaFieldKinds(t *testing.T) {
	t.Parallel()
	ct := ContentType{Key: "all", Name: "All", Kind: TypeEntry, Fields: []Field{
		{Key: "text", Kind: KindText, Min: num(1), Max: num(3), Pattern: "^a", Name: "Text", Description: "a text"},
		{Key: "tags", Kind: KindText, List: true, Min: num(1), Max: num(2)},
		{Key: "rich", Kind: KindRichText},
		{Key: "n", Kind: KindNumber, Min: num(0), Max: num(9)},
		{Key: "b", Kind: KindBoolean},
		{Key: "at", Kind: KindDateTime},
		{Key: "e", Kind: KindEnum, Values: []string{"x", "y"}},
		{Key: "a", Kind: KindAsset},
		{Key: "any", Kind: KindJSON},
		{Key: "anyBlocks", Kind: KindBlocks},
	}}
	p := schemaJSON(t, JSONSchema(ct, lookup(nil)))["properties"].(map[string]any)
	require.Equal(t, map[string]any{"type": "string", "minLength": 1.0, "maxLength": 3.0, "pattern": "^a",
		"title": "Text", "description": "a text"}, p["text"])
	require.Equal(t, map[string]any{"type": "array", "items": map[string]any{"type": "string"}, "minItems": 1.0, "maxItems": 2.0}, p["tags"])
	require.Equal(t, "doc", p["rich"].(map[string]any)["properties"].(map[string]any)["type"].(map[string]any)["const"])
	require.Equal(t, map[string]any{"type": "number", "minimum": 0.0, "maximum": 9.0}, p["n"])
	require.Equal(t, map[string]any{"type": "boolean"}, p["b"])
	require.Equal(t, map[string]any{"type": "string", "format": "date-time"}, p["at"])
	require.Equal(t, map[string]any{"type": "string", "enum": []any{"x", "y"}}, p["e"])
	require.Equal(t, "uuid", p["a"].(map[string]any)["format"])
	require.Equal(t, map[string]any{}, p["any"])
	anyOf := p["anyBlocks"].(map[string]any)["items"].(map[string]any)["oneOf"].([]any)
	require.Len(t, anyOf, 2, "with no allowedTypes: a ref or any typed block")
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// requireRefsResolve walks the schema and checks every $ref names a def.
func requireRefsResolve(t *testing.T, node any, defs map[string]any) {
	t.Helper()
	switch n := node.(type) {
	case map[string]any:
		if r, ok := n["$ref"].(string); ok {
			name, found := strings.CutPrefix(r, "#/$defs/")
			require.True(t, found, r)
			_, ok := defs[name].(map[string]any)
			require.True(t, ok, "$ref %s has no definition", r)
		}
		for _, v := range n {
			requireRefsResolve(t, v, defs)
		}
	case []any:
		for _, v := range n {
			requireRefsResolve(t, v, defs)
		}
	}
}
