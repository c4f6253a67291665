//go:build cgo

package rendition

import (
	"image"
	"io"

	"github.com/chai2010/webp"
)

// WebPLossy reports whether WebP renditions are lossy (libwebp via cgo) or
// lossless (the pure-Go fallback).
const WebPLossy = true

// encodeWebP uses libwebp (bundled C sources, built by cgo): lossy WebP at
// a fraction of JPEG's size. No maintained pure-Go module encodes lossy
// WebP; builds without cgo fall back to webp_nocgo.go.
func encodeWebP(w io.Writer, img image.Image) error {
	return webp.Encode(w, img, &webp.Options{Quality: WebPQuality})
}
