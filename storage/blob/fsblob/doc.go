// Package fsblob is the local-filesystem blob.Store: Mosaic's default
// (`mosaic dev` keeps blobs under ./.mosaic/blobs), good for one machine.
//
// A key's segments become directories, each directory name suffixed with
// '~' — a character keys may not hold — so "a" and "a/b" can both exist.
// Each object has a sidecar "<name>~m" holding its content type and ETag.
// Writes go to a temporary file first and are renamed into place, so a
// reader never sees half an object. The temporary files live in this
// process's own directory under Dir/tmp (package scratch): a write cut off
// by a crash leaves its file there, and SweepTemp — which Mosaic runs at
// start and with its periodic sweep — removes it once the process that
// wrote it is gone, never while it runs (another replica sharing Dir). Presigned URLs are HMAC-signed URLs of
// this process's own HTTP handler ([Store.Handler]).
package fsblob
