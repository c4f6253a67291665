package server_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
	"github.com/mosaichq/mosaic/internal/testblob"
	"github.com/mosaichq/mosaic/internal/testimage"
)

// publishGallery publishes a page whose media block shows asset def, with
// a kiosk variant showing asset kiosk instead.
func publishGallery(t *testing.T, app *testapp.App, def, kiosk string) testapp.Response {
	t.Helper()
	pub := app.Token(auth.RolePublisher)
	resp := app.Query(pub, `mutation($f: JSON!) { createEntry(input: {type: "page", slug: "gallery", fields: $f}) { id version } }`,
		map[string]any{"f": map[string]any{"title": "Gallery", "blocks": []any{map[string]any{
			"id": "pic", "type": "media", "fields": map[string]any{"url": "/gallery", "asset": def},
			"variants": []any{map[string]any{"key": "big-screen", "targeting": map[string]any{"devices": []any{"kiosk"}},
				"fields": map[string]any{"asset": kiosk}}},
		}}}})
	if len(resp.Errors) > 0 {
		return resp
	}
	id := testapp.Path(resp.Data, "createEntry", "id")
	p := app.Query(pub, `mutation($id: ID!) { publishEntry(id: $id, expectedVersion: 1) { status } }`, map[string]any{"id": id})
	require.Empty(t, p.Errors, p.Raw)
	return resp
}

const galleryQuery = `query($ctx: ExperienceContext) {
  entry(slug: "gallery", type: "page", context: $ctx) { blocks { fields decision { variant } } }
}`

