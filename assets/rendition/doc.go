// Package rendition makes resized copies of images: the transform a client
// asks for (Spec), the device presets, the bounds that keep the work
// finite, and the resize and encode itself (disintegration/imaging for
// resampling; WebP through libwebp when cgo is available, see webp_cgo.go).
package rendition
