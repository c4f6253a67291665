package delivery_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/delivery"
	"github.com/mosaichq/mosaic/personalization"
)

// TestDecideWithoutVisitor: not personalized, every block shows its
// default, and the stored fields are shared, not copied.
func TestDecideWithoutVisitor(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	res := &content.Resolved{ID: "e1", Type: "page", Slug: "home", Fields: map[string]any{"title": "Home"},
		Blocks: []content.Block{{ID: "b1", Type: "hero", Fields: map[string]any{"headline": "Hi"},
			Variants: content.Variants(`[{"key": "vip", "fields": {"headline": "VIP only"}}]`)}}}
	e := delivery.Decide(res, "ro", nil, at, false)
	require.False(t, e.Personalized())
	require.Equal(t, "", e.Device())
	require.Equal(t, at, e.At)
	require.Equal(t, "ro", e.Locale)
	require.Equal(t, personalization.DefaultVariant, e.Decision.Variant)
	require.Equal(t, delivery.NotPersonalized, e.Decision.Reason)
	require.Len(t, e.Blocks, 1)
	require.Equal(t, "Hi", e.Blocks[0].Fields["headline"], "the default, never a variant's copy")
	require.Equal(t, personalization.DefaultVariant, e.Blocks[0].Decision.Variant)
	require.Same(t, &res.Blocks[0], e.Blocks[0].Stored)
}

func TestAssetWalker(t *testing.T) {
	t.Parallel()
	types := map[string]content.ContentType{
		"page": {Key: "page", Fields: []content.Field{
			{Key: "cover", Kind: content.KindAsset},
			{Key: "gallery", Kind: content.KindAsset, List: true},
			{Key: "blocks", Kind: content.KindBlocks},
			{Key: "title", Kind: content.KindText},
		}},
		"media": {Key: "media", Fields: []content.Field{{Key: "image", Kind: content.KindAsset}}},
	}
	lookup := func(k string) (content.ContentType, bool) { ct, ok := types[k]; return ct, ok }
	fields := map[string]any{
		"title":   "not an asset",
		"cover":   "a1",
		"gallery": []any{"a2", "a1", 7},
		"blocks": []any{
			map[string]any{"type": "media", "fields": map[string]any{"image": "a3"}},
			map[string]any{"type": "unknown", "fields": map[string]any{"image": "x"}},
		},
	}
	require.Equal(t, []string{"a1", "a2", "a3"}, delivery.AssetIDs(types["page"], fields, lookup, nil))
	require.Equal(t, []string{"a0", "a1", "a2", "a3"}, delivery.AssetIDs(types["page"], fields, lookup, []string{"a0"}))

	out, changed := delivery.WalkAssets(types["page"], fields, lookup, func(id string) any { return "<" + id + ">" })
	require.True(t, changed)
	require.Equal(t, "<a1>", out["cover"])
	require.Equal(t, []any{"<a2>", "<a1>", 7}, out["gallery"])
	require.Equal(t, "<a3>", out["blocks"].([]any)[0].(map[string]any)["fields"].(map[string]any)["image"])
	require.Equal(t, "a1", fields["cover"], "the shared input is never mutated")
	require.Equal(t, "a3", fields["blocks"].([]any)[0].(map[string]any)["fields"].(map[string]any)["image"])

	same, changed := delivery.WalkAssets(types["media"], map[string]any{"other": 1}, lookup, func(string) any { return nil })
	require.False(t, changed)
	require.Equal(t, map[string]any{"other": 1}, same)
}
