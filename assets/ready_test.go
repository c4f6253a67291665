package assets_test

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/assets"
	"github.com/mosaichq/mosaic/internal/testblob"
)

// Readiness writes to storage: an S3 server that cannot be reached makes
// the replica unready (after the cached answer runs out), and it is ready
// again once the server is back. The probe leaves nothing behind.
func TestWritableProbesStorage(t *testing.T) {
	t.Parallel()
	cfg := testblob.S3Config(t)
	proxy := testblob.NewProxy(t, cfg.Endpoint)
	cfg.Endpoint = proxy.Addr
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func() { mu.Lock(); now = now.Add(time.Minute); mu.Unlock() }
	b := setup(t, testblob.S3With(t, cfg), func(c *assets.Config) { c.Now = clock })

	require.NoError(t, b.svc.Writable(t.Context()))
	require.Empty(t, keys(t, b.blobs, ""), "the probe deletes what it writes")

	proxy.Down()
	require.NoError(t, b.svc.Writable(t.Context()), "the answer is reused for a few seconds")
	advance()
	err := b.svc.Writable(t.Context())
	require.ErrorContains(t, err, "asset storage refuses writes")

	proxy.Up()
	require.Error(t, b.svc.Writable(t.Context()), "the failure is reused too")
	advance()
	require.NoError(t, b.svc.Writable(t.Context()))
}
