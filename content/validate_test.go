package content

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestFieldKinds checks each field kind's accepted and refused values; want
// is a fragment of the one expected problem, "" for a valid value.
func TestFieldKinds(t *testing.T) {
	t.Parallel()
	text := Field{Kind: KindText, Min: num(2), Max: num(5)}
	sku := Field{Kind: KindText, Pattern: `^[A-Z]{3}-\d+$`}
	price := Field{Kind: KindNumber, Min: num(0), Max: num(100)}
	enum := Field{Kind: KindEnum, Values: []string{"shoes", "hats"}}
	ref := Field{Kind: KindReference, AllowedTypes: []string{"product"}}
	tags := Field{Kind: KindText, List: true, Max: num(2)}
	refs := Field{Kind: KindReference, List: true}
	cases := []struct {
		name  string
		field Field
		value any
		want  string
	}{
		{"text ok", text, "abc", ""},
		{"text counts runes not bytes", text, "ăîșțâ", ""},
		{"text too short", text, "a", "at least 2 characters"},
		{"text too long", text, "abcdef", "at most 5 characters"},
		{"text not a string", text, 12.0, "must be a string"},
		{"pattern ok", sku, "ABC-12", ""},
		{"pattern refused", sku, "abc-12", "does not match pattern"},
		{"number ok", price, 99.5, ""},
		{"number at bound", price, 0.0, ""},
		{"number below min", price, -1.0, "at least 0"},
		{"number above max", price, 100.01, "at most 100"},
		{"number as string", price, "5", "must be a number"},
		{"number NaN", price, math.NaN(), "must be a number"},
		{"number Inf", price, math.Inf(1), "must be a number"},
		{"boolean ok", Field{Kind: KindBoolean}, false, ""},
		{"boolean as string", Field{Kind: KindBoolean}, "true", "true or false"},
		{"dateTime ok", Field{Kind: KindDateTime}, "2026-12-01T09:00:00Z", ""},
		{"dateTime with offset and fraction", Field{Kind: KindDateTime}, "2026-12-01T09:00:00.123+02:00", ""},
		{"dateTime date only", Field{Kind: KindDateTime}, "2026-12-01", "RFC 3339"},
		{"dateTime number", Field{Kind: KindDateTime}, 1.7e9, "RFC 3339"},
		{"enum ok", enum, "hats", ""},
		{"enum unknown value", enum, "socks", "must be one of [shoes hats]"},
		{"enum is case sensitive", enum, "Hats", "must be one of"},
		{"reference ok", ref, idA, ""},
		{"reference not a uuid", ref, "home", "must be an entry id"},
		{"reference upper-case uuid", ref, strings.ToUpper(idA), "must be an entry id"},
		{"asset ok", Field{Kind: KindAsset}, idB, ""},
		{"asset not an id", Field{Kind: KindAsset}, "logo.png", "must be an asset id"},
		{"json takes anything", Field{Kind: KindJSON}, map[string]any{"a": []any{1.0, nil}}, ""},
		{"list ok", tags, []any{"a", "b"}, ""},
		{"list too long", tags, []any{"a", "b", "c"}, "at most 2 items"},
		{"list not a list", tags, "a", "must be a list"},
		{"list item wrong kind", tags, []any{"a", 1.0}, "f.1: must be a string"},
		{"list of references", refs, []any{idA, "nope"}, "f.1: must be an entry id"},
		{"richText ok", Field{Kind: KindRichText}, map[string]any{"type": "doc"}, ""},
		{"richText as HTML string", Field{Kind: KindRichText}, "<p>hi</p>", "invalid rich text"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := problemsOf(tc.field, tc.value)
			if tc.want == "" {
				require.Empty(t, got)
				return
			}
			require.Len(t, got, 1, "problems: %v", got)
			require.Contains(t, got[0], tc.want)
		})
	}
}

func TestRichTextBounds(t *testing.T) {
	t.Parallel()
	doc := jsonValue(t, `{"type":"doc","content":[{"type":"paragraph","content":[{"type":"text","text":"Bună ziua"}]}]}`)
	require.Empty(t, problemsOf(Field{Kind: KindRichText, Max: num(9)}, doc))
	require.Contains(t, problemsOf(Field{Kind: KindRichText, Max: num(8)}, doc)[0], "at most 8 characters")
}

func TestFieldsRequiredUnknownAndNull(t *testing.T) {
	t.Parallel()
	types := testModel()
	v := validate(types, types["page"], jsonMap(t, `{"blocks":[],"colour":"red"}`), true)
	requireProblem(t, v.problems, "fields.title", "is required")
	requireProblem(t, v.problems, "fields.colour", `"page" has no field "colour"`)
	require.Len(t, v.problems, 2)

	// null means "not set": dropped, and then required when it must be.
	fields := jsonMap(t, `{"title":"Home","code":null}`)
	v = validate(types, types["page"], fields, true)
	require.Empty(t, v.problems)
	require.NotContains(t, fields, "code")
	v = validate(types, types["page"], jsonMap(t, `{"title":null}`), true)
	requireProblem(t, v.problems, "fields.title", "is required")
}

func TestFieldsOtherLocale(t *testing.T) {
	t.Parallel()
	types := testModel()
	// A non-default locale sets localized fields only...
	v := validate(types, types["page"], jsonMap(t, `{"title":"Acasă","code":"x"}`), false)
	requireProblem(t, v.problems, "fields.code", "not localized")
	require.Len(t, v.problems, 1)
	// ...and may leave out required ones: they fall back to the default locale.
	v = validate(types, types["page"], map[string]any{}, false)
	require.Empty(t, v.problems)
	// Blocks it does carry are complete documents, required fields and all.
	v = validate(types, types["page"], jsonMap(t, `{"blocks":[{"type":"hero","fields":{}}]}`), false)
	requireProblem(t, v.problems, "fields.blocks.0.fields.title", "is required")
}

func TestUniqueAndLinksCollected(t *testing.T) {
	t.Parallel()
	types := testModel()
	ct := types["page"]
	ct.Fields[3].Unique = true
	v := validate(types, ct, jsonMap(t, `{"title":"x","code":"A1","featured":"`+idA+`","blocks":[{"id":"g","ref":"`+idB+`"}]}`), true)
	require.Empty(t, v.problems)
	require.Equal(t, []UniqueValue{{Field: "code", Value: "A1"}}, v.uniques)
	require.ElementsMatch(t, []Link{
		{Path: "fields.featured", ID: idA, AllowedTypes: []string{"product"}},
		{Path: "fields.blocks.0.ref", ID: idB, Block: true},
	}, v.links)
}

func TestValidationReportsEveryProblem(t *testing.T) {
	t.Parallel()
	types := testModel()
	v := validate(types, types["page"], jsonMap(t, `{"title":7,"featured":"x","code":[],"blocks":{}}`), true)
	require.Len(t, v.problems, 4, "one pass reports all: %v", v.problems)
}