// Asset fields in blocks, variants included, deliver the rendition that
// fits the request's device.
func TestAssetFieldsResolvePerDevice(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{})
	editor := app.Token(auth.RoleEditor)
	input := map[string]any{"input": map[string]any{"alt": []any{map[string]any{"locale": "en", "text": "Lookbook"}}}}
	photo := uploaded(t, app.Upload(editor, uploadAsset, input, testapp.File{Name: "look.jpg", Body: testimage.JPEG(2400, 1600)}))
	wall := uploaded(t, app.Upload(editor, uploadAsset, nil, testapp.File{Name: "wall.png", Body: testimage.PNG(1000, 400)}))

	bad := publishGallery(t, app, "00000000-0000-0000-0000-000000000000", wall["id"].(string))
	require.Equal(t, "BAD_USER_INPUT", bad.Code(), "an entry cannot point at a missing asset")
	require.Contains(t, bad.Raw, "does not exist")
	publishGallery(t, app, photo["id"].(string), wall["id"].(string))

	for _, tc := range []struct {
		device, variant, id, url string
		width                    float64
	}{
		{"watch", "default", photo["id"].(string), "fmt=webp&w=320", 320},
		{"mobile", "default", photo["id"].(string), "fmt=webp&w=640", 640},
		{"tablet", "default", photo["id"].(string), "fmt=webp&w=1280", 1280},
		{"desktop", "default", photo["id"].(string), "fmt=webp&w=1920", 1920},
		{"tv", "default", photo["id"].(string), "fmt=webp&w=3840", 2400},
		{"kiosk", "big-screen", wall["id"].(string), "fmt=webp&w=3840", 1000},
	} {
		resp := app.Query("", galleryQuery, map[string]any{"ctx": map[string]any{"device": tc.device}})
		require.Empty(t, resp.Errors, resp.Raw)
		b := testapp.Path(resp.Data, "entry", "blocks", 0)
		require.Equal(t, tc.variant, testapp.Path(b, "decision", "variant"), tc.device)
		asset := testapp.Path(b, "fields", "asset").(map[string]any)
		require.Equal(t, tc.id, asset["id"], tc.device)
		require.True(t, strings.HasSuffix(asset["url"].(string), "?"+tc.url), "%s: %s", tc.device, asset["url"])
		require.Equal(t, tc.width, asset["width"], tc.device)
		require.Equal(t, "image/webp", asset["contentType"], tc.device)
		r, body := app.Fetch(asset["url"].(string), nil)
		require.Equal(t, http.StatusOK, r.StatusCode, "%s: %s", tc.device, body)
	}
	resp := app.Query("", galleryQuery, map[string]any{"ctx": map[string]any{"device": "watch"}})
	require.Equal(t, "Lookbook", testapp.Path(resp.Data, "entry", "blocks", 0, "fields", "asset", "alt"))
	// No device known: the original.
	resp = app.Query("", galleryQuery, nil)
	require.Empty(t, resp.Errors, resp.Raw)
	require.Equal(t, photo["url"], testapp.Path(resp.Data, "entry", "blocks", 0, "fields", "asset", "url"))
	require.Equal(t, "image/jpeg", testapp.Path(resp.Data, "entry", "blocks", 0, "fields", "asset", "contentType"))
	// A user agent says which device a web visitor has.
	req, _ := http.NewRequest(http.MethodPost, app.URL+"/graphql", strings.NewReader(`{"query": "{ entry(slug: \"gallery\", type: \"page\") { blocks { fields } } }"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148")
	resp = app.Do(req, "")
	require.Empty(t, resp.Errors, resp.Raw)
	require.Contains(t, testapp.Path(resp.Data, "entry", "blocks", 0, "fields", "asset", "url"), "w=640")
}

func TestDirectUploadThroughTheAPI(t *testing.T) {
	t.Parallel()
	onBothStores(t, func(t *testing.T, opts testapp.Options) {
		app := testapp.New(t, opts)
		editor := app.Token(auth.RoleEditor)
		png := testimage.PNG(300, 200)
		resp := app.Query(editor, `mutation($in: CreateUploadInput!) { createUpload(input: $in) { id url method headers maxBytes } }`,
			map[string]any{"in": map[string]any{"filename": "plan.png", "contentType": "image/png", "size": len(png)}})
		require.Empty(t, resp.Errors, resp.Raw)
		u := resp.Data["createUpload"].(map[string]any)
		target := u["url"].(string)
		if strings.HasPrefix(target, "/") {
			target = app.URL + target
		}
		req, err := http.NewRequest(u["method"].(string), target, bytes.NewReader(png))
		require.NoError(t, err)
		req.Header.Set("Content-Type", testapp.Path(u, "headers", "Content-Type").(string))
		r, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		r.Body.Close()
		require.Equal(t, http.StatusOK, r.StatusCode)

		fin := app.Query(editor, `mutation($id: ID!) { finalizeUpload(id: $id, input: {tags: ["plan"]}) { id width height tags url } }`,
			map[string]any{"id": u["id"]})
		require.Empty(t, fin.Errors, fin.Raw)
		require.EqualValues(t, 300, testapp.Path(fin.Data, "finalizeUpload", "width"))
		r2, body := app.Fetch(testapp.Path(fin.Data, "finalizeUpload", "url").(string), nil)
		require.Equal(t, http.StatusOK, r2.StatusCode)
		require.Equal(t, png, body)

		again := app.Query(editor, `mutation($id: ID!) { finalizeUpload(id: $id) { id } }`, map[string]any{"id": u["id"]})
		require.Equal(t, "NOT_FOUND", again.Code())
		bad := app.Query(editor, `mutation { createUpload(input: {filename: "../up.png", contentType: "image/png", size: 10}) { id } }`, nil)
		require.Equal(t, "BAD_USER_INPUT", bad.Code())
		anon := app.Query("", `mutation { createUpload(input: {filename: "up.png", contentType: "image/png", size: 10}) { id } }`, nil)
		require.Equal(t, "UNAUTHENTICATED", anon.Code())
	})
}

func onBothStores(t *testing.T, fn func(t *testing.T, opts testapp.Options)) {
	t.Run("local", func(t *testing.T) { t.Parallel(); fn(t, testapp.Options{NoSeed: true}) })
	t.Run("s3", func(t *testing.T) { t.Parallel(); fn(t, testapp.Options{NoSeed: true, Blobs: testblob.S3(t)}) })
}

// The S3 server going away mid-run: uploads and asset reads fail with a
// clear code, nothing is half-written, content keeps being served, and it
// all works again when the server is back.
func TestStorageOutage(t *testing.T) {
	t.Parallel()
	cfg := testblob.S3Config(t)
	proxy := testblob.NewProxy(t, cfg.Endpoint)
	cfg.Endpoint = proxy.Addr
	app := testapp.New(t, testapp.Options{Blobs: testblob.S3With(t, cfg)})
	editor := app.Token(auth.RoleEditor)
	a := uploaded(t, app.Upload(editor, uploadAsset, nil, testapp.File{Name: "a.jpg", Body: testimage.JPEG(700, 500)}))

	proxy.Down()
	resp := app.Upload(editor, uploadAsset, nil, testapp.File{Name: "b.jpg", Body: testimage.JPEG(300, 200)})
	require.Equal(t, "SERVICE_UNAVAILABLE", resp.Code(), resp.Raw)
	require.Contains(t, resp.Raw, "nothing was changed")
	r, body := app.Fetch(a["url"].(string), nil)
	require.Equal(t, http.StatusServiceUnavailable, r.StatusCode, string(body))
	require.Contains(t, string(body), `"code":"SERVICE_UNAVAILABLE"`)
	require.NotEmpty(t, r.Header.Get("Retry-After"))
	r, body = app.Fetch(a["mobile"].(string), nil)
	require.Equal(t, http.StatusServiceUnavailable, r.StatusCode, string(body))
	home := app.Query("", `{ entry(slug: "home", type: "page") { id blocks { id } } }`, nil)
	require.Empty(t, home.Errors, "content is still delivered: %s", home.Raw)
	meta := app.Query("", `query($id: ID!) { asset(id: $id) { id url } }`, map[string]any{"id": a["id"]})
	require.Empty(t, meta.Errors, meta.Raw)
	var n int
	require.NoError(t, app.Pool.QueryRow(t.Context(), `SELECT count(*) FROM assets`).Scan(&n))
	require.Equal(t, 1, n, "no row for the failed upload")

	proxy.Up()
	r, _ = app.Fetch(a["mobile"].(string), nil)
	require.Equal(t, http.StatusOK, r.StatusCode)
	uploaded(t, app.Upload(editor, uploadAsset, nil, testapp.File{Name: "b.jpg", Body: testimage.JPEG(300, 200)}))
}
