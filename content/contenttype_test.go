package content

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/errs"
)

func TestTypeDefinition(t *testing.T) {
	t.Parallel()
	valid := func() ContentType {
		return ContentType{Key: "product", Name: "Product", Kind: TypeEntry, Fields: []Field{
			{Key: "title", Kind: KindText, Required: true, Localized: true, Max: num(120), Pattern: `^\S`},
			{Key: "sku", Kind: KindText, Unique: true},
			{Key: "price", Kind: KindNumber, Min: num(0), Unique: true},
			{Key: "category", Kind: KindEnum, Values: []string{"shoes", "hats"}, Unique: true},
			{Key: "tags", Kind: KindText, List: true, Max: num(5)},
			{Key: "related", Kind: KindReference, List: true, AllowedTypes: []string{"product"}},
			{Key: "gallery", Kind: KindAsset, List: true},
			{Key: "blocks", Kind: KindBlocks, Max: num(20)},
			{Key: "extra", Kind: KindJSON},
		}}
	}
	require.NoError(t, valid().validateDefinition())

	cases := []struct {
		name   string
		modify func(*ContentType)
		path   string
		want   string
	}{
		{"bad key", func(ct *ContentType) { ct.Key = "Product" }, "key", "lowercase letter"},
		{"key with dash", func(ct *ContentType) { ct.Key = "my-type" }, "key", "lowercase letter"},
		{"key too long", func(ct *ContentType) { ct.Key = "a" + strings.Repeat("b", 64) }, "key", "max 64"},
		{"no name", func(ct *ContentType) { ct.Name = "" }, "name", "is required"},
		{"bad kind", func(ct *ContentType) { ct.Kind = "document" }, "kind", "must be"},
		{"bad field key", func(ct *ContentType) { ct.Fields[0].Key = "1title" }, "fields.0.key", "lowercase letter"},
		{"duplicate field", func(ct *ContentType) { ct.Fields[1].Key = "title" }, "fields.1.key", `duplicate field key "title"`},
		{"unknown field kind", func(ct *ContentType) { ct.Fields[0].Kind = "html" }, "fields.0.kind", `unknown kind "html"`},
		{"pattern on number", func(ct *ContentType) { ct.Fields[2].Pattern = `\d` }, "fields.2.pattern", "only text fields"},
		{"bad pattern", func(ct *ContentType) { ct.Fields[0].Pattern = `(` }, "fields.0.pattern", "invalid regular expression"},
		{"huge pattern", func(ct *ContentType) { ct.Fields[0].Pattern = strings.Repeat("a", maxPattern+1) }, "fields.0.pattern", "at most"},
		{"enum without values", func(ct *ContentType) { ct.Fields[3].Values = nil }, "fields.3.values", "between 1 and"},
		{"values on text", func(ct *ContentType) { ct.Fields[1].Values = []string{"a"} }, "fields.1.values", "only enum fields"},
		{"allowedTypes on text", func(ct *ContentType) { ct.Fields[1].AllowedTypes = []string{"product"} }, "fields.1.allowedTypes", "only reference and blocks"},
		{"list of numbers", func(ct *ContentType) { ct.Fields[2].List = true; ct.Fields[2].Unique = false }, "fields.2.list", "can be lists"},
		{"unique list", func(ct *ContentType) { ct.Fields[4].Unique = true }, "fields.4.unique", "only single"},
		{"unique json", func(ct *ContentType) { ct.Fields[8].Unique = true }, "fields.8.unique", "only single"},
		{"min above max", func(ct *ContentType) { ct.Fields[0].Min = num(200) }, "fields.0.min", "greater than max"},
		{"bounds on boolean", func(ct *ContentType) {
			ct.Fields = append(ct.Fields, Field{Key: "flag", Kind: KindBoolean, Max: num(1)})
		}, "fields.9.min", "take no min/max"},
		{"too many fields", func(ct *ContentType) {
			for i := len(ct.Fields); i <= maxFields; i++ {
				ct.Fields = append(ct.Fields, Field{Key: fmt.Sprintf("f%d", i), Kind: KindText})
			}
		}, "fields", "at most 100 fields"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ct := valid()
			tc.modify(&ct)
			err := ct.validateDefinition()
			requireCode(t, err, errs.BadUserInput)
			e, _ := errs.As(err)
			requireProblem(t, e.Fields, tc.path, tc.want)
		})
	}
}

func TestTypeFieldLookups(t *testing.T) {
	t.Parallel()
	page := testModel()["page"]
	f, ok := page.Field("featured")
	require.True(t, ok)
	require.Equal(t, KindReference, f.Kind)
	_, ok = page.Field("nope")
	require.False(t, ok)
	b, ok := page.BlocksField()
	require.True(t, ok)
	require.Equal(t, "blocks", b.Key)
	_, ok = testModel()["promo"].BlocksField()
	require.False(t, ok)
}

func TestEntryStatus(t *testing.T) {
	t.Parallel()
	require.Equal(t, StatusDraft, Entry{Version: 3}.Status())
	require.Equal(t, StatusPublished, Entry{Version: 3, PublishedVersion: 2, PublishedDraftVersion: 3}.Status())
	require.Equal(t, StatusChanged, Entry{Version: 4, PublishedVersion: 2, PublishedDraftVersion: 3}.Status())
}
