package server_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
)

const previewHome = `query($ctx: ExperienceContext) {
  entry(slug: "home", type: "page", context: $ctx) { id version blocks { id fields } }
}`

// heroTitle returns the hero block's title from a previewHome response.
func heroTitle(t *testing.T, resp testapp.Response) any {
	t.Helper()
	require.Empty(t, resp.Errors, resp.Raw)
	for _, b := range testapp.Path(resp.Data, "entry", "blocks").([]any) {
		if testapp.Path(b, "id") == "hero" {
			return testapp.Path(b, "fields", "title")
		}
	}
	t.Fatalf("no hero block in %s", resp.Raw)
	return nil
}

// TestPreviewShowsDrafts: context.preview reads the latest drafts, for
// preview-capable callers only, and such a response is never cached.
func TestPreviewShowsDrafts(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{})
	editor := app.Token(auth.RoleEditor)
	preview := map[string]any{"ctx": map[string]any{"preview": true}}

	public := app.Query("", previewHome, nil)
	published := heroTitle(t, public)
	id := testapp.Path(public.Data, "entry", "id").(string)

	// The editor retitles the hero in a draft, without publishing.
	draft, err := app.Content.Draft(context.Background(), id, "")
	require.NoError(t, err)
	for _, it := range draft.Fields["blocks"].([]any) {
		b := it.(map[string]any)
		if b["id"] == "hero" {
			b["fields"].(map[string]any)["title"] = "Draft hero title"
		}
	}
	upd := app.Query(editor, `mutation($id: ID!, $f: JSON, $v: Int!) { updateEntry(id: $id, input: {fields: $f}, expectedVersion: $v) { version } }`,
		map[string]any{"id": id, "f": draft.Fields, "v": draft.Version})
	require.Empty(t, upd.Errors, upd.Raw)

	require.Equal(t, published, heroTitle(t, app.Query("", previewHome, nil)), "public delivery shows the published title")
	require.Equal(t, published, heroTitle(t, app.Query(editor, previewHome, nil)), "without preview an editor sees what is published")

	resp := app.Query(editor, previewHome, preview)
	require.Equal(t, "Draft hero title", heroTitle(t, resp))
	require.Equal(t, float64(draft.Version+1), testapp.Path(resp.Data, "entry", "version"), "a preview carries the draft version")
	require.Equal(t, "private, no-store", resp.Header.Get("Cache-Control"))

	// Previewing did not fill the published cache.
	require.Equal(t, published, heroTitle(t, app.Query("", previewHome, nil)))

	forbidden := app.Query("", previewHome, preview)
	require.Equal(t, "FORBIDDEN", forbidden.Code(), forbidden.Raw)
	require.Nil(t, testapp.Path(forbidden.Data, "entry"))
}

func TestPreviewShowsUnpublishedEntries(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{})
	editor := app.Token(auth.RoleEditor)
	created := app.Query(editor, `mutation { createEntry(input: {type: "page", slug: "preview-only", fields: {title: "Coming soon"}}) { id } }`, nil)
	require.Empty(t, created.Errors, created.Raw)

	const q = `query($ctx: ExperienceContext) {
  entry(slug: "preview-only", type: "page", context: $ctx) { slug fields }
  entries(type: "page", first: 50, context: $ctx) { nodes { slug } }
}`
	slugs := func(resp testapp.Response) []any {
		var out []any
		for _, n := range testapp.Path(resp.Data, "entries", "nodes").([]any) {
			out = append(out, testapp.Path(n, "slug"))
		}
		return out
	}
	for _, token := range []string{"", editor} {
		resp := app.Query(token, q, nil)
		require.Empty(t, resp.Errors, resp.Raw)
		require.Nil(t, testapp.Path(resp.Data, "entry"), "an unpublished entry is not delivered")
		require.NotContains(t, slugs(resp), "preview-only")
	}

	resp := app.Query(editor, q, map[string]any{"ctx": map[string]any{"preview": true}})
	require.Empty(t, resp.Errors, resp.Raw)
	require.Equal(t, "Coming soon", testapp.Path(resp.Data, "entry", "fields", "title"))
	require.Contains(t, slugs(resp), "preview-only")
	require.Contains(t, slugs(resp), "home")
	require.Equal(t, "private, no-store", resp.Header.Get("Cache-Control"))
}
