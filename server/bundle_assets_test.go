package server_test

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/bundle"
	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/internal/testapp"
	"github.com/mosaichq/mosaic/internal/testimage"
)

// The manifest's sha256 and size are those of the bytes its URL serves: a
// kiosk checks the WebP rendition it downloads against it, not the JPEG
// original. Another device gets another rendition and its own digest.
// The manifest carries the asset's alt text in the bundle's locale.
func TestScreenBundleManifestDigestsWhatTheURLServes(t *testing.T) {
	app := newCampaignApp(t)
	jpg := testimage.JPEG(2400, 1600)
	a := uploaded(t, app.Upload(app.editor, uploadAsset, nil, testapp.File{Name: "map.jpg", Body: jpg}))
	id := a["id"].(string)
	// A kiosk shows the asset's alt text in the screen's locale.
	alt := app.Query(app.editor, `mutation($id: ID!, $in: AssetInput!, $v: Int!) { updateAsset(id: $id, input: $in, expectedVersion: $v) { version } }`,
		map[string]any{"id": id, "v": a["version"], "in": map[string]any{"altTexts": []any{map[string]any{"locale": "en", "text": "Map of the store"}}}})
	require.Empty(t, alt.Errors, alt.Raw)

	ctx := t.Context()
	r, err := app.Content.Entry(ctx, "screen", "lobby", "en")
	require.NoError(t, err)
	d, err := app.Content.Draft(ctx, r.ID, "en")
	require.NoError(t, err)
	blocks := d.Fields["blocks"].([]any)
	found := false
	for _, b := range blocks {
		m := b.(map[string]any)
		if m["id"] == "lobby-media" {
			m["fields"].(map[string]any)["asset"] = id
			found = true
		}
	}
	require.True(t, found, "the demo lobby has a media block")
	e, err := app.Content.UpdateEntry(ctx, "test", d.ID, "en", content.EntryPatch{Fields: d.Fields}, d.Version)
	require.NoError(t, err)
	_, err = app.Content.PublishEntry(ctx, "test", e.ID, "en", nil)
	require.NoError(t, err)

	original := sha256.Sum256(jpg)
	keys := publishedKeys(t, app.App)
	seen := map[string]string{}
	for _, device := range []string{"kiosk", "mobile"} {
		resp, doc := app.bundle(t, "channel=kiosk&locale=en&device="+device, "")
		require.Equal(t, http.StatusOK, resp.StatusCode, string(doc))
		require.NoError(t, bundle.Verify(doc, keys))
		b := decodeBundle(t, doc)
		require.Len(t, b.Assets, 1, device)
		m := b.Assets[0]
		require.Equal(t, id, m.ID)
		require.Equal(t, "Map of the store", m.Alt)
		require.Equal(t, "image/webp", m.ContentType, "%s gets its WebP rendition", device)
		require.NotEqual(t, hex.EncodeToString(original[:]), m.SHA256, "not the original's digest")

		fetched, body := app.Fetch(strings.TrimPrefix(m.URL, app.URL), nil)
		require.Equal(t, http.StatusOK, fetched.StatusCode, string(body))
		sum := sha256.Sum256(body)
		require.Equal(t, hex.EncodeToString(sum[:]), m.SHA256, "%s: the digest of the bytes at its URL", device)
		require.Equal(t, int64(len(body)), m.Size)
		seen[device] = m.SHA256
	}
	require.NotEqual(t, seen["kiosk"], seen["mobile"], "each device has its own rendition")

	// Built again (digest remembered), the manifest is the same.
	_, doc := app.bundle(t, "channel=kiosk&locale=en&device=kiosk", "")
	require.Equal(t, seen["kiosk"], decodeBundle(t, doc).Assets[0].SHA256)
}
