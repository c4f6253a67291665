package s3blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/mosaichq/mosaic/storage/blob"
)

// Config configures a Store.
type Config struct {
	// Endpoint is host[:port], or a URL whose scheme then decides TLS.
	Endpoint string
	Region   string
	Bucket   string
	// AccessKey and SecretKey are static credentials.
	AccessKey string
	SecretKey string
	// UseSSL talks HTTPS (ignored when Endpoint is a URL).
	UseSSL bool
	// PathStyle addresses buckets as endpoint/bucket (MinIO, Versity,
	// most self-hosted servers) rather than bucket.endpoint.
	PathStyle bool
	// CreateBucket creates the bucket at start-up when it is missing.
	CreateBucket bool
	// MaxRetries bounds retries of a failing request (default 3), so an
	// outage is reported in about a second rather than after minio-go's 10.
	MaxRetries int
	// Timeout bounds connecting and waiting for response headers (default 10s).
	Timeout time.Duration
}

func (c Config) withDefaults() (Config, error) {
	if c.MaxRetries <= 0 {
		c.MaxRetries = 3
	}
	if c.Timeout <= 0 {
		c.Timeout = 10 * time.Second
	}
	if strings.Contains(c.Endpoint, "://") {
		u, err := url.Parse(c.Endpoint)
		if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") || strings.Trim(u.Path, "/") != "" {
			return c, fmt.Errorf("s3blob: endpoint %q must be host[:port] or http(s)://host[:port]", c.Endpoint)
		}
		c.Endpoint, c.UseSSL = u.Host, u.Scheme == "https"
	}
	return c, nil
}

// Validate reports a precise problem with c, or nil.
func (c Config) Validate() error {
	c, err := c.withDefaults()
	switch {
	case err != nil:
		return err
	case c.Endpoint == "":
		return errors.New("s3blob: endpoint is required")
	case c.Bucket == "":
		return errors.New("s3blob: bucket is required")
	case len(c.Bucket) < 3 || len(c.Bucket) > 63 || strings.ToLower(c.Bucket) != c.Bucket:
		return fmt.Errorf("s3blob: bucket %q must be 3-63 lower-case characters", c.Bucket)
	case (c.AccessKey == "") != (c.SecretKey == ""):
		return errors.New("s3blob: set both access key and secret key, or neither (anonymous)")
	}
	return nil
}

// Store is a bucket.
type Store struct {
	c      *minio.Client
	bucket string
}

var _ blob.Store = (*Store)(nil)

// New connects to the service and checks the bucket, creating it when
// allowed.
func New(ctx context.Context, cfg Config) (*Store, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg, _ = cfg.withDefaults()
	tr, err := minio.DefaultTransport(cfg.UseSSL)
	if err != nil {
		return nil, fmt.Errorf("s3blob: %w", err)
	}
	tr.DialContext = (&net.Dialer{Timeout: cfg.Timeout, KeepAlive: 30 * time.Second}).DialContext
	tr.ResponseHeaderTimeout = cfg.Timeout
	lookup := minio.BucketLookupAuto
	if cfg.PathStyle {
		lookup = minio.BucketLookupPath
	}
	var creds *credentials.Credentials
	if cfg.AccessKey != "" {
		creds = credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, "")
	} else {
		creds = credentials.New(&credentials.Static{}) // anonymous
	}
	c, err := minio.New(cfg.Endpoint, &minio.Options{Creds: creds, Secure: cfg.UseSSL, Region: cfg.Region,
		BucketLookup: lookup, Transport: tr, MaxRetries: cfg.MaxRetries})
	if err != nil {
		return nil, fmt.Errorf("s3blob: %w", err)
	}
	s := &Store{c: c, bucket: cfg.Bucket}
	ok, err := c.BucketExists(ctx, cfg.Bucket)
	if err != nil {
		return nil, fmt.Errorf("s3blob: checking bucket %s at %s: %w", cfg.Bucket, cfg.Endpoint, s.mapErr(err))
	}
	if !ok {
		if !cfg.CreateBucket {
			return nil, fmt.Errorf("s3blob: bucket %s does not exist at %s (and creating it is not allowed)", cfg.Bucket, cfg.Endpoint)
		}
		if err := c.MakeBucket(ctx, cfg.Bucket, minio.MakeBucketOptions{Region: cfg.Region}); err != nil {
			code := minio.ToErrorResponse(err).Code
			if code != "BucketAlreadyOwnedByYou" && code != "BucketAlreadyExists" {
				return nil, fmt.Errorf("s3blob: creating bucket %s: %w", cfg.Bucket, s.mapErr(err))
			}
		}
	}
	return s, nil
}

