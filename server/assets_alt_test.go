package server_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
	"github.com/mosaichq/mosaic/internal/testimage"
)

// TestAltTextsRoundTrip: what a client reads as altTexts it sends back as
// altTexts, the same name and shape; the older input name alt still works,
// and sending both is refused rather than one silently winning.
func TestAltTextsRoundTrip(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{NoSeed: true})
	editor := app.Token(auth.RoleEditor)
	a := uploaded(t, app.Upload(editor, uploadAsset, nil, testapp.File{Name: "scarf.jpg", Body: testimage.JPEG(64, 48)}))
	update := `mutation($id: ID!, $in: AssetInput!, $v: Int!) { updateAsset(id: $id, input: $in, expectedVersion: $v) { version altTexts { locale text } } }`
	texts := []any{map[string]any{"locale": "en", "text": "Red scarf"}, map[string]any{"locale": "ro", "text": "Fular roșu"}}

	resp := app.Query(editor, update, map[string]any{"id": a["id"], "v": a["version"], "in": map[string]any{"altTexts": texts}})
	require.Empty(t, resp.Errors, resp.Raw)
	out := testapp.Path(resp.Data, "updateAsset", "altTexts")
	require.Equal(t, texts, out)

	// What was read goes straight back in.
	resp = app.Query(editor, update, map[string]any{"id": a["id"], "v": testapp.Path(resp.Data, "updateAsset", "version"),
		"in": map[string]any{"altTexts": out}})
	require.Empty(t, resp.Errors, resp.Raw)
	require.Equal(t, texts, testapp.Path(resp.Data, "updateAsset", "altTexts"))
	version := testapp.Path(resp.Data, "updateAsset", "version")

	both := app.Query(editor, update, map[string]any{"id": a["id"], "v": version, "in": map[string]any{"altTexts": texts, "alt": texts}})
	require.Equal(t, "BAD_USER_INPUT", both.Code(), both.Raw)
	require.Contains(t, both.Errors[0].Message, "altTexts")

	old := app.Query(editor, update, map[string]any{"id": a["id"], "v": version,
		"in": map[string]any{"alt": []any{map[string]any{"locale": "en", "text": ""}}}})
	require.Empty(t, old.Errors, old.Raw)
	require.Equal(t, []any{map[string]any{"locale": "ro", "text": "Fular roșu"}}, testapp.Path(old.Data, "updateAsset", "altTexts"),
		"the deprecated alt still edits")
}
