package campaign

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// withCopies adds one copy per variant of the old campaign, named for the
// new one, never touches the originals or other variants, and adds nothing
// to a list that already has a variant of the new campaign.
func TestWithCopies(t *testing.T) {
	t.Parallel()
	sale := func(key string) map[string]any {
		return map[string]any{"key": key, "campaign": "sale", "targeting": map[string]any{"channels": []any{"kiosk"}},
			"fields": map[string]any{"title": "Sale"}}
	}
	list := []any{map[string]any{"key": "vip"}, sale("sale"), sale("kiosk-sale"), map[string]any{"key": "sale-2"}}
	got := withCopies(list, "sale", "sale-2")
	require.Len(t, got, 6)
	require.Len(t, list, 4, "the original list is not changed")
	first, second := got[4].(map[string]any), got[5].(map[string]any)
	require.Equal(t, "sale-2-2", first["key"], "sale-2 is taken in this list")
	require.Equal(t, "kiosk-sale-sale-2", second["key"])
	require.Equal(t, "sale-2", first["campaign"])
	require.Equal(t, map[string]any{"channels": []any{"kiosk"}}, first["targeting"])
	first["fields"].(map[string]any)["title"] = "changed"
	require.Equal(t, "Sale", list[1].(map[string]any)["fields"].(map[string]any)["title"], "a copy shares nothing")
	require.Equal(t, "sale", list[1].(map[string]any)["campaign"])

	again := withCopies(got, "sale", "sale-2")
	require.Len(t, again, 6, "copies are made once")
	require.Len(t, withCopies([]any{map[string]any{"key": "vip"}}, "sale", "sale-2"), 1)

	fields := map[string]any{"blocks": []any{map[string]any{"id": "hero", "variants": []any{sale("sale")},
		"fields": map[string]any{"inner": []any{map[string]any{"id": "deep", "variants": []any{sale("sale")}}}}}}}
	require.Equal(t, 2, copyIn(fields, "sale", "sale-2", 0), "blocks at any depth")
}