// Bucket is the bucket's name.
func (s *Store) Bucket() string { return s.bucket }

// Client exposes the minio client (tests remove their buckets with it).
func (s *Store) Client() *minio.Client { return s.c }

// Put implements blob.Store.
func (s *Store) Put(ctx context.Context, key string, r io.Reader, size int64, opts blob.PutOptions) (blob.Info, error) {
	if err := blob.CheckKey(key); err != nil {
		return blob.Info{}, err
	}
	if size < 0 {
		return blob.Info{}, fmt.Errorf("s3blob: put %s: size must be known, got %d", key, size)
	}
	ct := opts.ContentType
	if ct == "" {
		ct = "application/octet-stream"
	}
	if sr, ok := r.(sizedReaderAt); ok {
		if pos, err := sr.Seek(0, io.SeekCurrent); err == nil && pos == 0 {
			// The whole body is at hand: its size is checked before
			// anything is sent, and minio-go can sign it and upload parts
			// in parallel from it.
			switch n := sr.Size(); {
			case n < size:
				return blob.Info{}, fmt.Errorf("s3blob: put %s: %w (%d of %d bytes)", key, blob.ErrTruncated, n, size)
			case n > size:
				return blob.Info{}, fmt.Errorf("s3blob: put %s: %w (%d bytes)", key, blob.ErrTooLarge, size)
			}
			if _, err := s.c.PutObject(ctx, s.bucket, key, sr, size, minio.PutObjectOptions{ContentType: ct}); err != nil {
				return blob.Info{}, fmt.Errorf("s3blob: put %s: %w", key, s.mapErr(err))
			}
			return s.Stat(ctx, key)
		}
	}
	er := &exactReader{r: r, left: size}
	_, err := s.c.PutObject(ctx, s.bucket, key, er, size, minio.PutObjectOptions{ContentType: ct})
	if er.short {
		return blob.Info{}, fmt.Errorf("s3blob: put %s: %w (%d of %d bytes)", key, blob.ErrTruncated, size-er.left, size)
	}
	if err != nil {
		return blob.Info{}, fmt.Errorf("s3blob: put %s: %w", key, s.mapErr(err))
	}
	// minio-go reads exactly size bytes: more is the writer's mistake, and
	// the object must not stay.
	var one [1]byte
	if n, _ := io.ReadFull(r, one[:]); n > 0 {
		_ = s.Delete(context.WithoutCancel(ctx), key)
		return blob.Info{}, fmt.Errorf("s3blob: put %s: %w (%d bytes)", key, blob.ErrTooLarge, size)
	}
	return s.Stat(ctx, key)
}

// sizedReaderAt is a body whose bytes are all at hand: *io.SectionReader,
// *bytes.Reader, *strings.Reader.
type sizedReaderAt interface {
	io.ReaderAt
	io.ReadSeeker
	Size() int64
}

// exactReader turns an early EOF into a remembered truncation.
type exactReader struct {
	r     io.Reader
	left  int64
	short bool
}

func (e *exactReader) Read(p []byte) (int, error) {
	if e.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > e.left {
		p = p[:e.left]
	}
	n, err := e.r.Read(p)
	e.left -= int64(n)
	if err == io.EOF && e.left > 0 {
		e.short = true
		return n, io.ErrUnexpectedEOF
	}
	if e.left == 0 && err == nil {
		err = io.EOF
	}
	return n, err
}

