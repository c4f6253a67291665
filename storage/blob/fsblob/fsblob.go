package fsblob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/mosaichq/mosaic/internal/scratch"
	"github.com/mosaichq/mosaic/storage/blob"
)

// Config configures a Store.
type Config struct {
	// Dir holds the objects; created if missing.
	Dir string
	// BaseURL is where Handler is mounted, e.g.
	// "http://127.0.0.1:8080/assets/_blob" or "/assets/_blob" (relative
	// URLs are resolved by the client against the API's address).
	BaseURL string
	// Secret signs presigned URLs (at least 32 bytes).
	Secret []byte
	// MaxPresignedPut bounds what one presigned PUT may write; default 1 GiB.
	MaxPresignedPut int64
	// Now is the clock for presigned URL expiry; tests inject one.
	Now func() time.Time
}

func (c Config) withDefaults() Config {
	if c.MaxPresignedPut <= 0 {
		c.MaxPresignedPut = 1 << 30
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	c.BaseURL = strings.TrimSuffix(c.BaseURL, "/")
	return c
}

func (c Config) validate() error {
	switch {
	case c.Dir == "":
		return errors.New("fsblob: Dir is required")
	case len(c.Secret) < 32:
		return errors.New("fsblob: Secret must be at least 32 bytes")
	case c.BaseURL == "":
		return errors.New("fsblob: BaseURL is required (where Handler is mounted)")
	}
	return nil
}

// Store keeps objects in a directory.
type Store struct {
	cfg  Config
	data string // root of the object tree
	// tmp is this process's directory for files being written, under
	// Dir/tmp: on the same file system as data, so they can be renamed
	// into place.
	tmp *scratch.Dir
}

var _ blob.Store = (*Store)(nil)

// New opens (creating it if needed) the store in cfg.Dir.
func New(cfg Config) (*Store, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	s := &Store{cfg: cfg, data: filepath.Join(cfg.Dir, "data")}
	if err := os.MkdirAll(s.data, 0o750); err != nil {
		return nil, fmt.Errorf("fsblob: creating %s: %w", s.data, err)
	}
	tmp, err := scratch.Open(filepath.Join(cfg.Dir, "tmp"))
	if err != nil {
		return nil, fmt.Errorf("fsblob: %w", err)
	}
	s.tmp = tmp
	return s, nil
}

// SweepTemp removes the temporary files of writes that processes which are
// gone (crashed mid-write) left in Dir/tmp; never another live process's
// (see package scratch).
func (s *Store) SweepTemp() (scratch.Report, error) { return s.tmp.Sweep(time.Now()) }

// Close removes this process's temporary directory. Writes after Close
// fail.
func (s *Store) Close() error { return s.tmp.Close() }

// meta is an object's sidecar.
type meta struct {
	ContentType string `json:"contentType"`
	ETag        string `json:"etag"`
}

// path maps a checked key to its data file: every segment but the last is a
// directory named segment+"~".
func (s *Store) path(key string) string {
	segs := strings.Split(key, "/")
	for i := range segs[:len(segs)-1] {
		segs[i] += "~"
	}
	return filepath.Join(s.data, filepath.Join(segs...))
}

func metaPath(p string) string { return p + "~m" }

// Put implements blob.Store.
func (s *Store) Put(ctx context.Context, key string, r io.Reader, size int64, opts blob.PutOptions) (blob.Info, error) {
	if err := blob.CheckKey(key); err != nil {
		return blob.Info{}, err
	}
	if size < 0 {
		return blob.Info{}, fmt.Errorf("fsblob: put %s: size must be known, got %d", key, size)
	}
	if err := ctx.Err(); err != nil {
		return blob.Info{}, err
	}
	f, err := os.CreateTemp(s.tmp.Path(), "put-*")
	if err != nil {
		return blob.Info{}, fmt.Errorf("fsblob: put %s: %w: %w", key, blob.ErrUnavailable, err)
	}
	tmpName := f.Name()
	defer os.Remove(tmpName) // a no-op once renamed
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(ctxReader{ctx, r}, size+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	switch {
	case err != nil:
		return blob.Info{}, fmt.Errorf("fsblob: put %s: %w", key, err)
	case n > size:
		return blob.Info{}, fmt.Errorf("fsblob: put %s: %w (%d bytes)", key, blob.ErrTooLarge, size)
	case n < size:
		return blob.Info{}, fmt.Errorf("fsblob: put %s: %w (%d of %d bytes)", key, blob.ErrTruncated, n, size)
	}
	m := meta{ContentType: opts.ContentType, ETag: `"` + hex.EncodeToString(h.Sum(nil)) + `"`}
	if m.ContentType == "" {
		m.ContentType = "application/octet-stream"
	}
	p := s.path(key)
	if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
		return blob.Info{}, fmt.Errorf("fsblob: put %s: %w", key, err)
	}
	mb, _ := json.Marshal(m)
	if err := writeFileAtomic(s.tmp.Path(), metaPath(p), mb); err != nil {
		return blob.Info{}, fmt.Errorf("fsblob: put %s: %w", key, err)
	}
	if err := os.Rename(tmpName, p); err != nil {
		return blob.Info{}, fmt.Errorf("fsblob: put %s: %w", key, err)
	}
	return s.Stat(ctx, key)
}

func writeFileAtomic(tmpDir, dst string, b []byte) error {
	f, err := os.CreateTemp(tmpDir, "meta-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), dst)
}

// Get implements blob.Store.
func (s *Store) Get(ctx context.Context, key string, rng *blob.Range) (io.ReadCloser, blob.Info, error) {
	f, info, err := s.open(ctx, key)
	if err != nil {
		return nil, blob.Info{}, err
	}
	off, n, err := blob.Clamp(rng, info.Size)
	if err != nil {
		f.Close()
		return nil, blob.Info{}, fmt.Errorf("fsblob: get %s: %w", key, err)
	}
	return readCloser{io.NewSectionReader(f, off, n), f}, info, nil
}

// Open returns the object as a seekable file (for http.ServeContent).
func (s *Store) open(ctx context.Context, key string) (*os.File, blob.Info, error) {
	if err := blob.CheckKey(key); err != nil {
		return nil, blob.Info{}, err
	}
	if err := ctx.Err(); err != nil {
		return nil, blob.Info{}, err
	}
	f, err := os.Open(s.path(key))
	if err != nil {
		return nil, blob.Info{}, s.mapErr("get", key, err)
	}
	info, err := s.describe(key, f)
	if err != nil {
		f.Close()
		return nil, blob.Info{}, err
	}
	return f, info, nil
}

func (s *Store) describe(key string, f *os.File) (blob.Info, error) {
	st, err := f.Stat()
	if err != nil {
		return blob.Info{}, s.mapErr("stat", key, err)
	}
	info := blob.Info{Key: key, Size: st.Size(), ModTime: st.ModTime().UTC(), ContentType: "application/octet-stream"}
	if mb, err := os.ReadFile(metaPath(f.Name())); err == nil {
		var m meta
		if json.Unmarshal(mb, &m) == nil {
			info.ContentType, info.ETag = m.ContentType, m.ETag
		}
	}
	return info, nil
}

// Stat implements blob.Store.
func (s *Store) Stat(ctx context.Context, key string) (blob.Info, error) {
	f, info, err := s.open(ctx, key)
	if err != nil {
		return blob.Info{}, err
	}
	f.Close()
	return info, nil
}

// Delete implements blob.Store.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := blob.CheckKey(key); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	p := s.path(key)
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return s.mapErr("delete", key, err)
	}
	if err := os.Remove(metaPath(p)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return s.mapErr("delete", key, err)
	}
	// Empty directories are left: removing them would race with a Put
	// creating a sibling. They cost an inode each.
	return nil
}

