package search

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/content"
)

func TestDocumentCollectsBlocksText(t *testing.T) {
	t.Parallel()
	types := map[string]content.ContentType{}
	for _, ct := range []content.ContentType{
		{Key: "page", Kind: content.TypeEntry, Fields: []content.Field{
			{Key: "title", Kind: content.KindText}, {Key: "intro", Kind: content.KindRichText},
			{Key: "image", Kind: content.KindText}, {Key: "price", Kind: content.KindNumber},
			{Key: "tags", Kind: content.KindText, List: true}, {Key: "blocks", Kind: content.KindBlocks}}},
		{Key: "hero", Kind: content.TypeBlock, Fields: []content.Field{
			{Key: "title", Kind: content.KindText}, {Key: "style", Kind: content.KindEnum, Values: []string{"bold"}}}},
		{Key: "section", Kind: content.TypeBlock, Fields: []content.Field{{Key: "blocks", Kind: content.KindBlocks}}},
		{Key: "promo", Kind: content.TypeBlock, Fields: []content.Field{{Key: "headline", Kind: content.KindText}}},
	} {
		types[ct.Key] = ct
	}
	r := &content.Resolved{ID: "0b7a4bfa-1e2d-4c3b-9a8f-000000000001", Type: "page", Slug: "home", PublishedAt: time.Unix(0, 0),
		Fields: map[string]any{"title": "Home", "image": "/img/x.jpg", "price": 3.0, "tags": []any{"winter", " ", "sale"},
			"intro": map[string]any{"type": "doc", "content": []any{
				map[string]any{"type": "paragraph", "content": []any{map[string]any{"type": "text", "text": "First"}}},
				map[string]any{"type": "paragraph", "content": []any{map[string]any{"type": "text", "text": "second <b>"}}}}}},
		Blocks: []content.Block{
			{ID: "h", Type: "hero", Fields: map[string]any{"title": "Big news", "style": "bold"},
				Variants: content.Variants(`[{"key": "vip", "fields": {"title": "Secret"}}]`)},
			{ID: "s", Type: "section", Fields: map[string]any{"blocks": []any{
				map[string]any{"id": "n", "type": "hero", "fields": map[string]any{"title": "Nested"}}}}},
			{ID: "p", Type: "promo", GlobalID: "0b7a4bfa-1e2d-4c3b-9a8f-000000000002", Fields: map[string]any{"headline": "Free shipping"}},
		}}
	d := newDocument(r, "ro-RO", types)
	require.Equal(t, "Home", d.title)
	require.Equal(t, []string{"winter", "sale"}, d.tags)
	require.Equal(t, []string{"0b7a4bfa-1e2d-4c3b-9a8f-000000000002"}, d.refs)
	body := strings.Join(d.body, "|")
	require.Equal(t, "First\nsecond <b>|Big news|bold|Nested|Free shipping", body)
	f := d.fields()
	require.Equal(t, "Home", f["title_ro"])
	require.Equal(t, "ro-RO", f[fieldLocale])
	require.NotContains(t, body, "Secret", "variants are not indexed")
	require.NotContains(t, body, "/img", "links are not text")

	entry, loc := splitDocID(docID(r.ID, "ro-RO"))
	require.Equal(t, r.ID, entry)
	require.Equal(t, "ro-RO", loc)
}

func TestDocumentTitleFallsBackToSlug(t *testing.T) {
	t.Parallel()
	ct := content.ContentType{Key: "screen", Kind: content.TypeEntry, Fields: []content.Field{{Key: "orientation", Kind: content.KindEnum}}}
	d := newDocument(&content.Resolved{Type: "screen", Slug: "lobby", Fields: map[string]any{"orientation": "landscape"}},
		"en", map[string]content.ContentType{"screen": ct})
	require.Equal(t, "lobby", d.title)
	require.Equal(t, []string{"landscape"}, d.body)
}
