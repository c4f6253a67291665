package rendition_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/mosaichq/mosaic/assets/rendition"
	"github.com/mosaichq/mosaic/internal/testimage"
)

// BenchmarkRender640 times a mobile rendition of a 4000×3000 (12 MP) JPEG:
// decode, Lanczos resize to 640×480, encode. The figures are in
// bench/RESULTS.md.
func BenchmarkRender640(b *testing.B) {
	src := testimage.JPEG(4000, 3000)
	for _, f := range []rendition.Format{rendition.WebP, rendition.JPEG} {
		b.Run(string(f), func(b *testing.B) {
			p := rendition.PlanFor(rendition.Spec{Width: 640, Fit: rendition.Contain, Format: f}, 4000, 3000)
			var size int
			for b.Loop() {
				var out bytes.Buffer
				if err := rendition.Render(&out, bytes.NewReader(src), p, 0.5, 0.5, 50e6); err != nil {
					b.Fatal(err)
				}
				size = out.Len()
			}
			b.ReportMetric(float64(size), "out-bytes")
		})
	}
}

// BenchmarkEncode640 isolates the encoders on an already resized image.
func BenchmarkEncode640(b *testing.B) {
	img := testimage.Image(640, 480)
	for _, f := range rendition.Formats() {
		b.Run(string(f), func(b *testing.B) {
			for b.Loop() {
				if err := rendition.Encode(io.Discard, img, f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
