package assets

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"time"

	"github.com/google/uuid"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/storage/blob"
)

// DirectInput announces a file the client will PUT straight to storage.
type DirectInput struct {
	Filename    string
	ContentType string
	Size        int64
	// SHA256 (hex), when given, is checked at FinalizeUpload.
	SHA256 string
}

// DirectUpload is where and how to PUT the file.
type DirectUpload struct {
	ID     string
	URL    string
	Method string
	// Headers must be sent with the PUT.
	Headers   map[string]string
	ExpiresAt time.Time
	MaxBytes  int64
}

var shaPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

// CreateUpload presigns a PUT of the announced file to a staging key.
func (s *Service) CreateUpload(ctx context.Context, in DirectInput, actor string) (DirectUpload, error) {
	if err := CheckFilename(in.Filename); err != nil {
		return DirectUpload{}, err
	}
	var fe []errs.FieldError
	ct := normaliseDeclared(in.ContentType)
	if _, ok := allowed[ct]; !ok {
		fe = append(fe, errs.FieldError{Path: "input.contentType", Message: fmt.Sprintf("%q is not accepted; allowed: %s", in.ContentType, allowedList())})
	}
	if in.Size <= 0 || in.Size > s.cfg.MaxUploadBytes {
		fe = append(fe, errs.FieldError{Path: "input.size", Message: fmt.Sprintf("must be 1 to %d bytes", s.cfg.MaxUploadBytes)})
	}
	if in.SHA256 != "" && !shaPattern.MatchString(in.SHA256) {
		fe = append(fe, errs.FieldError{Path: "input.sha256", Message: "must be 64 lower-case hex digits"})
	}
	if len(fe) > 0 {
		return DirectUpload{}, errs.Invalid("the upload cannot be created", fe...)
	}
	now := s.cfg.Now().UTC()
	u := PendingUpload{ID: uuid.NewString(), Filename: in.Filename, ContentType: ct, Size: in.Size, SHA256: in.SHA256,
		CreatedBy: actor, CreatedAt: now, ExpiresAt: now.Add(s.cfg.UploadTTL)}
	url, err := s.blobs.Presign(ctx, http.MethodPut, stagingKey(u.ID), s.cfg.UploadTTL)
	if err != nil {
		return DirectUpload{}, storageError(err, "presigning the upload")
	}
	if err := s.store.CreateUpload(ctx, u); err != nil {
		return DirectUpload{}, err
	}
	return DirectUpload{ID: u.ID, URL: url, Method: http.MethodPut, Headers: map[string]string{"Content-Type": ct},
		ExpiresAt: u.ExpiresAt, MaxBytes: in.Size}, nil
}

// FinalizeUpload turns a staged direct upload into an asset, checking it
// exactly as an upload through the API: size, digest, content, type.
// Whether it succeeds or the file is refused, the staged object and the
// pending upload are gone afterwards; a storage outage leaves both for a
// retry.
func (s *Service) FinalizeUpload(ctx context.Context, id string, m Meta, actor string) (Asset, error) {
	if !uuidPattern.MatchString(id) {
		return Asset{}, errs.E(errs.NotFound, "upload %q not found", id)
	}
	u, err := s.store.Upload(ctx, id)
	if err != nil {
		if errs.CodeOf(err) == errs.NotFound {
			return Asset{}, errs.E(errs.NotFound, "upload %s not found: it expired or was finalized already", id)
		}
		return Asset{}, err
	}
	if s.cfg.Now().After(u.ExpiresAt) {
		s.dropUpload(ctx, id)
		return Asset{}, errs.E(errs.NotFound, "upload %s expired at %s: create a new one", id, u.ExpiresAt.Format(time.RFC3339))
	}
	key := stagingKey(id)
	info, err := s.blobs.Stat(ctx, key)
	switch {
	case errors.Is(err, blob.ErrNotFound):
		return Asset{}, errs.Invalid(fmt.Sprintf("nothing has been uploaded for %s yet: PUT the file to the upload's URL first", id),
			errs.FieldError{Path: "id", Message: "no file uploaded"})
	case err != nil:
		return Asset{}, storageError(err, "reading the uploaded file")
	case info.Size != u.Size:
		s.dropUpload(ctx, id)
		return Asset{}, fileError("the uploaded file has %d bytes but %d were announced; create a new upload", info.Size, u.Size)
	}
	rc, _, err := s.blobs.Get(ctx, key, nil)
	if err != nil {
		return Asset{}, storageError(err, "reading the uploaded file")
	}
	defer rc.Close()
	a, sp, err := s.prepare(ctx, UploadInput{Filename: u.Filename, ContentType: u.ContentType, Size: u.Size, Body: rc, Meta: m, Actor: actor},
		func(err error) error { return storageError(err, "reading the uploaded file") })
	if err != nil {
		if errs.CodeOf(err) == errs.BadUserInput {
			s.dropUpload(ctx, id)
		}
		return Asset{}, err
	}
	defer sp.remove()
	if u.SHA256 != "" && u.SHA256 != sp.sha {
		s.dropUpload(ctx, id)
		return Asset{}, fileError("the uploaded file's SHA-256 is %s, not the %s announced; create a new upload", sp.sha, u.SHA256)
	}
	out, err := s.commit(ctx, a, sp)
	if err != nil {
		return Asset{}, err
	}
	s.dropUpload(ctx, id)
	return out, nil
}

// dropUpload removes a staged object and its pending row, best effort:
// what fails here, Sweep removes later.
func (s *Service) dropUpload(ctx context.Context, id string) {
	ctx = context.WithoutCancel(ctx)
	if err := s.blobs.Delete(ctx, stagingKey(id)); err != nil {
		s.cfg.Logger.WarnContext(ctx, "removing a staged upload", "upload", id, "error", err)
		return // the row keeps it findable for Sweep
	}
	if err := s.store.DeleteUpload(ctx, id); err != nil {
		s.cfg.Logger.WarnContext(ctx, "removing a pending upload", "upload", id, "error", err)
	}
}
