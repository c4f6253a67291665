package server_test

import (
	"bytes"
	"fmt"
	"image"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/graph"
	"github.com/mosaichq/mosaic/internal/testapp"
	"github.com/mosaichq/mosaic/internal/testimage"
)

const uploadAsset = `mutation($file: Upload!, $input: AssetInput) {
  uploadAsset(file: $file, input: $input) {
    id filename contentType size sha256 width height tags version
    alt(locale: "ro-RO") altTexts { locale text } focalPoint { x y }
    url mobile: url(device: "mobile")
  }
}`

func uploaded(t *testing.T, resp testapp.Response) map[string]any {
	t.Helper()
	require.Empty(t, resp.Errors, resp.Raw)
	return resp.Data["uploadAsset"].(map[string]any)
}

func TestUploadAssetMultipart(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{NoSeed: true})
	editor := app.Token(auth.RoleEditor)
	jpg := testimage.JPEG(800, 600)
	a := uploaded(t, app.Upload(editor, uploadAsset, map[string]any{"input": map[string]any{
		"alt":        []any{map[string]any{"locale": "en", "text": "Red scarf"}, map[string]any{"locale": "ro", "text": "Fular roșu"}},
		"focalPoint": map[string]any{"x": 0.3, "y": 0.6}, "tags": []any{"Winter"}}},
		testapp.File{Name: "scarf.jpg", ContentType: "image/jpeg", Body: jpg}))
	require.Equal(t, "scarf.jpg", a["filename"])
	require.Equal(t, "image/jpeg", a["contentType"])
	require.EqualValues(t, len(jpg), a["size"])
	require.EqualValues(t, 800, a["width"])
	require.Equal(t, "Fular roșu", a["alt"], "ro-RO falls back to ro")
	require.Equal(t, []any{"winter"}, a["tags"])
	id := a["id"].(string)
	require.Equal(t, "/assets/"+id+"/scarf.jpg", a["url"])
	require.Equal(t, "/assets/"+id+"/scarf.webp?fmt=webp&w=640", a["mobile"])

	// Same bytes again: a second asset, one stored file.
	b := uploaded(t, app.Upload(editor, uploadAsset, nil, testapp.File{Name: "again.jpg", Body: jpg}))
	require.NotEqual(t, id, b["id"])
	require.Equal(t, a["sha256"], b["sha256"])

	got := app.Query("", `query($id: ID!) { asset(id: $id) { id filename alt } }`, map[string]any{"id": id})
	require.Empty(t, got.Errors, got.Raw)
	require.Equal(t, "Red scarf", testapp.Path(got.Data, "asset", "alt"))
	got = app.Query("", `{ asset(id: "00000000-0000-0000-0000-000000000000") { id } }`, nil)
	require.Empty(t, got.Errors)
	require.Nil(t, got.Data["asset"])

	list := app.Query(app.Token(auth.RoleViewer), `{ assets(first: 1) { nodes { id } pageInfo { hasNextPage endCursor } } }`, nil)
	require.Empty(t, list.Errors, list.Raw)
	require.Equal(t, true, testapp.Path(list.Data, "assets", "pageInfo", "hasNextPage"))
}

