package assets

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/google/uuid"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/storage/blob"
)

// UploadInput is one file arriving through the API.
type UploadInput struct {
	// Filename is the name the client gave the file; Meta.Filename, when
	// set, wins.
	Filename string
	// ContentType is the type the client declared ("" or
	// application/octet-stream: none).
	ContentType string
	// Size is the declared size, or -1 when unknown.
	Size  int64
	Body  io.Reader
	Meta  Meta
	Actor string
}

// Upload stores a new asset: checked, content addressed, described.
func (s *Service) Upload(ctx context.Context, in UploadInput) (Asset, error) {
	a, sp, err := s.prepare(ctx, in, func(err error) error {
		return fileError("the upload was cut off before the end of the file (%v)", err)
	})
	if err != nil {
		return Asset{}, err
	}
	defer sp.remove()
	return s.commit(ctx, a, sp)
}

// prepare spools and checks an upload and builds its asset. readErr maps a
// failure to read the body (the client's connection for a multipart
// upload, storage for a direct one).
func (s *Service) prepare(ctx context.Context, in UploadInput, readErr func(error) error) (Asset, *spooled, error) {
	name := in.Filename
	if in.Meta.Filename != nil {
		name = *in.Meta.Filename
	}
	if err := CheckFilename(name); err != nil {
		return Asset{}, nil, err
	}
	if err := s.checkMeta(&in.Meta); err != nil {
		return Asset{}, nil, err
	}
	if in.Size > s.cfg.MaxUploadBytes {
		return Asset{}, nil, s.tooLarge()
	}
	sp, err := s.spool(ctx, in.Body, in.Size, readErr)
	if err != nil {
		return Asset{}, nil, err
	}
	a, err := s.check(sp, name, in.ContentType)
	if err != nil {
		sp.remove()
		return Asset{}, nil, err
	}
	in.Meta.Filename = nil
	in.Meta.apply(&a)
	a.CreatedBy, a.UpdatedBy = in.Actor, in.Actor
	return a, sp, nil
}

func (s *Service) tooLarge() error {
	return fileError("the file is larger than the upload limit of %d bytes (%.1f MiB)",
		s.cfg.MaxUploadBytes, float64(s.cfg.MaxUploadBytes)/(1<<20))
}

// spooled is an upload on local disk with its digest and first bytes.
type spooled struct {
	f    *os.File
	size int64
	sha  string
	head []byte
}

func (sp *spooled) remove() {
	sp.f.Close()
	os.Remove(sp.f.Name())
}

func (sp *spooled) reader() io.Reader { return io.NewSectionReader(sp.f, 0, sp.size) }

// spool copies r to a temporary file, at most MaxUploadBytes, hashing it.
func (s *Service) spool(ctx context.Context, r io.Reader, declared int64, readErr func(error) error) (*spooled, error) {
	f, err := os.CreateTemp(s.cfg.TempDir, "mosaic-upload-*")
	if err != nil {
		return nil, fmt.Errorf("spooling an upload: %w", err)
	}
	sp := &spooled{f: f}
	h := sha256.New()
	head := &headWriter{max: sniffLen}
	n, err := io.Copy(io.MultiWriter(f, h, head), io.LimitReader(ctxReader{ctx, r}, s.cfg.MaxUploadBytes+1))
	sp.size, sp.head, sp.sha = n, head.b, hex.EncodeToString(h.Sum(nil))
	switch {
	case err != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)):
		sp.remove()
		return nil, err
	case err != nil:
		sp.remove()
		return nil, readErr(err)
	case n > s.cfg.MaxUploadBytes:
		sp.remove()
		return nil, s.tooLarge()
	case declared >= 0 && n != declared:
		sp.remove()
		return nil, fileError("the upload is incomplete: %d bytes arrived, %d were announced", n, declared)
	case n == 0:
		sp.remove()
		return nil, fileError("the file is empty")
	}
	return sp, nil
}

// check sniffs and inspects a spooled file, returning the asset it makes.
func (s *Service) check(sp *spooled, name, declared string) (Asset, error) {
	ct, err := sniff(sp.head, sp.reader())
	if err != nil {
		return Asset{}, err
	}
	if err := checkDeclared(declared, name, ct); err != nil {
		return Asset{}, err
	}
	w, h, err := inspect(sp.f, sp.size, ct, s.cfg.MaxPixels)
	if err != nil {
		return Asset{}, err
	}
	now := s.cfg.Now().UTC()
	return Asset{ID: uuid.NewString(), SHA256: sp.sha, Filename: withExtension(name, ct), ContentType: ct,
		Size: sp.size, Width: w, Height: h, Alt: map[string]string{}, Tags: []string{}, Version: 1,
		CreatedAt: now, UpdatedAt: now}, nil
}

// commit writes the blob (unless identical bytes are stored already), then
// the row. A failed blob write leaves no row; a failed row write removes
// the blob this call wrote, unless another asset uses it by then.
func (s *Service) commit(ctx context.Context, a Asset, sp *spooled) (Asset, error) {
	key := originalKey(a.SHA256)
	wrote := false
	_, err := s.blobs.Stat(ctx, key)
	switch {
	case errors.Is(err, blob.ErrNotFound):
		if _, err := s.blobs.Put(ctx, key, sp.reader(), sp.size, blob.PutOptions{ContentType: a.ContentType}); err != nil {
			return Asset{}, storageError(err, "writing the file")
		}
		wrote = true
	case err != nil:
		return Asset{}, storageError(err, "checking for the file")
	}
	out, err := s.store.CreateAsset(ctx, a)
	if err != nil {
		if wrote {
			if derr := s.discard(context.WithoutCancel(ctx), a.SHA256); derr != nil {
				s.cfg.Logger.WarnContext(ctx, "removing the blob of a failed upload; the sweeper will retry",
					"sha256", a.SHA256, "error", derr)
			}
		}
		return Asset{}, err
	}
	if !wrote {
		// A sweep may have removed the then-unreferenced blob between the
		// Stat and the row; the row now protects it, so put it back.
		if _, err := s.blobs.Stat(ctx, key); errors.Is(err, blob.ErrNotFound) {
			if _, err := s.blobs.Put(ctx, key, sp.reader(), sp.size, blob.PutOptions{ContentType: a.ContentType}); err != nil {
				s.cfg.Logger.ErrorContext(ctx, "restoring a swept blob", "sha256", a.SHA256, "error", err)
			}
		}
	}
	return out, nil
}

// Update changes an asset's metadata if it is at expectedVersion.
func (s *Service) Update(ctx context.Context, id string, m Meta, expectedVersion int, actor string) (Asset, error) {
	if err := s.checkMeta(&m); err != nil {
		return Asset{}, err
	}
	a, err := s.Asset(ctx, id)
	if err != nil {
		return Asset{}, err
	}
	if a.Version != expectedVersion {
		return Asset{}, errs.E(errs.Conflict, "asset %s is at version %d, not %d: reload and reapply your change", id, a.Version, expectedVersion)
	}
	m.apply(&a)
	a.UpdatedBy = actor
	out, err := s.store.UpdateAsset(ctx, a, expectedVersion)
	if err == nil {
		s.rows.Remove(id)
	}
	return out, err
}

// headWriter keeps the first max bytes written to it.
type headWriter struct {
	b   []byte
	max int
}

func (h *headWriter) Write(p []byte) (int, error) {
	if room := h.max - len(h.b); room > 0 {
		h.b = append(h.b, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

// ctxReader stops a copy when ctx ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
