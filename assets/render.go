package assets

import (
	"bytes"
	"context"
	"errors"
	"io"
	"time"

	"github.com/mosaichq/mosaic/assets/rendition"
	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/storage/blob"
)

// renderTimeout bounds one rendition, detached from the request that
// asked first (others may be waiting for the same one).
const renderTimeout = 2 * time.Minute

// ensureRendition returns the stored rendition key, making it first if it
// does not exist. Concurrent requests for one rendition share one render.
func (s *Service) ensureRendition(ctx context.Context, a Asset, p rendition.Plan, fx, fy float64, key string) (blob.Info, error) {
	if info, ok := s.made.Get(key); ok {
		return info, nil
	}
	info, err := s.blobs.Stat(ctx, key)
	if err == nil {
		s.made.Add(key, info)
		return info, nil
	}
	if !errors.Is(err, blob.ErrNotFound) {
		return blob.Info{}, storageError(err, "looking for the rendition")
	}
	ch := s.flight.DoChan(key, func() (any, error) {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), renderTimeout)
		defer cancel()
		return s.makeRendition(rctx, a, p, fx, fy, key)
	})
	select {
	case r := <-ch:
		if r.Err != nil {
			return blob.Info{}, r.Err
		}
		return r.Val.(blob.Info), nil
	case <-ctx.Done():
		return blob.Info{}, ctx.Err()
	}
}

// makeRendition renders and stores one rendition, holding a render slot.
func (s *Service) makeRendition(ctx context.Context, a Asset, p rendition.Plan, fx, fy float64, key string) (blob.Info, error) {
	if n := s.waiting.Add(1); n > int64(cap(s.render)+s.cfg.RenderQueue) {
		s.waiting.Add(-1)
		return blob.Info{}, errs.E(errs.RateLimited, "too many renditions are being made right now; retry in a moment")
	}
	defer s.waiting.Add(-1)
	select {
	case s.render <- struct{}{}:
		defer func() { <-s.render }()
	case <-ctx.Done():
		return blob.Info{}, ctx.Err()
	}
	rc, _, err := s.blobs.Get(ctx, originalKey(a.SHA256), nil)
	if err != nil {
		return blob.Info{}, storageError(err, "reading the original")
	}
	src, err := io.ReadAll(io.LimitReader(rc, a.Size+1))
	rc.Close()
	if err != nil {
		return blob.Info{}, storageError(err, "reading the original")
	}
	var out bytes.Buffer
	if err := rendition.Render(&out, bytes.NewReader(src), p, fx, fy, s.cfg.MaxPixels); err != nil {
		return blob.Info{}, errs.Wrap(errs.BadUserInput, err, "asset %s cannot be rendered: its image is damaged or too large", a.ID)
	}
	info, err := s.blobs.Put(ctx, key, &out, int64(out.Len()), blob.PutOptions{ContentType: p.Format.ContentType()})
	if err != nil {
		return blob.Info{}, storageError(err, "storing the rendition")
	}
	s.made.Add(key, info)
	s.cfg.Logger.DebugContext(ctx, "rendition made", "asset", a.ID, "key", key, "bytes", info.Size)
	return info, nil
}