// List implements blob.Store.
func (s *Store) List(ctx context.Context, prefix string) iter.Seq2[blob.Info, error] {
	return func(yield func(blob.Info, error) bool) {
		if err := blob.CheckPrefix(prefix); err != nil {
			yield(blob.Info{}, err)
			return
		}
		// Start at the deepest directory the prefix names in full.
		dirKey := ""
		if i := strings.LastIndexByte(prefix, '/'); i >= 0 {
			dirKey = prefix[:i]
		}
		dir := s.data
		if dirKey != "" {
			dir = s.path(dirKey + "/x")
			dir = filepath.Dir(dir)
		}
		s.walk(ctx, dir, dirKey, prefix, yield)
	}
}

// walk yields the objects under dir (whose keys start with keyPrefix+"/")
// that match prefix, in key order. It returns false when the consumer
// stopped.
func (s *Store) walk(ctx context.Context, dir, dirKey, prefix string, yield func(blob.Info, error) bool) bool {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return true
	}
	if err != nil {
		return yield(blob.Info{}, s.mapErr("list", prefix, err))
	}
	type item struct {
		key   string // the object's key, or the directory's key + "/"
		name  string
		isDir bool
	}
	var items []item
	for _, e := range entries {
		name := e.Name()
		switch {
		case e.IsDir() && strings.HasSuffix(name, "~"):
			items = append(items, item{joinKey(dirKey, strings.TrimSuffix(name, "~")) + "/", name, true})
		case !e.IsDir() && !strings.Contains(name, "~"):
			items = append(items, item{joinKey(dirKey, name), name, false})
		}
	}
	slices.SortFunc(items, func(a, b item) int { return strings.Compare(a.key, b.key) })
	for _, it := range items {
		if err := ctx.Err(); err != nil {
			return yield(blob.Info{}, err)
		}
		if it.isDir {
			// Descend only where the prefix and the directory can meet.
			if strings.HasPrefix(it.key, prefix) || strings.HasPrefix(prefix, it.key) {
				if !s.walk(ctx, filepath.Join(dir, it.name), strings.TrimSuffix(it.key, "/"), prefix, yield) {
					return false
				}
			}
			continue
		}
		if !strings.HasPrefix(it.key, prefix) {
			continue
		}
		info, err := s.Stat(ctx, it.key)
		if errors.Is(err, blob.ErrNotFound) {
			continue // deleted while listing
		}
		if !yield(info, err) {
			return false
		}
	}
	return true
}

func joinKey(dir, name string) string {
	if dir == "" {
		return name
	}
	return dir + "/" + name
}

func (s *Store) mapErr(op, key string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("fsblob: %s %s: %w", op, key, blob.ErrNotFound)
	}
	var pe *fs.PathError
	if errors.As(err, &pe) && errors.Is(pe.Err, errNotDir) {
		return fmt.Errorf("fsblob: %s %s: %w", op, key, blob.ErrNotFound)
	}
	return fmt.Errorf("fsblob: %s %s: %w: %w", op, key, blob.ErrUnavailable, err)
}

type readCloser struct {
	io.Reader
	io.Closer
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
