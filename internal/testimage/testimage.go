package testimage

import (
	"bytes"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"math/rand/v2"

	"github.com/mosaichq/mosaic/assets/rendition"
)

// Image is a w×h picture: gradients, a grid and seeded noise.
func Image(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(uint64(w), uint64(h)))
	for y := range h {
		for x := range w {
			n := uint8(r.IntN(24))
			c := color.NRGBA{R: uint8(x*255/max(w-1, 1)) ^ n, G: uint8(y*255/max(h-1, 1)) ^ n, B: uint8((x/32+y/32)%2*180) + n, A: 255}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

// JPEG encodes a w×h Image.
func JPEG(w, h int) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, Image(w, h), &jpeg.Options{Quality: 85}); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// PNG encodes a w×h Image.
func PNG(w, h int) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, Image(w, h)); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// GIF encodes a w×h Image (palette-reduced).
func GIF(w, h int) []byte {
	var b bytes.Buffer
	if err := gif.Encode(&b, Image(w, h), nil); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// WebP encodes a w×h Image.
func WebP(w, h int) []byte {
	var b bytes.Buffer
	if err := rendition.Encode(&b, Image(w, h), rendition.WebP); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// SVG is a harmless vector image of 120×80.
const SVG = `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="120" height="80" viewBox="0 0 120 80">
  <defs><linearGradient id="g"><stop offset="0" stop-color="#f60"/><stop offset="1" stop-color="#06f"/></linearGradient></defs>
  <rect width="120" height="80" fill="url(#g)"/>
  <a href="https://example.com/"><circle cx="60" cy="40" r="20" fill="#fff"/></a>
  <use xlink:href="#g"/>
</svg>`
