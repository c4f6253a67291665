package assets

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"os"

	"github.com/mosaichq/mosaic/assets/rendition"
)

// inspect checks that a sniffed file is whole and returns its pixel
// dimensions (0, 0 when it has none).
func inspect(f *os.File, size int64, contentType string, maxPixels int64) (w, h int, err error) {
	if err := checkComplete(f, size, contentType); err != nil {
		return 0, 0, err
	}
	if contentType == "image/svg+xml" {
		w, h = svgSize(io.NewSectionReader(f, 0, size))
		return w, h, nil
	}
	if !kindOf(contentType).raster {
		return 0, 0, nil
	}
	cfg, _, err := rendition.DecodeConfig(io.NewSectionReader(f, 0, size))
	if err != nil {
		return 0, 0, fileError("the image cannot be read: %v", err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return 0, 0, fileError("the image has no pixels")
	}
	if int64(cfg.Width)*int64(cfg.Height) > maxPixels {
		return 0, 0, fileError("the image is %d×%d pixels; at most %.0f megapixels are accepted",
			cfg.Width, cfg.Height, float64(maxPixels)/1e6)
	}
	return cfg.Width, cfg.Height, nil
}

// tailLen is how much of a file's end the completeness checks read.
const tailLen = 64 << 10

// checkComplete refuses files cut short, by the end marker each format
// must finish with: a truncated upload should fail loudly at upload, not
// as a broken picture on a kiosk.
func checkComplete(f *os.File, size int64, contentType string) error {
	n := min(size, tailLen)
	tail := make([]byte, n)
	if _, err := f.ReadAt(tail, size-n); err != nil && err != io.EOF {
		return fmt.Errorf("reading the upload: %w", err)
	}
	truncated := func(what string) error {
		return fileError("the file is truncated: the %s has no %s", contentType, what)
	}
	switch contentType {
	case "image/jpeg":
		// EOI; cameras may append a little after it.
		if !bytes.Contains(tail, []byte{0xff, 0xd9}) {
			return truncated("end-of-image marker")
		}
	case "image/png":
		if !bytes.Contains(tail[max(0, len(tail)-64):], []byte("IEND")) {
			return truncated("IEND chunk")
		}
	case "image/gif":
		if len(tail) == 0 || !bytes.Contains(tail[max(0, len(tail)-16):], []byte{0x3b}) {
			return truncated("trailer")
		}
	case "image/webp":
		head := make([]byte, 12)
		if _, err := f.ReadAt(head, 0); err != nil || int64(binary.LittleEndian.Uint32(head[4:8]))+8 > size {
			return truncated("RIFF data its header announces")
		}
	case "application/pdf":
		if !bytes.Contains(tail[max(0, len(tail)-1024):], []byte("%%EOF")) {
			return truncated("%%EOF marker")
		}
	}
	return nil
}
