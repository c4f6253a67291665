package content

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

// A delivered entry's fields never carry stored variants: the blocks field
// holds the blocks as delivered, and blocks nested in blocks lose theirs.
func TestDeliverableStripsVariants(t *testing.T) {
	t.Parallel()
	types := testModel()
	fields := decodeRow(t, types["page"], `{"title": "Home", "blocks": [
	  {"id": "h", "type": "hero", "fields": {"title": "Default"},
	   "variants": [{"key": "vip", "fields": {"title": "Secret vip copy"}}]},
	  {"id": "s", "type": "section", "fields": {"blocks": [
	    {"id": "p", "type": "promo", "fields": {"headline": "Shown"},
	     "variants": [{"key": "bf", "campaign": "black-friday", "fields": {"headline": "40% off"}}]}]}}]}`)
	stored, err := json.Marshal(fields)
	require.NoError(t, err)
	d := &Resolved{Type: "page", Fields: fields}
	d.Blocks = buildBlocks(types, d, func(string) *Resolved { return nil })
	deliverable(types, d)

	out, err := json.Marshal(d.Fields)
	require.NoError(t, err)
	require.JSONEq(t, `{"title": "Home", "blocks": [
	  {"id": "h", "type": "hero", "fields": {"title": "Default"}},
	  {"id": "s", "type": "section", "fields": {"blocks": [{"id": "p", "type": "promo", "fields": {"headline": "Shown"}}]}}]}`, string(out))
	require.Equal(t, "blocks", d.BlocksKey)
	// The engine still gets the top-level variants; the stored fields are
	// untouched (they may be shared).
	var variants []any
	require.NoError(t, json.Unmarshal(d.Blocks[0].Variants, &variants))
	require.Len(t, variants, 1)
	after, err := json.Marshal(fields)
	require.NoError(t, err)
	require.JSONEq(t, string(stored), string(after))

	// WithBlocks shows a chosen variant's fields in the blocks field.
	chosen := d.WithBlocks(d.Fields, func(i int) map[string]any {
		if i == 0 {
			return map[string]any{"title": "Secret vip copy"}
		}
		return d.Blocks[i].Fields
	})
	require.Equal(t, "Secret vip copy", chosen["blocks"].([]any)[0].(map[string]any)["fields"].(map[string]any)["title"])
	require.Equal(t, "Default", d.Fields["blocks"].([]any)[0].(map[string]any)["fields"].(map[string]any)["title"])
}

// decodeRow decodes a stored row of type ct as delivery does (stored.go).
func decodeRow(t *testing.T, ct ContentType, raw string) map[string]any {
	t.Helper()
	row := splitRow(json.RawMessage(raw))
	out := map[string]any{}
	for _, f := range ct.Fields {
		if r, ok := row[f.Key]; ok {
			v, err := decodeField(f, r)
			require.NoError(t, err)
			out[f.Key] = v
		}
	}
	return out
}
