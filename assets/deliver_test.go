package assets_test

import (
	"image"
	"io"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/assets"
	"github.com/mosaichq/mosaic/assets/rendition"
	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/internal/testblob"
	"github.com/mosaichq/mosaic/internal/testimage"
	"github.com/mosaichq/mosaic/storage/blob"
)

func query(t *testing.T, rawURL string) (string, url.Values) {
	t.Helper()
	u, err := url.Parse(rawURL)
	require.NoError(t, err)
	return u.Path, u.Query()
}

func decode(t *testing.T, obj *assets.Object) image.Config {
	t.Helper()
	rc, err := obj.Open(t.Context(), nil)
	require.NoError(t, err)
	defer rc.Close()
	cfg, _, err := image.DecodeConfig(rc)
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, rc)
	return cfg
}

func TestRenditionsAreMadeOnceAndBounded(t *testing.T) {
	t.Parallel()
	onBothBackends(t, func(t *testing.T, blobs blob.Store) {
		b := setup(t, blobs, nil)
		a, err := b.upload(t, "Hero Shot.jpg", "image/jpeg", testimage.JPEG(1600, 1200), assets.Meta{})
		require.NoError(t, err)

		orig, err := b.svc.URL(a, nil, false)
		require.NoError(t, err)
		require.Equal(t, "/assets/"+a.ID+"/Hero%20Shot.jpg", orig)

		mobile := b.svc.DeviceURL(a, "mobile")
		path, q := query(t, mobile)
		require.Equal(t, "/assets/"+a.ID+"/Hero Shot.webp", path)
		require.Equal(t, url.Values{"w": {"640"}, "fmt": {"webp"}}, q, "a preset needs no signature")

		// Many concurrent first requests, one render, one stored object.
		var wg sync.WaitGroup
		for range 6 {
			wg.Go(func() {
				obj, err := b.svc.Open(t.Context(), a.ID, q)
				if err == nil {
					require.Equal(t, "image/webp", obj.ContentType)
				}
				require.NoError(t, err)
			})
		}
		wg.Wait()
		require.Len(t, keys(t, blobs, "renditions/"), 1)
		obj, err := b.svc.Open(t.Context(), a.ID, q)
		require.NoError(t, err)
		cfg := decode(t, obj)
		require.Equal(t, []int{640, 480}, []int{cfg.Width, cfg.Height})

		// The kiosk preset is wider than the original: not upscaled, and
		// the same stored rendition as the desktop one.
		for _, d := range []string{"kiosk", "desktop", "tv"} {
			_, q := query(t, b.svc.DeviceURL(a, d))
			obj, err := b.svc.Open(t.Context(), a.ID, q)
			require.NoError(t, err)
			require.Equal(t, 1600, decode(t, obj).Width, d)
		}
		require.Len(t, keys(t, blobs, "renditions/"), 2)

		// Anything but a preset is for authenticated callers, whose URLs
		// are signed; an unsigned or altered one is refused.
		tr := &assets.Transform{Width: 500, Height: 500, Fit: rendition.Cover, Format: rendition.JPEG}
		_, err = b.svc.URL(a, tr, false)
		require.Equal(t, errs.Forbidden, errs.CodeOf(err))
		signed, err := b.svc.URL(a, tr, true)
		require.NoError(t, err)
		_, q = query(t, signed)
		obj, err = b.svc.Open(t.Context(), a.ID, q)
		require.NoError(t, err)
		require.Equal(t, []int{500, 500}, []int{decode(t, obj).Width, decode(t, obj).Height})
		q.Set("w", "501")
		_, err = b.svc.Open(t.Context(), a.ID, q)
		require.Equal(t, errs.Forbidden, errs.CodeOf(err), "signature bound to the parameters")
		q.Del("sig")
		_, err = b.svc.Open(t.Context(), a.ID, q)
		require.Equal(t, errs.Forbidden, errs.CodeOf(err))

		for _, bad := range []url.Values{
			{"w": {"640"}, "fmt": {"tiff"}},
			{"w": {"big"}},
			{"w": {"99999"}, "sig": {"x"}},
			{"w": {"640"}, "fit": {"stretch"}},
		} {
			_, err := b.svc.Open(t.Context(), a.ID, bad)
			require.Equal(t, errs.BadUserInput, errs.CodeOf(err), "%v: %v", bad, err)
		}
		_, err = b.svc.URL(a, &assets.Transform{Width: 8000}, true)
		require.Equal(t, errs.BadUserInput, errs.CodeOf(err), "bounded even for editors")
		_, err = b.svc.Open(t.Context(), "00000000-0000-0000-0000-000000000000", url.Values{})
		require.Equal(t, errs.NotFound, errs.CodeOf(err))
		_, err = b.svc.Open(t.Context(), "../../etc/passwd", url.Values{})
		require.Equal(t, errs.NotFound, errs.CodeOf(err))
	})
}

func TestNonImagesHaveNoRenditions(t *testing.T) {
	t.Parallel()
	b := setup(t, testblob.Local(t), nil)
	pdf, err := b.upload(t, "menu.pdf", "application/pdf", []byte("%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"), assets.Meta{})
	require.NoError(t, err)
	require.False(t, pdf.HasRenditions())
	require.Equal(t, "/assets/"+pdf.ID+"/menu.pdf", b.svc.DeviceURL(pdf, "mobile"), "the original for every device")
	_, err = b.svc.URL(pdf, &assets.Transform{Width: 320}, true)
	require.Equal(t, errs.BadUserInput, errs.CodeOf(err))

	svg, err := b.upload(t, "logo", "image/svg+xml", []byte(testimage.SVG), assets.Meta{})
	require.NoError(t, err)
	require.Equal(t, "logo.svg", svg.Filename, "the extension is added")
	require.Equal(t, []int{120, 80}, []int{svg.Width, svg.Height})
	require.True(t, svg.IsImage())
	require.True(t, strings.HasSuffix(b.svc.DeviceURL(svg, "watch"), "/logo.svg"), "vector: the original")
}
