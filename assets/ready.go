package assets

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync"
	"time"

	"github.com/mosaichq/mosaic/storage/blob"
)

// Readiness of asset storage. Reading a bucket proves little: the failures
// that take uploads and renditions down are a full disk, a read-only
// mount, expired credentials or a bucket policy that refuses writes. So
// the probe writes a tiny object, reads its size back and deletes it, and
// remembers the answer briefly: a load balancer polling /readyz every
// second costs one write every few seconds, not one per poll.

// readyFor is how long a probe's answer is reused.
const readyFor = 5 * time.Second

// probeKey is where the probe writes; each replica its own key, so two
// replicas probing at once never delete each other's object.
var probeKey = func() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return "health/probe-" + hex.EncodeToString(b[:])
}()

type readiness struct {
	mu  sync.Mutex
	at  time.Time
	err error
}

// Writable is nil when asset storage accepts a write now (a readiness
// check), else why not.
func (s *Service) Writable(ctx context.Context) error {
	r := &s.ready
	r.mu.Lock()
	defer r.mu.Unlock()
	now := s.cfg.Now()
	if !r.at.IsZero() && now.Sub(r.at) < readyFor {
		return r.err
	}
	r.err, r.at = s.probe(ctx), now
	return r.err
}

func (s *Service) probe(ctx context.Context) error {
	body := []byte("ok")
	if _, err := s.blobs.Put(ctx, probeKey, bytes.NewReader(body), int64(len(body)), blob.PutOptions{ContentType: "text/plain"}); err != nil {
		return fmt.Errorf("asset storage refuses writes: %w", err)
	}
	info, err := s.blobs.Stat(ctx, probeKey)
	if err != nil {
		return fmt.Errorf("asset storage lost a write: %w", err)
	}
	if info.Size != int64(len(body)) {
		return fmt.Errorf("asset storage stored %d bytes of %d", info.Size, len(body))
	}
	if err := s.blobs.Delete(ctx, probeKey); err != nil {
		return fmt.Errorf("asset storage refuses deletes: %w", err)
	}
	return nil
}
