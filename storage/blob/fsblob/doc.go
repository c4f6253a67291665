// Package fsblob is the local-filesystem blob.Store: Mosaic's default
// (`mosaic dev` keeps blobs under ./.mosaic/blobs), good for one machine.
//
// A key's segments become directories, each directory name suffixed with
// '~' — a character keys may not hold — so "a" and "a/b" can both exist.
// Each object has a sidecar "<name>~m" holding its content type and ETag.
// Writes go to a temporary file first and are renamed into place, so a
// reader never sees half an object. Presigned URLs are HMAC-signed URLs of
// this process's own HTTP handler ([Store.Handler]).
package fsblob
