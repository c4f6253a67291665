package experience

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/errs"
)

// typeSet serves content types by key, as the content service would.
type typeSet map[string]content.ContentType

func (ts typeSet) ContentType(_ context.Context, key string) (content.ContentType, error) {
	if ct, ok := ts[key]; ok {
		return ct, nil
	}
	return content.ContentType{}, errs.E(errs.NotFound, "no type %q", key)
}

func jsonMap(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(s), &m))
	return m
}

// The rollout rewrite, table by table of what a marketer expects: the
// winner's untargeted copy becomes the default (in nested blocks too), a
// targeted winner keeps its audience as an ordinary variant, the losing
// arms and other experiments' variants are handled as they should be, and
// the input is not changed in place.
func TestRolloutRewrite(t *testing.T) {
	t.Parallel()
	types := typeSet{
		"page":    {Key: "page", Fields: []content.Field{{Key: "title", Kind: content.KindText}, {Key: "body", Kind: content.KindBlocks}}},
		"section": {Key: "section", Fields: []content.Field{{Key: "items", Kind: content.KindBlocks}}},
		"cta":     {Key: "cta", Fields: []content.Field{{Key: "label", Kind: content.KindText}}},
	}
	in := `{"title": "Home", "body": [
		{"id": "cta", "type": "cta", "fields": {"label": "Buy", "style": "primary"}, "variants": [
			{"key": "vip", "targeting": {"segments": ["vip"]}, "fields": {"label": "Hello VIP"}},
			{"key": "cta-a", "experiment": "x", "arm": "a", "fields": {"label": "Buy now"}},
			{"key": "cta-b", "experiment": "x", "arm": "b", "fields": {"label": "Get it", "style": "secondary"}},
			{"key": "cta-b-mobile", "experiment": "x", "arm": "b", "targeting": {"devices": ["mobile"]}, "fields": {"label": "Tap"}},
			{"key": "other", "experiment": "y", "arm": "b", "fields": {"label": "Other test"}}]},
		{"id": "sec", "type": "section", "fields": {"items": [
			{"id": "inner", "type": "cta", "fields": {"label": "Inner"}, "variants": [
				{"key": "i-b", "experiment": "x", "arm": "b", "fields": {"label": "Inner b"}}]}]}},
		{"id": "promo", "ref": "00000000-0000-0000-0000-000000000001"}]}`
	fields := jsonMap(t, in)
	r := rollout{experiment: "x", winner: "b", types: types}
	got := r.fields(t.Context(), types["page"], fields, 0)
	want := jsonMap(t, `{"title": "Home", "body": [
		{"id": "cta", "type": "cta", "fields": {"label": "Get it", "style": "secondary"}, "variants": [
			{"key": "vip", "targeting": {"segments": ["vip"]}, "fields": {"label": "Hello VIP"}},
			{"key": "cta-b-mobile", "targeting": {"devices": ["mobile"]}, "fields": {"label": "Tap"}},
			{"key": "other", "experiment": "y", "arm": "b", "fields": {"label": "Other test"}}]},
		{"id": "sec", "type": "section", "fields": {"items": [
			{"id": "inner", "type": "cta", "fields": {"label": "Inner b"}, "variants": []}]}},
		{"id": "promo", "ref": "00000000-0000-0000-0000-000000000001"}]}`)
	require.Equal(t, want, got)
	require.Equal(t, jsonMap(t, in), fields, "the draft read is not changed in place")

	// The control winning: its variant's copy becomes the default; b's go.
	got = rollout{experiment: "x", winner: "a", types: types}.fields(t.Context(), types["page"], jsonMap(t, in), 0)
	cta := got["body"].([]any)[0].(map[string]any)
	require.Equal(t, map[string]any{"label": "Buy now", "style": "primary"}, cta["fields"])
	require.Len(t, cta["variants"], 2, "vip and the other experiment's stay")

	// An entry's own variants (a global block's): the winner's copy comes back
	// to be merged into the entry's fields.
	kept, win := r.variants([]any{jsonMap(t, `{"key": "k", "targeting": {"channels": ["kiosk"]}, "fields": {"body": "Kiosk"}}`),
		jsonMap(t, `{"key": "p-b", "experiment": "x", "arm": "b", "fields": {"body": "B copy"}}`),
		jsonMap(t, `{"key": "p-a", "experiment": "x", "arm": "a", "fields": {"body": "A copy"}}`)})
	require.Equal(t, map[string]any{"body": "B copy"}, win)
	require.Len(t, kept, 1)
	require.Equal(t, "k", kept[0].(map[string]any)["key"])

	// A winner with only a campaign condition is targeted too: it stays.
	kept, win = r.variants([]any{jsonMap(t, `{"key": "c", "experiment": "x", "arm": "b", "campaign": "sale", "fields": {"t": 1}}`)})
	require.Nil(t, win)
	require.Equal(t, []any{map[string]any{"key": "c", "campaign": "sale", "fields": map[string]any{"t": 1.0}}}, kept)
}
