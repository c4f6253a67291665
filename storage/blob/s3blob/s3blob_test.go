package s3blob_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/internal/testblob"
	"github.com/mosaichq/mosaic/storage/blob"
	"github.com/mosaichq/mosaic/storage/blob/s3blob"
)

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	ok := s3blob.Config{Endpoint: "s3.example.com", Bucket: "assets", AccessKey: "a", SecretKey: "b"}
	require.NoError(t, ok.Validate())
	for _, tc := range []struct {
		mutate func(*s3blob.Config)
		want   string
	}{
		{func(c *s3blob.Config) { c.Endpoint = "" }, "endpoint is required"},
		{func(c *s3blob.Config) { c.Endpoint = "ftp://x" }, "must be host[:port]"},
		{func(c *s3blob.Config) { c.Endpoint = "http://x/path" }, "must be host[:port]"},
		{func(c *s3blob.Config) { c.Bucket = "" }, "bucket is required"},
		{func(c *s3blob.Config) { c.Bucket = "Assets" }, "lower-case"},
		{func(c *s3blob.Config) { c.SecretKey = "" }, "both access key and secret key"},
	} {
		c := ok
		tc.mutate(&c)
		err := c.Validate()
		require.Error(t, err)
		require.Contains(t, err.Error(), tc.want)
	}
	withURL := ok
	withURL.Endpoint = "https://s3.example.com:9000"
	require.NoError(t, withURL.Validate())
}

// When the server goes away mid-run every operation fails fast with
// ErrUnavailable (not a hang, not ErrNotFound), and works again once it is
// back.
func TestServerGoesAway(t *testing.T) {
	t.Parallel()
	cfg := testblob.S3Config(t)
	proxy := testblob.NewProxy(t, cfg.Endpoint)
	cfg.Endpoint = proxy.Addr
	s := testblob.S3With(t, cfg)
	_, err := s.Put(t.Context(), "k", strings.NewReader("v"), 1, blob.PutOptions{})
	require.NoError(t, err)

	proxy.Down()
	_, err = s.Stat(t.Context(), "k")
	require.ErrorIs(t, err, blob.ErrUnavailable)
	_, err = s.Put(t.Context(), "k2", strings.NewReader("v"), 1, blob.PutOptions{})
	require.ErrorIs(t, err, blob.ErrUnavailable)
	_, _, err = s.Get(t.Context(), "k", nil)
	require.ErrorIs(t, err, blob.ErrUnavailable)
	require.ErrorIs(t, s.Delete(t.Context(), "k"), blob.ErrUnavailable)
	for _, err := range s.List(t.Context(), "") {
		require.ErrorIs(t, err, blob.ErrUnavailable)
	}

	proxy.Up()
	_, err = s.Stat(t.Context(), "k")
	require.NoError(t, err)
}
