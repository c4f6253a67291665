package blob_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/internal/testblob"
	"github.com/mosaichq/mosaic/storage/blob"
	"github.com/mosaichq/mosaic/storage/blob/blobtest"
)

// The one conformance suite, against both backends.

func TestLocalConformance(t *testing.T) {
	t.Parallel()
	blobtest.Run(t, func(t *testing.T) blob.Store { return testblob.Local(t) })
}

func TestS3Conformance(t *testing.T) {
	t.Parallel()
	blobtest.Run(t, func(t *testing.T) blob.Store { return testblob.S3(t) })
}

func TestCheckKey(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"a", "a/b", "originals/ab/abc.def", "A-Z_0.9"} {
		require.NoError(t, blob.CheckKey(ok), ok)
	}
	for _, bad := range []string{"", "/", "a/", "/a", "a//b", ".", "..", "a/../b", "a/./b", `a\b`, "a:b", "a\x00b"} {
		require.ErrorIs(t, blob.CheckKey(bad), blob.ErrInvalidKey, bad)
	}
}
