// Package blob is the one small interface Mosaic keeps files behind — put,
// get (whole or a byte range), stat, delete, presign and list — with the
// errors every backend normalises to.
//
// It holds no backend itself, so the domain (package assets) can depend on
// it without pulling in a storage client: fsblob keeps objects in a local
// directory (the default of `mosaic dev`, under ./.mosaic/blobs), s3blob
// keeps them in any S3-compatible service through minio-go. blobtest is the
// conformance suite both backends pass.
//
// Keys are slash-separated relative paths of safe characters
// ("originals/ab/abcdef…"); [CheckKey] refuses anything else, so a key can
// never name a file outside a local store's directory.
package blob
