package assets

import (
	"context"
	"errors"
	"path"
	"time"

	"github.com/mosaichq/mosaic/internal/periodic"
)

// SweepReport counts what a sweep removed.
type SweepReport struct {
	ExpiredUploads int
	StrayUploads   int
	Originals      int
	Renditions     int
}

// Sweep removes what failed or abandoned work left in storage: expired
// direct uploads, staged objects without a pending upload, and originals
// no asset uses (with their renditions) that are older than SweepGrace.
// It is safe to run on several replicas at once.
func (s *Service) Sweep(ctx context.Context) (SweepReport, error) {
	var r SweepReport
	now := s.cfg.Now()
	expired, err := s.store.ExpiredUploads(ctx, now, 1000)
	if err != nil {
		return r, err
	}
	for _, u := range expired {
		if err := s.blobs.Delete(ctx, stagingKey(u.ID)); err != nil {
			return r, err
		}
		if err := s.store.DeleteUpload(ctx, u.ID); err != nil {
			return r, err
		}
		r.ExpiredUploads++
	}
	cutoff := now.Add(-s.cfg.SweepGrace)
	for info, err := range s.blobs.List(ctx, "uploads/") {
		if err != nil {
			return r, err
		}
		if info.ModTime.After(cutoff) {
			continue
		}
		ok, err := s.store.UploadExists(ctx, path.Base(info.Key))
		if err != nil {
			return r, err
		}
		if !ok {
			if err := s.blobs.Delete(ctx, info.Key); err != nil {
				return r, err
			}
			r.StrayUploads++
		}
	}
	for info, err := range s.blobs.List(ctx, "originals/") {
		if err != nil {
			return r, err
		}
		sha := path.Base(info.Key)
		if info.ModTime.After(cutoff) || !shaPattern.MatchString(sha) {
			continue
		}
		n, err := s.discardCounting(ctx, sha)
		if err != nil {
			return r, err
		}
		if n >= 0 {
			r.Originals++
			r.Renditions += n
		}
	}
	return r, nil
}

// discard removes the original sha256 and its renditions unless an asset
// uses it, under the blob lock that row inserts take.
func (s *Service) discard(ctx context.Context, sha string) error {
	_, err := s.discardCounting(ctx, sha)
	return err
}

// discardCounting is discard returning how many renditions went, or -1
// when the blob is in use.
func (s *Service) discardCounting(ctx context.Context, sha string) (int, error) {
	n := -1
	err := s.store.WithBlobLock(ctx, sha, func(referenced bool) error {
		if referenced {
			return nil
		}
		n = 0
		for info, err := range s.blobs.List(ctx, renditionPrefix(sha)) {
			if err != nil {
				return err
			}
			if err := s.blobs.Delete(ctx, info.Key); err != nil {
				return err
			}
			s.made.Remove(info.Key)
			n++
		}
		return s.blobs.Delete(ctx, originalKey(sha))
	})
	return n, err
}

// StartSweeper runs Sweep every interval until the returned stop is
// called (stop is safe to call twice and waits for a sweep in progress).
func (s *Service) StartSweeper(interval time.Duration) (stop func()) {
	return periodic.Start(interval, func(ctx context.Context) {
		r, err := s.Sweep(ctx)
		switch {
		case err != nil && !errors.Is(err, context.Canceled):
			s.cfg.Logger.WarnContext(ctx, "sweeping asset storage", "error", err)
		case r != SweepReport{}:
			s.cfg.Logger.InfoContext(ctx, "swept asset storage", "expired_uploads", r.ExpiredUploads,
				"stray_uploads", r.StrayUploads, "originals", r.Originals, "renditions", r.Renditions)
		}
	})
}
