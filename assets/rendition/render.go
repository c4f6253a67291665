package rendition

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"io"
	"math"

	_ "image/gif" // decoders
	_ "image/jpeg"
	_ "image/png"

	"github.com/disintegration/imaging"
)

// Encoding quality for lossy formats: a good visual match at a fraction of
// the original's bytes.
const (
	JPEGQuality = 82
	WebPQuality = 80
)

// ErrTooManyPixels: the source is larger than the caller allows.
var ErrTooManyPixels = errors.New("rendition: source image has too many pixels")

// Render decodes src, applies p (cropping around the focal point for
// cover) and encodes the result to w. Sources larger than maxPixels are
// refused before they are decoded. EXIF orientation is applied.
func Render(w io.Writer, src io.ReadSeeker, p Plan, focalX, focalY float64, maxPixels int64) error {
	cfg, _, err := DecodeConfig(src)
	if err != nil {
		return fmt.Errorf("rendition: reading the source: %w", err)
	}
	if int64(cfg.Width)*int64(cfg.Height) > maxPixels {
		return fmt.Errorf("%w: %d×%d", ErrTooManyPixels, cfg.Width, cfg.Height)
	}
	if _, err := src.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if p.Format == WebP {
		// The first WebP rendition of a process compiles the encoder
		// (Warm) while its source decodes; Render waits for it on every
		// path, so nothing outlives the call.
		warmed := make(chan struct{})
		go func() { defer close(warmed); Warm() }()
		defer func() { <-warmed }()
	}
	img, err := decode(src)
	if err != nil {
		return fmt.Errorf("rendition: decoding the source: %w", err)
	}
	return Encode(w, Transform(img, p, focalX, focalY), p.Format)
}

// Transform resizes (and for cover, crops) img to p's output size.
func Transform(img image.Image, p Plan, focalX, focalY float64) image.Image {
	b := img.Bounds()
	if p.Fit == Cover {
		img = imaging.Crop(img, coverCrop(b.Dx(), b.Dy(), p.OutWidth, p.OutHeight, focalX, focalY))
	}
	if img.Bounds().Dx() == p.OutWidth && img.Bounds().Dy() == p.OutHeight {
		return img
	}
	return imaging.Resize(img, p.OutWidth, p.OutHeight, imaging.Lanczos)
}

// coverCrop is the largest rectangle of the out aspect ratio inside a
// srcW×srcH image, centred on the focal point as far as the edges allow.
func coverCrop(srcW, srcH, outW, outH int, fx, fy float64) image.Rectangle {
	cw, ch := float64(srcW), float64(srcW)*float64(outH)/float64(outW)
	if ch > float64(srcH) {
		cw, ch = float64(srcH)*float64(outW)/float64(outH), float64(srcH)
	}
	x := clamp(fx*float64(srcW)-cw/2, 0, float64(srcW)-cw)
	y := clamp(fy*float64(srcH)-ch/2, 0, float64(srcH)-ch)
	return image.Rect(int(math.Round(x)), int(math.Round(y)), int(math.Round(x+cw)), int(math.Round(y+ch)))
}

func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }

// Encode writes img in format f.
func Encode(w io.Writer, img image.Image, f Format) error {
	switch f {
	case JPEG:
		return jpeg.Encode(w, straightAsRGBA(flatten(img), true), &jpeg.Options{Quality: JPEGQuality})
	case PNG:
		return (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(w, img)
	case WebP:
		return encodeWebP(w, straightAsRGBA(img, false))
	}
	return fmt.Errorf("rendition: unknown format %q", f)
}

// straightAsRGBA hands an *image.NRGBA (what imaging returns) to an
// encoder as an *image.RGBA sharing its pixels: the encoders' fast path
// instead of a conversion through At() per pixel (about 300k allocations
// for 640×480). The bytes are the same for an opaque image, which is all
// the JPEG encoder may get (onlyOpaque); libwebp wants straight
// (non-premultiplied) RGBA anyway, which is what NRGBA holds.
func straightAsRGBA(img image.Image, onlyOpaque bool) image.Image {
	n, ok := img.(*image.NRGBA)
	if !ok || onlyOpaque && !n.Opaque() {
		return img
	}
	return &image.RGBA{Pix: n.Pix, Stride: n.Stride, Rect: n.Rect}
}

// flatten puts an image with transparency on white: JPEG has no alpha.
func flatten(img image.Image) image.Image {
	if o, ok := img.(interface{ Opaque() bool }); ok && o.Opaque() {
		return img
	}
	dst := image.NewRGBA(img.Bounds())
	draw.Draw(dst, dst.Bounds(), &image.Uniform{C: color.White}, image.Point{}, draw.Src)
	draw.Draw(dst, dst.Bounds(), img, img.Bounds().Min, draw.Over)
	return dst
}
