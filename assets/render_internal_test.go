package assets

import (
	"bytes"
	"context"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/assets/rendition"
	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/storage/blob"
)

// nullBlobs fails every read.
type nullBlobs struct{ blob.Store }

func (nullBlobs) Get(context.Context, string, *blob.Range) (io.ReadCloser, blob.Info, error) {
	return nil, blob.Info{}, blob.ErrUnavailable
}

// The render queue is bounded: with every slot taken and the queue full,
// the next caller is told to come back instead of piling up.
func TestRenderQueueIsBounded(t *testing.T) {
	t.Parallel()
	s := &Service{cfg: Config{RenderQueue: 2}.withDefaults(), render: make(chan struct{}, 1), blobs: nullBlobs{}}
	s.render <- struct{}{} // the one slot is busy (as if by a render outside the count)
	a := Asset{ID: "a", SHA256: string(bytes.Repeat([]byte("a"), 64))}
	p := rendition.Plan{}
	// In flight may be the slot holders plus the queue: 1 + 2.
	done := make(chan error, 3)
	for range 3 {
		go func() {
			_, err := s.makeRendition(t.Context(), a, p, 0.5, 0.5, "k")
			done <- err
		}()
	}
	require.Eventually(t, func() bool { return s.waiting.Load() == 3 }, 10*time.Second, time.Millisecond)
	_, err := s.makeRendition(t.Context(), a, p, 0.5, 0.5, "k")
	require.Equal(t, errs.RateLimited, errs.CodeOf(err))
	require.EqualValues(t, 3, s.waiting.Load(), "the refused caller does not count")
	<-s.render // free the slot: the queued ones proceed (and fail on storage)
	for range 3 {
		require.Equal(t, errs.ServiceUnavailable, errs.CodeOf(<-done))
	}
}
