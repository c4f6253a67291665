package content

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

// decodedAsWhole is decodeField's result with every kept Variants decoded:
// it must be what encoding/json makes of the whole value.
func decodedAsWhole(t *testing.T, v any) any {
	t.Helper()
	switch x := v.(type) {
	case Variants:
		var out any
		require.NoError(t, json.Unmarshal(x, &out))
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = decodedAsWhole(t, e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = decodedAsWhole(t, e)
		}
		return out
	}
	return v
}

// TestStoredFieldsDecodeAsWhole: a row's fields decoded field by field,
// blocks with their variants kept as JSON, are encoding/json's decoding of
// the row — only the variants of a blocks field's blocks are left as JSON,
// nothing else is, whatever shape the stored value has.
func TestStoredFieldsDecodeAsWhole(t *testing.T) {
	ct := storedCT
	rows := []string{
		pageJSON(3),
		`{"title": "t", "data": [{"variants": [1, 2]}], "blocks": [{"id": "a", "type": "hero", "fields": {"title": "x",
		   "inner": [{"id": "n", "type": "hero", "variants": [{"key": "nested"}]}]}, "variants": [{"key": "v", "fields": {"title": "y"}}]},
		   {"id": "g", "ref": "00000000-0000-0000-0000-000000000001"}, "not a block", 4, null, {"id": "nv", "type": "hero", "variants": null}],
		  "more": [{"id": "m", "type": "hero", "variants": []}], "unknown": {"variants": 1}}`,
		// An escape in a member name: encoding/json reads the names.
		`{"ti\u0074le": "escaped", "blocks": [{"i\u0064": "e", "type": "hero", "variants": [{"key": "k"}], "fields": {}}]}`,
		`{"blocks": null, "title": null}`,
		`{"blocks": {"not": "a list"}}`,
	}
	for _, raw := range rows {
		requireDecodesAsWhole(t, ct, raw)
	}
	require.Nil(t, splitRow(nil))
	require.Nil(t, splitRow(json.RawMessage(`null`)))
}

// storedCT is a type with every kind of field a stored row's decoding
// treats apart.
var storedCT = ContentType{Key: "page", Fields: []Field{{Key: "title", Kind: KindText}, {Key: "data", Kind: KindJSON},
	{Key: "blocks", Kind: KindBlocks}, {Key: "more", Kind: KindBlocks}}}

// FuzzStoredFields: any stored object decodes as encoding/json decodes it,
// variants of blocks apart.
func FuzzStoredFields(f *testing.F) {
	f.Add(pageJSON(1))
	f.Add(`{"blocks": [{"id": "a", "variants": [{"key": "k"}], "variants": null}], "title": "x", "title": 2}`)
	f.Fuzz(func(t *testing.T, raw string) {
		var whole map[string]any
		if json.Unmarshal([]byte(raw), &whole) != nil || whole == nil {
			return
		}
		requireDecodesAsWhole(t, storedCT, raw)
	})
}

func requireDecodesAsWhole(t *testing.T, ct ContentType, raw string) {
	t.Helper()
	{
		var whole map[string]any
		require.NoError(t, json.Unmarshal([]byte(raw), &whole))
		row := splitRow(json.RawMessage(raw))
		for _, f := range ct.Fields {
			r, ok := row[f.Key]
			_, inWhole := whole[f.Key]
			require.Equal(t, inWhole, ok, "%s in %s", f.Key, raw)
			if !ok {
				continue
			}
			v, err := decodeField(f, r)
			require.NoError(t, err)
			if f.Kind != KindBlocks {
				require.Equal(t, whole[f.Key], v, "%s in %s", f.Key, raw)
				continue
			}
			require.Equal(t, whole[f.Key], decodedAsWhole(t, v), "%s in %s", f.Key, raw)
			// Only a block's own variants stay JSON.
			list, _ := v.([]any)
			for _, b := range list {
				m, _ := b.(map[string]any)
				for k, mv := range m {
					if _, isRaw := mv.(Variants); isRaw {
						require.Equal(t, variantsKey, k)
					}
				}
			}
		}
	}
}

// TestStoredBlocksDeliverNoVariants: an entry assembled from a stored row
// delivers no variant, in its blocks or its fields, and its blocks carry
// their variants as stored for the decision.
func TestStoredBlocksDeliverNoVariants(t *testing.T) {
	r := resolvedPage(t, 5)
	require.Len(t, r.Blocks, 8)
	for _, b := range r.Blocks {
		var list []any
		require.NoError(t, json.Unmarshal(b.Variants, &list))
		require.Len(t, list, 3)
		require.NotContains(t, b.Fields, variantsKey)
		require.NotNil(t, b.VariantsMemo)
	}
	out, err := json.Marshal(r.Fields)
	require.NoError(t, err)
	require.NotContains(t, string(out), "variants")
	require.NotContains(t, string(out), "for s1", "a variant's copy")
}

// BenchmarkStoredPage: reading a page of 8 targeted blocks from its row
// as delivery does now (the variants left as JSON) against decoding the
// whole row, as the store did before.
//
//	go test ./content -run '^$' -bench StoredPage -benchmem
func BenchmarkStoredPage(b *testing.B) {
	raw := json.RawMessage(pageJSON(7))
	ct := ContentType{Key: "page", Fields: []Field{{Key: "title", Kind: KindText}, {Key: "blocks", Kind: KindBlocks}}}
	b.Run("whole", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var m map[string]any
			if err := json.Unmarshal(raw, &m); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("stored", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			row := splitRow(raw)
			for _, f := range ct.Fields {
				if _, err := decodeField(f, row[f.Key]); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// TestMemoOneValue: concurrent first uses of a memo all get the one value
// kept, and later uses never derive again.
func TestMemoOneValue(t *testing.T) {
	m := &Memo{}
	got := make(chan any, 16)
	for i := range 16 {
		go func() { got <- m.Get(func() any { return &i }) }()
	}
	first := <-got
	for range 15 {
		require.Same(t, first, <-got)
	}
	require.Same(t, first, m.Get(func() any { t.Fatal("derived again"); return nil }))
	var nilMemo *Memo
	require.Equal(t, 7, nilMemo.Get(func() any { return 7 }), "a nil memo derives every time")
}
