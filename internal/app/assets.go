package app

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"net/http"
	"path/filepath"
	"time"

	"github.com/mosaichq/mosaic/assets"
	"github.com/mosaichq/mosaic/internal/periodic"
	"github.com/mosaichq/mosaic/internal/scratch"
	"github.com/mosaichq/mosaic/server"
	"github.com/mosaichq/mosaic/storage/blob"
	"github.com/mosaichq/mosaic/storage/blob/fsblob"
	"github.com/mosaichq/mosaic/storage/blob/s3blob"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// sweepInterval is how often storage left over by failed or abandoned
// uploads is looked for.
const sweepInterval = 30 * time.Minute

// deriveKey makes an independent key for purpose from the process secret,
// so presigned URLs and rendition signatures never share a key with tokens.
func deriveKey(secret []byte, purpose string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("mosaic/" + purpose))
	return m.Sum(nil)
}

// tempSweeper is a blob store with temporary files of its own (the local
// one).
type tempSweeper interface {
	SweepTemp() (scratch.Report, error)
	Close() error
}

// openAssets opens this process's directory for upload spools, blob
// storage (the data dir, or S3) and the asset service; removes the
// temporary files crashed processes left; and starts the sweepers.
func (a *App) openAssets(ctx context.Context, store *postgres.Store, secret []byte) error {
	spool, err := scratch.Open(filepath.Join(a.Config.DataDir, "tmp"))
	if err != nil {
		return fmt.Errorf("opening the upload spool directory: %w", err)
	}
	a.spool = spool
	a.closers = append(a.closers, func() { _ = spool.Close() })
	blobs, handler, err := openBlobs(ctx, a.Config.BlobBackend, a.blobConfig(secret), a.s3Config())
	if err != nil {
		return err
	}
	a.BlobHandler = handler
	if ts, ok := blobs.(tempSweeper); ok {
		a.blobTemp = ts
		a.closers = append(a.closers, func() { _ = ts.Close() })
	}
	a.sweepTemp(ctx)
	a.closers = append(a.closers, periodic.Start(sweepInterval, a.sweepTemp))
	locales, err := a.Config.LocaleConfig()
	if err != nil {
		return err
	}
	a.Assets, err = assets.New(assets.Config{Blobs: blobs, Store: store.Assets(), MaxUploadBytes: a.Config.MaxUploadBytes,
		URLSecret: deriveKey(secret, "asset-urls"), PublicURL: a.Config.PublicURL, Logger: a.Log, TempDir: spool.Path(),
		CheckLocale: func(l string) error { _, err := locales.Chain(l); return err }})
	if err != nil {
		return err
	}
	if !a.servicesOnly { // the serving process sweeps
		a.closers = append(a.closers, a.Assets.StartSweeper(sweepInterval))
	}
	return nil
}

// sweepTemp removes the upload spools and blob writes that processes which
// are gone — crashed mid-upload — left in the data dir, never those of a
// live replica sharing it (package scratch says how it tells).
func (a *App) sweepTemp(ctx context.Context) {
	sweeps := map[string]func() (scratch.Report, error){"uploads": func() (scratch.Report, error) { return a.spool.Sweep(time.Now()) }}
	if a.blobTemp != nil {
		sweeps["blobs"] = a.blobTemp.SweepTemp
	}
	for what, sweep := range sweeps {
		r, err := sweep()
		switch {
		case err != nil:
			a.Log.WarnContext(ctx, "removing temporary files of stopped processes", "where", what, "error", err)
		case r != scratch.Report{}:
			a.Log.InfoContext(ctx, "removed temporary files of stopped processes", "where", what,
				"dirs", r.Dirs, "files", r.Files, "bytes", r.Bytes)
		}
	}
}

func (a *App) blobConfig(secret []byte) fsblob.Config {
	return fsblob.Config{Dir: filepath.Join(a.Config.DataDir, "blobs"), BaseURL: a.Config.PublicURL + server.BlobPath,
		Secret: deriveKey(secret, "blob-presign"), MaxPresignedPut: a.Config.MaxUploadBytes}
}

func (a *App) s3Config() s3blob.Config {
	c := a.Config
	return s3blob.Config{Endpoint: c.S3Endpoint, Region: c.S3Region, Bucket: c.S3Bucket, AccessKey: c.S3AccessKey,
		SecretKey: c.S3SecretKey, UseSSL: c.S3UseSSL, PathStyle: c.S3PathStyle, CreateBucket: c.S3CreateBucket}
}

// openBlobs opens the configured backend; the handler serves a local
// store's presigned URLs (nil for S3).
func openBlobs(ctx context.Context, backend string, local fsblob.Config, s3 s3blob.Config) (blob.Store, http.Handler, error) {
	if backend == "s3" {
		s, err := s3blob.New(ctx, s3)
		if err != nil {
			return nil, nil, fmt.Errorf("opening S3 asset storage: %w", err)
		}
		return s, nil, nil
	}
	s, err := fsblob.New(local)
	if err != nil {
		return nil, nil, fmt.Errorf("opening local asset storage: %w", err)
	}
	return s, s.Handler(), nil
}
