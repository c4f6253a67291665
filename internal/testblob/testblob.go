package testblob

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/mosaichq/mosaic/storage/blob/fsblob"
	"github.com/mosaichq/mosaic/storage/blob/s3blob"
)

// The variables testenv exports for the S3-compatible server.
const (
	EnvEndpoint  = "TEST_S3_ENDPOINT"
	EnvAccessKey = "TEST_S3_ACCESS_KEY"
	EnvSecretKey = "TEST_S3_SECRET_KEY"
	EnvRegion    = "TEST_S3_REGION"
)

// Secret signs local presigned URLs in tests.
var Secret = []byte("testblob-secret-testblob-secret!")

// Local returns a store in a temporary directory whose presigned URLs are
// served by an httptest server.
func Local(t testing.TB) *fsblob.Store {
	t.Helper()
	var s *fsblob.Store
	srv := httptest.NewServer(nil)
	t.Cleanup(srv.Close)
	s, err := fsblob.New(fsblob.Config{Dir: t.TempDir(), BaseURL: srv.URL + "/blobs", Secret: Secret})
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = s.Handler()
	return s
}

// S3Config returns the test server's settings with a fresh bucket name
// (the bucket is not created). It fails the test when the server is not
// configured: storage tests never silently skip.
func S3Config(t testing.TB) s3blob.Config {
	t.Helper()
	endpoint := os.Getenv(EnvEndpoint)
	if endpoint == "" {
		t.Fatalf("testblob: %s is not set. Run the tests with `make test` (or "+
			"`go run ./internal/tools/testenv -- go test ./...`), which starts a throwaway S3-compatible server and sets it.", EnvEndpoint)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	return s3blob.Config{Endpoint: endpoint, Region: os.Getenv(EnvRegion), AccessKey: os.Getenv(EnvAccessKey),
		SecretKey: os.Getenv(EnvSecretKey), PathStyle: true, CreateBucket: true,
		Bucket: "t-" + strings.ToLower(hex.EncodeToString(b[:]))}
}

// S3 returns a store on a fresh bucket of the test server, emptied and
// removed when the test ends.
func S3(t testing.TB) *s3blob.Store {
	t.Helper()
	return S3With(t, S3Config(t))
}

// S3With opens a store with cfg (creating its bucket) and removes the
// bucket when the test ends. cfg.Endpoint may point at a proxy; cleanup
// then still goes to the real server.
func S3With(t testing.TB, cfg s3blob.Config) *s3blob.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := s3blob.New(ctx, cfg)
	if err != nil {
		t.Fatalf("testblob: %v", err)
	}
	t.Cleanup(func() {
		direct := cfg
		direct.Endpoint, direct.CreateBucket = os.Getenv(EnvEndpoint), false
		removeBucket(t, direct)
	})
	return s
}

func removeBucket(t testing.TB, cfg s3blob.Config) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := s3blob.New(ctx, cfg)
	if err != nil {
		t.Errorf("testblob: removing bucket %s: %v", cfg.Bucket, err)
		return
	}
	for info, err := range s.List(ctx, "") {
		if err != nil {
			t.Errorf("testblob: emptying bucket %s: %v", cfg.Bucket, err)
			return
		}
		if err := s.Delete(ctx, info.Key); err != nil {
			t.Errorf("testblob: emptying bucket %s: %v", cfg.Bucket, err)
			return
		}
	}
	if err := s.Client().RemoveBucket(ctx, cfg.Bucket); err != nil {
		t.Errorf("testblob: removing bucket %s: %v", cfg.Bucket, err)
	}
}
