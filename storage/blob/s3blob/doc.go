// Package s3blob is the blob.Store on any S3-compatible service (AWS S3,
// MinIO, Versity Gateway, ...) through minio-go. Backend errors come back
// normalised: a missing object is blob.ErrNotFound, an unreachable or
// failing service blob.ErrUnavailable (with the cause kept for logs).
package s3blob
