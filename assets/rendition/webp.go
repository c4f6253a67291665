package rendition

import (
	"bytes"
	"image"
	"io"

	"github.com/disintegration/imaging"
	"github.com/gen2brain/webp"
	xwebp "golang.org/x/image/webp"
)

// encodeWebP writes lossy WebP with libwebp compiled to WebAssembly and
// run by wazero (gen2brain/webp): no cgo, so no C toolchain and no
// minutes of compiling libwebp on a cold build. Where a shared libwebp.so
// is installed and the binary is dynamically linked, gen2brain/webp calls
// it instead (purego, still no cgo); otherwise the WebAssembly module,
// compiled once per process, on its first WebP rendition (Warm).
func encodeWebP(w io.Writer, img image.Image) error {
	return webp.Encode(w, img, webp.Options{Quality: WebPQuality})
}

// Warm prepares the WebP encoder: it compiles the WebAssembly module, 0.25 s
// of CPU idle (up to 1.5 s on a loaded machine) and ~10 MB kept for the
// life of the process. Render calls it on a process's first WebP
// rendition, beside decoding the source, not at startup: a replica that
// never renders WebP (API only, behind a CDN holding the renditions)
// never pays for it. Safe to call more than once, from any goroutine.
func Warm() { webp.Init() }

// isWebP: every WebP file starts "RIFF", a length, "WEBP".
func isWebP(head []byte) bool {
	return len(head) >= 12 && string(head[:4]) == "RIFF" && string(head[8:12]) == "WEBP"
}

// DecodeConfig is image.DecodeConfig, except that WebP is always read by
// the pure-Go decoder (golang.org/x/image/webp): uploads are untrusted,
// and gen2brain/webp registers a libwebp decoder for the "webp" format
// that image.DecodeConfig would otherwise pick.
func DecodeConfig(r io.Reader) (image.Config, string, error) {
	var head [12]byte
	n, err := io.ReadFull(r, head[:])
	if err != nil && err != io.ErrUnexpectedEOF {
		return image.Config{}, "", err
	}
	r = io.MultiReader(bytes.NewReader(head[:n]), r)
	if isWebP(head[:n]) {
		cfg, err := xwebp.DecodeConfig(r)
		return cfg, "webp", err
	}
	return image.DecodeConfig(r)
}

// decode is imaging.Decode with EXIF orientation applied, except that WebP
// is always decoded in pure Go (see DecodeConfig).
func decode(r io.Reader) (image.Image, error) {
	var head [12]byte
	n, err := io.ReadFull(r, head[:])
	if err != nil && err != io.ErrUnexpectedEOF {
		return nil, err
	}
	r = io.MultiReader(bytes.NewReader(head[:n]), r)
	if isWebP(head[:n]) {
		return xwebp.Decode(r)
	}
	return imaging.Decode(r, imaging.AutoOrientation(true))
}