func TestUploadAssetRefusals(t *testing.T) {
	t.Parallel()
	limits := graph.DefaultLimits()
	limits.MaxUploadBytes = 256 << 10
	app := testapp.New(t, testapp.Options{NoSeed: true, Limits: &limits})
	editor := app.Token(auth.RoleEditor)
	jpg := testimage.JPEG(64, 64)
	cases := []struct {
		name, token string
		file        testapp.File
		input       map[string]any
		status      int
		code, msg   string
	}{
		{"anonymous", "", testapp.File{Name: "a.jpg", Body: jpg}, nil, 200, "UNAUTHENTICATED", ""},
		{"viewer", app.Token(auth.RoleViewer), testapp.File{Name: "a.jpg", Body: jpg}, nil, 200, "FORBIDDEN", ""},
		{"oversized", editor, testapp.File{Name: "big.png", Body: bytes.Repeat([]byte{1}, 2<<20)}, nil, 413, "BAD_USER_INPUT", "upload limit"},
		{"mismatched type", editor, testapp.File{Name: "a.png", ContentType: "image/png", Body: jpg}, nil, 200, "BAD_USER_INPUT", "declared as image/png"},
		{"executable renamed", editor, testapp.File{Name: "cat.jpg", Body: append([]byte("\x7fELF"), make([]byte, 99)...)}, nil, 200, "BAD_USER_INPUT", "executable"},
		{"svg with script", editor, testapp.File{Name: "x.svg", Body: []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`)}, nil, 200, "BAD_USER_INPUT", "event handler"},
		{"traversal in input.filename", editor, testapp.File{Name: "a.jpg", Body: jpg}, map[string]any{"filename": "../../a.jpg"}, 200, "BAD_USER_INPUT", "without directories"},
		{"truncated image", editor, testapp.File{Name: "a.jpg", Body: jpg[:len(jpg)-300]}, nil, 200, "BAD_USER_INPUT", "truncated"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := app.Upload(tc.token, uploadAsset, map[string]any{"input": tc.input}, tc.file)
			require.Equal(t, tc.status, resp.Status, resp.Raw)
			require.Equal(t, tc.code, resp.Code(), resp.Raw)
			require.Contains(t, resp.Raw, tc.msg)
			require.NotContains(t, resp.Raw, `"uploadAsset":{`)
		})
	}

	// A body cut off mid-file, as a dropped connection leaves it.
	body, ct := testapp.MultipartBody(t, uploadAsset, nil, testapp.File{Name: "a.jpg", Body: jpg})
	resp := app.Post(editor, ct, body[:len(body)/2])
	require.Equal(t, http.StatusBadRequest, resp.Status, resp.Raw)
	require.Equal(t, "BAD_USER_INPUT", resp.Code())
	require.Contains(t, resp.Raw, "truncated")

	// The multipart file name is reduced to its base name by the parser.
	a := uploaded(t, app.Upload(editor, uploadAsset, nil, testapp.File{Name: "../../etc/evil.jpg", Body: jpg}))
	require.Equal(t, "evil.jpg", a["filename"])
	var n int
	require.NoError(t, app.Pool.QueryRow(t.Context(), `SELECT count(*) FROM assets`).Scan(&n))
	require.Equal(t, 1, n, "only the good upload left a row")
}

func TestAssetDelivery(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{NoSeed: true})
	jpg := testimage.JPEG(1000, 750)
	a := uploaded(t, app.Upload(app.Token(auth.RoleEditor), uploadAsset, nil, testapp.File{Name: "photo.jpg", Body: jpg}))
	url := a["url"].(string)

	resp, body := app.Fetch(url, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, jpg, body)
	etag := resp.Header.Get("ETag")
	require.Equal(t, fmt.Sprintf("%q", a["sha256"]), etag, "strong ETag: the content hash")
	require.Equal(t, "public, max-age=31536000, immutable", resp.Header.Get("Cache-Control"))
	require.Equal(t, "image/jpeg", resp.Header.Get("Content-Type"))
	require.Equal(t, "bytes", resp.Header.Get("Accept-Ranges"))
	require.Contains(t, resp.Header.Get("Content-Security-Policy"), "sandbox")

	resp, body = app.Fetch(url, http.Header{"If-None-Match": {etag}})
	require.Equal(t, http.StatusNotModified, resp.StatusCode)
	require.Empty(t, body)
	resp, body = app.Fetch(url, http.Header{"Range": {"bytes=10-19"}})
	require.Equal(t, http.StatusPartialContent, resp.StatusCode)
	require.Equal(t, jpg[10:20], body)
	require.Equal(t, fmt.Sprintf("bytes 10-19/%d", len(jpg)), resp.Header.Get("Content-Range"))
	resp, body = app.Fetch(url, http.Header{"Range": {"bytes=-5"}})
	require.Equal(t, http.StatusPartialContent, resp.StatusCode)
	require.Equal(t, jpg[len(jpg)-5:], body)
	resp, _ = app.Fetch(url, http.Header{"Range": {fmt.Sprintf("bytes=%d-", len(jpg)+10)}})
	require.Equal(t, http.StatusRequestedRangeNotSatisfiable, resp.StatusCode)
	resp, body = app.Fetch(url, http.Header{"Range": {"bytes=0-4"}, "If-Range": {`"stale"`}})
	require.Equal(t, http.StatusOK, resp.StatusCode, "If-Range mismatch: all of it")
	require.Len(t, body, len(jpg))

	// Renditions: a device preset for anyone; other sizes only through a
	// URL the API signed for an authenticated caller.
	resp, body = app.Fetch(a["mobile"].(string), nil)
	require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
	require.Equal(t, "image/webp", resp.Header.Get("Content-Type"))
	cfg, format, err := image.DecodeConfig(bytes.NewReader(body))
	require.NoError(t, err)
	require.Equal(t, "webp", format)
	require.Equal(t, []int{640, 480}, []int{cfg.Width, cfg.Height})
	again, _ := app.Fetch(a["mobile"].(string), nil)
	require.Equal(t, resp.Header.Get("ETag"), again.Header.Get("ETag"))

	q := `query($id: ID!, $t: AssetTransform) { asset(id: $id) { url(transform: $t) } }`
	vars := map[string]any{"id": a["id"], "t": map[string]any{"width": 200, "height": 200, "fit": "COVER", "format": "PNG"}}
	require.Equal(t, "FORBIDDEN", app.Query("", q, vars).Code())
	signed := app.Query(app.Token(auth.RoleViewer), q, vars)
	require.Empty(t, signed.Errors, signed.Raw)
	signedURL := testapp.Path(signed.Data, "asset", "url").(string)
	require.Contains(t, signedURL, "sig=")
	resp, body = app.Fetch(signedURL, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
	cfg, format, err = image.DecodeConfig(bytes.NewReader(body))
	require.NoError(t, err)
	require.Equal(t, "png", format)
	require.Equal(t, []int{200, 200}, []int{cfg.Width, cfg.Height})

	for _, tc := range []struct {
		path   string
		status int
		code   string
	}{
		{strings.Replace(signedURL, "w=200", "w=201", 1), 403, "FORBIDDEN"},
		{url + "?w=1000&fmt=webp", 403, "FORBIDDEN"},
		{url + "?w=4000&fmt=webp", 400, "BAD_USER_INPUT"},
		{url + "?w=640&fmt=gif", 400, "BAD_USER_INPUT"},
		{"/assets/00000000-0000-0000-0000-000000000000/x.jpg", 404, "NOT_FOUND"},
		{"/assets/../../etc/passwd", 404, ""}, // cleaned and redirected by the mux: never a file
		{"/assets/" + a["id"].(string) + "/..%2f..%2fetc%2fpasswd", 404, "NOT_FOUND"},
		{"/assets/" + a["id"].(string), 404, "NOT_FOUND"},
	} {
		resp, body := app.Fetch(tc.path, nil)
		require.Equal(t, tc.status, resp.StatusCode, "%s: %s", tc.path, body)
		if tc.code != "" {
			require.Contains(t, string(body), `"code":"`+tc.code+`"`, tc.path)
			require.Empty(t, resp.Header.Get("ETag"), "errors are not cached as the asset")
		}
	}
	req, _ := http.NewRequest(http.MethodDelete, app.URL+url, nil)
	r, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	r.Body.Close()
	require.Equal(t, http.StatusMethodNotAllowed, r.StatusCode)
}