// Get implements blob.Store.
func (s *Store) Get(ctx context.Context, key string, rng *blob.Range) (io.ReadCloser, blob.Info, error) {
	if err := blob.CheckKey(key); err != nil {
		return nil, blob.Info{}, err
	}
	if rng == nil {
		obj, err := s.c.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
		if err != nil {
			return nil, blob.Info{}, fmt.Errorf("s3blob: get %s: %w", key, s.mapErr(err))
		}
		oi, err := obj.Stat() // issues the request
		if err != nil {
			obj.Close()
			return nil, blob.Info{}, fmt.Errorf("s3blob: get %s: %w", key, s.mapErr(err))
		}
		return obj, info(key, oi), nil
	}
	whole, err := s.Stat(ctx, key)
	if err != nil {
		return nil, blob.Info{}, err
	}
	off, n, err := blob.Clamp(rng, whole.Size)
	if err != nil {
		return nil, blob.Info{}, fmt.Errorf("s3blob: get %s: %w", key, err)
	}
	if n == 0 {
		return io.NopCloser(strings.NewReader("")), whole, nil
	}
	var opts minio.GetObjectOptions
	if err := opts.SetRange(off, off+n-1); err != nil {
		return nil, blob.Info{}, fmt.Errorf("s3blob: get %s: %w", key, err)
	}
	obj, err := s.c.GetObject(ctx, s.bucket, key, opts)
	if err != nil {
		return nil, blob.Info{}, fmt.Errorf("s3blob: get %s: %w", key, s.mapErr(err))
	}
	if _, err := obj.Stat(); err != nil {
		obj.Close()
		return nil, blob.Info{}, fmt.Errorf("s3blob: get %s: %w", key, s.mapErr(err))
	}
	return obj, whole, nil
}

// Stat implements blob.Store.
func (s *Store) Stat(ctx context.Context, key string) (blob.Info, error) {
	if err := blob.CheckKey(key); err != nil {
		return blob.Info{}, err
	}
	oi, err := s.c.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{})
	if err != nil {
		return blob.Info{}, fmt.Errorf("s3blob: stat %s: %w", key, s.mapErr(err))
	}
	return info(key, oi), nil
}

// Delete implements blob.Store.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := blob.CheckKey(key); err != nil {
		return err
	}
	err := s.c.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{})
	if err != nil && !errors.Is(s.mapErr(err), blob.ErrNotFound) {
		return fmt.Errorf("s3blob: delete %s: %w", key, s.mapErr(err))
	}
	return nil
}

// Presign implements blob.Store.
func (s *Store) Presign(ctx context.Context, method, key string, expiry time.Duration) (string, error) {
	if err := blob.CheckKey(key); err != nil {
		return "", err
	}
	if err := blob.CheckMethod(method); err != nil {
		return "", err
	}
	var u *url.URL
	var err error
	if method == http.MethodPut {
		u, err = s.c.PresignedPutObject(ctx, s.bucket, key, expiry)
	} else {
		u, err = s.c.PresignedGetObject(ctx, s.bucket, key, expiry, nil)
	}
	if err != nil {
		return "", fmt.Errorf("s3blob: presign %s: %w", key, s.mapErr(err))
	}
	return u.String(), nil
}

// List implements blob.Store.
func (s *Store) List(ctx context.Context, prefix string) iter.Seq2[blob.Info, error] {
	return func(yield func(blob.Info, error) bool) {
		if err := blob.CheckPrefix(prefix); err != nil {
			yield(blob.Info{}, err)
			return
		}
		ctx, cancel := context.WithCancel(ctx)
		defer cancel() // stops minio-go's lister when the consumer stops early
		for oi := range s.c.ListObjectsIter(ctx, s.bucket, minio.ListObjectsOptions{Prefix: prefix, Recursive: true}) {
			if oi.Err != nil {
				yield(blob.Info{}, fmt.Errorf("s3blob: list %s: %w", prefix, s.mapErr(oi.Err)))
				return
			}
			if !yield(info(oi.Key, oi), nil) {
				return
			}
		}
	}
}

func info(key string, oi minio.ObjectInfo) blob.Info {
	etag := oi.ETag
	if etag != "" && !strings.HasPrefix(etag, `"`) {
		etag = `"` + etag + `"`
	}
	return blob.Info{Key: key, Size: oi.Size, ContentType: oi.ContentType, ETag: etag, ModTime: oi.LastModified.UTC()}
}

// mapErr normalises minio-go errors: a missing object or bucket is
// ErrNotFound, an unsatisfiable range ErrInvalidRange, a cancelled context
// stays itself, and anything else — refused connections, timeouts, 5xx,
// denied credentials — is ErrUnavailable.
func (s *Store) mapErr(err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	resp := minio.ToErrorResponse(err)
	switch {
	case resp.Code == "NoSuchKey" || resp.Code == "NoSuchBucket" || resp.StatusCode == http.StatusNotFound:
		return fmt.Errorf("%w: %w", blob.ErrNotFound, err)
	case resp.Code == "InvalidRange" || resp.StatusCode == http.StatusRequestedRangeNotSatisfiable:
		return fmt.Errorf("%w: %w", blob.ErrInvalidRange, err)
	}
	return fmt.Errorf("%w: %w", blob.ErrUnavailable, err)
}
