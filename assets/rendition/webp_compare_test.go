//go:build webpcompare && cgo

package rendition_test

import (
	"bytes"
	"image"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/HugoSmits86/nativewebp"
	chai "github.com/chai2010/webp"
	"github.com/gen2brain/webp"

	"github.com/mosaichq/mosaic/assets/rendition"
	"github.com/mosaichq/mosaic/internal/testimage"
)

// BenchmarkWebPEncoders compares, in one run on the same 640×480
// rendition (a 12 MP JPEG resized), the WebP encoder Mosaic uses — libwebp
// as WebAssembly under wazero (gen2brain/webp, no cgo) — with the two it
// replaced: libwebp through cgo (chai2010/webp, minutes of C compiling on
// a cold build) and the pure-Go lossless fallback of cgo-free builds
// (nativewebp). Figures in bench/RESULTS.md. It needs cgo and a C
// compiler, hence its build tag:
//
//	go test -tags webpcompare ./assets/rendition/ -run '^$' -bench WebPEncoders -benchtime 20x -count 3
func BenchmarkWebPEncoders(b *testing.B) {
	img := typicalRendition(b)
	warmOnce.Do(func() {
		start := time.Now()
		rendition.Warm()
		b.Logf("wazero: compiling the libwebp module took %s (once per process); shared libwebp: %v",
			time.Since(start).Round(time.Millisecond), webp.Dynamic())
	})
	for _, enc := range []struct {
		name   string
		encode func(io.Writer, image.Image) error
	}{
		{"wasm-gen2brain-q80", func(w io.Writer, m image.Image) error {
			return webp.Encode(w, m, webp.Options{Quality: rendition.WebPQuality})
		}},
		{"cgo-chai2010-q80", func(w io.Writer, m image.Image) error {
			return chai.Encode(w, m, &chai.Options{Quality: rendition.WebPQuality})
		}},
		{"purego-nativewebp-lossless", func(w io.Writer, m image.Image) error { return nativewebp.Encode(w, m, nil) }},
	} {
		b.Run(enc.name, func(b *testing.B) {
			var size int
			for b.Loop() {
				var out bytes.Buffer
				if err := enc.encode(&out, img); err != nil {
					b.Fatal(err)
				}
				size = out.Len()
			}
			b.ReportMetric(float64(size), "out-bytes")
		})
	}
}

var warmOnce sync.Once

// typicalRendition is what the encoders get for a mobile rendition: the
// resized picture, as the *image.RGBA view Encode hands them.
func typicalRendition(b *testing.B) image.Image {
	src, _, err := image.Decode(bytes.NewReader(testimage.JPEG(4000, 3000)))
	if err != nil {
		b.Fatal(err)
	}
	p := rendition.PlanFor(rendition.Spec{Width: 640, Fit: rendition.Contain, Format: rendition.WebP}, 4000, 3000)
	n := rendition.Transform(src, p, 0.5, 0.5).(*image.NRGBA)
	return &image.RGBA{Pix: n.Pix, Stride: n.Stride, Rect: n.Rect}
}
