package config

import (
	"math"
	"net/url"
	"strconv"
)

// Asset storage settings. The S3_* variables carry no MOSAIC_ prefix:
// they are the names operators and S3 tooling already use.
var assetSettings = []setting{
	{"blob-backend", "MOSAIC_BLOB_BACKEND", "local", "where asset files live: local (the data dir) or s3", func(c *Config, v string) error { c.BlobBackend = v; return nil }},
	{"s3-endpoint", "S3_ENDPOINT", "", "S3-compatible endpoint, host[:port] or http(s)://host[:port] (blob-backend s3)", func(c *Config, v string) error { c.S3Endpoint = v; return nil }},
	{"s3-region", "S3_REGION", "us-east-1", "S3 region", func(c *Config, v string) error { c.S3Region = v; return nil }},
	{"s3-bucket", "S3_BUCKET", "mosaic-assets", "S3 bucket for asset files", func(c *Config, v string) error { c.S3Bucket = v; return nil }},
	{"s3-access-key", "S3_ACCESS_KEY", "", "S3 access key", func(c *Config, v string) error { c.S3AccessKey = v; return nil }},
	{"s3-secret-key", "S3_SECRET_KEY", "", "S3 secret key", func(c *Config, v string) error { c.S3SecretKey = v; return nil }},
	{"s3-use-ssl", "S3_USE_SSL", "true", "talk HTTPS to the S3 endpoint", boolInto(func(c *Config) *bool { return &c.S3UseSSL })},
	{"s3-path-style", "S3_PATH_STYLE", "false", "path-style bucket addressing (MinIO, Versity and most self-hosted servers)", boolInto(func(c *Config) *bool { return &c.S3PathStyle })},
	{"s3-create-bucket", "S3_CREATE_BUCKET", "false", "create the bucket at start-up when it is missing", boolInto(func(c *Config) *bool { return &c.S3CreateBucket })},
	{"max-upload-bytes", "MOSAIC_MAX_UPLOAD_BYTES", "52428800", "largest accepted asset file (bytes)", func(c *Config, v string) error {
		n, err := strconv.ParseInt(v, 10, 64)
		c.MaxUploadBytes = n
		return err
	}},
	{"public-url", "MOSAIC_PUBLIC_URL", "", "external base URL of this server or its CDN, for asset URLs (empty: root-relative /assets/...)", func(c *Config, v string) error { c.PublicURL = v; return nil }},
}

func boolInto(field func(*Config) *bool) func(*Config, string) error {
	return func(c *Config, v string) error {
		b, err := strconv.ParseBool(v)
		*field(c) = b
		return err
	}
}

func (c Config) validateAssets() error {
	var p Problems
	s3 := c.BlobBackend == "s3"
	p.check(c.BlobBackend != "local" && !s3, "blob-backend must be local or s3, got %q", c.BlobBackend)
	p.check(s3 && c.S3Endpoint == "", "blob-backend s3 needs S3_ENDPOINT")
	p.check(s3 && c.S3Bucket == "", "blob-backend s3 needs S3_BUCKET")
	p.check(s3 && (c.S3AccessKey == "") != (c.S3SecretKey == ""), "set both S3_ACCESS_KEY and S3_SECRET_KEY, or neither")
	p.check(c.MaxUploadBytes < 1024 || c.MaxUploadBytes > math.MaxInt32,
		"max-upload-bytes must be between 1024 and %d, got %d", math.MaxInt32, c.MaxUploadBytes)
	if c.PublicURL != "" {
		u, err := url.Parse(c.PublicURL)
		p.check(err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "",
			"public-url must be an absolute http(s) URL such as https://cdn.example.com, got %q", c.PublicURL)
	}
	return p.Err()
}
