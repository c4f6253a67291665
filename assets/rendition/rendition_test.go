package rendition_test

import (
	"bytes"
	"image"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/assets/rendition"
	"github.com/mosaichq/mosaic/internal/testimage"
)

func TestPlanFor(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		spec       rendition.Spec
		srcW, srcH int
		w, h       int
		fit        rendition.Fit
	}{
		{"width only", rendition.Spec{Width: 640, Fit: rendition.Contain}, 4000, 3000, 640, 480, rendition.Contain},
		{"height only", rendition.Spec{Height: 300, Fit: rendition.Contain}, 4000, 3000, 400, 300, rendition.Contain},
		{"contain in a box", rendition.Spec{Width: 500, Height: 500, Fit: rendition.Contain}, 4000, 3000, 500, 375, rendition.Contain},
		{"cover", rendition.Spec{Width: 500, Height: 500, Fit: rendition.Cover}, 4000, 3000, 500, 500, rendition.Cover},
		{"never upscaled", rendition.Spec{Width: 3840, Fit: rendition.Contain}, 1000, 500, 1000, 500, rendition.Contain},
		{"cover never upscaled, aspect kept", rendition.Spec{Width: 1920, Height: 1080, Fit: rendition.Cover}, 1000, 800, 1000, 562, rendition.Cover},
		{"cover with one side is contain", rendition.Spec{Width: 320, Fit: rendition.Cover}, 640, 480, 320, 240, rendition.Contain},
	} {
		p := rendition.PlanFor(tc.spec, tc.srcW, tc.srcH)
		require.Equal(t, []int{tc.w, tc.h}, []int{p.OutWidth, p.OutHeight}, tc.name)
		require.Equal(t, tc.fit, p.Fit, tc.name)
	}
	// Everything beyond the source is one rendition.
	a := rendition.PlanFor(rendition.Spec{Width: 3840, Fit: rendition.Contain, Format: rendition.WebP}, 1000, 500)
	b := rendition.PlanFor(rendition.Spec{Width: 1920, Fit: rendition.Contain, Format: rendition.WebP}, 1000, 500)
	require.Equal(t, a.Key(0.5, 0.5), b.Key(0.5, 0.5))
	c := rendition.PlanFor(rendition.Spec{Width: 100, Height: 100, Fit: rendition.Cover, Format: rendition.JPEG}, 1000, 500)
	require.NotEqual(t, c.Key(0.5, 0.5), c.Key(0.2, 0.5), "cover crops differ by focal point")
	require.Equal(t, "100x100-cover-f500-500.jpg", c.Key(0.5, 0.5))
}

func TestBounds(t *testing.T) {
	t.Parallel()
	require.True(t, rendition.Spec{Width: 640, Fit: rendition.Contain, Format: rendition.WebP}.IsPreset())
	require.False(t, rendition.Spec{Width: 641, Fit: rendition.Contain, Format: rendition.WebP}.IsPreset())
	require.False(t, rendition.Spec{Width: 640, Height: 480, Fit: rendition.Contain, Format: rendition.WebP}.IsPreset())
	require.Equal(t, []int{320, 640, 1280, 1920, 3840}, rendition.PresetWidths())
	w, ok := rendition.PresetWidth("kiosk")
	require.True(t, ok)
	require.Equal(t, 3840, w)
	_, ok = rendition.PresetWidth("toaster")
	require.False(t, ok)

	ok1 := rendition.Spec{Width: 100, Fit: rendition.Contain, Format: rendition.PNG}
	require.NoError(t, ok1.Validate(3840))
	for _, bad := range []rendition.Spec{
		{Fit: rendition.Contain, Format: rendition.PNG},
		{Width: 5000, Fit: rendition.Contain, Format: rendition.PNG},
		{Width: -1, Fit: rendition.Contain, Format: rendition.PNG},
		{Width: 10, Fit: "stretch", Format: rendition.PNG},
		{Width: 10, Fit: rendition.Contain, Format: "bmp"},
	} {
		require.Error(t, bad.Validate(3840), "%+v", bad)
	}
	_, err := rendition.ParseFormat("tiff")
	require.Error(t, err)
	f, err := rendition.ParseFormat("JPG")
	require.NoError(t, err)
	require.Equal(t, rendition.JPEG, f)
}

func TestRender(t *testing.T) {
	t.Parallel()
	src := testimage.JPEG(400, 300)
	for _, f := range rendition.Formats() {
		for _, spec := range []rendition.Spec{
			{Width: 320, Fit: rendition.Contain, Format: f},
			{Width: 100, Height: 100, Fit: rendition.Cover, Format: f},
		} {
			p := rendition.PlanFor(spec, 400, 300)
			var out bytes.Buffer
			require.NoError(t, rendition.Render(&out, bytes.NewReader(src), p, 0.9, 0.1, 1e6))
			cfg, format, err := image.DecodeConfig(bytes.NewReader(out.Bytes()))
			require.NoError(t, err, "%s decodes", f)
			require.Equal(t, string(f), format)
			require.Equal(t, []int{p.OutWidth, p.OutHeight}, []int{cfg.Width, cfg.Height})
		}
	}
	var out bytes.Buffer
	err := rendition.Render(&out, bytes.NewReader(src), rendition.PlanFor(rendition.Spec{Width: 10, Fit: rendition.Contain, Format: rendition.PNG}, 400, 300), 0.5, 0.5, 1000)
	require.ErrorIs(t, err, rendition.ErrTooManyPixels)
	err = rendition.Render(&out, bytes.NewReader([]byte("not an image")), rendition.Plan{}, 0.5, 0.5, 1e6)
	require.Error(t, err)
}

// WebP renditions are lossy (a "VP8 " bitstream, not lossless "VP8L") in
// every build, cgo or not, and a fraction of the lossless size; WebP
// sources are read by the pure-Go decoder, also as renditions' sources.
func TestWebPIsLossyWithoutCgo(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	require.NoError(t, rendition.Encode(&out, testimage.Image(320, 240), rendition.WebP))
	require.Equal(t, "VP8 ", string(out.Bytes()[12:16]), "lossy WebP")
	require.Less(t, out.Len(), 320*240, "well under a byte a pixel")

	cfg, format, err := rendition.DecodeConfig(bytes.NewReader(out.Bytes()))
	require.NoError(t, err)
	require.Equal(t, "webp", format)
	require.Equal(t, []int{320, 240}, []int{cfg.Width, cfg.Height})
	p := rendition.PlanFor(rendition.Spec{Width: 160, Fit: rendition.Contain, Format: rendition.JPEG}, 320, 240)
	var jpg bytes.Buffer
	require.NoError(t, rendition.Render(&jpg, bytes.NewReader(out.Bytes()), p, 0.5, 0.5, 1e6))
	_, format, err = image.DecodeConfig(bytes.NewReader(jpg.Bytes()))
	require.NoError(t, err)
	require.Equal(t, "jpeg", format)
}
