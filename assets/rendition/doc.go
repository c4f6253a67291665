// Package rendition makes resized copies of images: the transform a client
// asks for (Spec), the device presets, the bounds that keep the work
// finite, and the resize and encode itself (disintegration/imaging for
// resampling; lossy WebP through libwebp compiled to WebAssembly, run by
// wazero — no cgo, see webp.go). Sources are decoded in pure Go, WebP
// included (DecodeConfig).
package rendition
