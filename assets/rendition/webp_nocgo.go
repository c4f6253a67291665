//go:build !cgo

package rendition

import (
	"image"
	"io"

	"github.com/HugoSmits86/nativewebp"
)

// WebPLossy reports whether WebP renditions are lossy (libwebp via cgo) or
// lossless (this pure-Go fallback).
const WebPLossy = false

// encodeWebP without cgo: nativewebp writes lossless WebP (VP8L) only —
// right for graphics, several times JPEG's size for photos. Build with cgo
// for lossy WebP (webp_cgo.go).
func encodeWebP(w io.Writer, img image.Image) error {
	return nativewebp.Encode(w, img, nil)
}
