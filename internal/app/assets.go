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

// openAssets opens blob storage (the data dir, or S3) and the asset
// service, and starts the sweeper.
func (a *App) openAssets(ctx context.Context, store *postgres.Store, secret []byte) error {
	blobs, handler, err := openBlobs(ctx, a.Config.BlobBackend, a.blobConfig(secret), a.s3Config())
	if err != nil {
		return err
	}
	a.BlobHandler = handler
	locales, err := a.Config.LocaleConfig()
	if err != nil {
		return err
	}
	a.Assets, err = assets.New(assets.Config{Blobs: blobs, Store: store.Assets(), MaxUploadBytes: a.Config.MaxUploadBytes,
		URLSecret: deriveKey(secret, "asset-urls"), PublicURL: a.Config.PublicURL, Logger: a.Log,
		CheckLocale: func(l string) error { _, err := locales.Chain(l); return err }})
	if err != nil {
		return err
	}
	if !a.servicesOnly { // the serving process sweeps
		a.closers = append(a.closers, a.Assets.StartSweeper(sweepInterval))
	}
	return nil
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
