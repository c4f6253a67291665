// Package testimage makes small, deterministic image files for tests and
// benchmarks: a photo-like gradient with detail, so encoders and resizers
// do realistic work.
package testimage
