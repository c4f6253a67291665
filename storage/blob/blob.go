package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"strings"
	"time"
)

// Errors every backend returns (wrapped) so callers can tell them apart
// with errors.Is.
var (
	// ErrNotFound: no object has the key.
	ErrNotFound = errors.New("blob: object not found")
	// ErrInvalidKey: the key is not a safe relative path.
	ErrInvalidKey = errors.New("blob: invalid key")
	// ErrInvalidRange: the byte range starts at or beyond the object's end.
	ErrInvalidRange = errors.New("blob: range not satisfiable")
	// ErrUnavailable: the backend could not be reached or failed; the
	// operation may succeed when retried.
	ErrUnavailable = errors.New("blob: storage unavailable")
	// ErrTooLarge: more bytes arrived than the size the writer declared.
	ErrTooLarge = errors.New("blob: more data than declared")
	// ErrTruncated: fewer bytes arrived than the size the writer declared.
	ErrTruncated = errors.New("blob: less data than declared")
)

// Info describes a stored object.
type Info struct {
	Key         string
	Size        int64
	ContentType string
	// ETag is the backend's entity tag, quoted as in HTTP; opaque.
	ETag    string
	ModTime time.Time
}

// Range selects bytes [Offset, Offset+Length) of an object; Length < 0
// means to the end. A range reaching past the end is cut at the end.
type Range struct {
	Offset int64
	Length int64
}

// PutOptions describe an object being written.
type PutOptions struct {
	ContentType string
}

// Store keeps objects by key. Implementations are safe for concurrent use.
type Store interface {
	// Put writes exactly size bytes from r under key, replacing any object
	// there. A reader that ends early is ErrTruncated and one that has more
	// is ErrTooLarge; either way no object is left under key (a replaced
	// object may be gone).
	Put(ctx context.Context, key string, r io.Reader, size int64, opts PutOptions) (Info, error)
	// Get opens the object, or the part rng selects (nil: all of it). The
	// Info describes the whole object.
	Get(ctx context.Context, key string, rng *Range) (io.ReadCloser, Info, error)
	// Stat describes the object.
	Stat(ctx context.Context, key string) (Info, error)
	// Delete removes the object; deleting a missing object is not an error.
	Delete(ctx context.Context, key string) error
	// Presign returns a URL through which a client may, until expiry, GET
	// the object or PUT it (method is http.MethodGet or http.MethodPut).
	Presign(ctx context.Context, method, key string, expiry time.Duration) (string, error)
	// List yields the objects whose keys start with prefix, in key order.
	List(ctx context.Context, prefix string) iter.Seq2[Info, error]
}

// MaxKeyLength bounds keys (S3 allows 1024 bytes).
const MaxKeyLength = 512

// CheckKey reports whether key is a safe relative path: segments of
// letters, digits, '.', '-', '_' separated by single slashes, none of them
// "." or "..", no leading or trailing slash.
func CheckKey(key string) error {
	if key == "" || len(key) > MaxKeyLength {
		return fmt.Errorf("%w: %q must be 1-%d bytes", ErrInvalidKey, key, MaxKeyLength)
	}
	for seg := range strings.SplitSeq(key, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return fmt.Errorf("%w: %q has an empty, . or .. segment", ErrInvalidKey, key)
		}
		for _, c := range seg {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
				return fmt.Errorf("%w: %q may hold only letters, digits, '.', '-', '_' and '/'", ErrInvalidKey, key)
			}
		}
	}
	return nil
}

// CheckPrefix is CheckKey for List prefixes: "" (everything) and a
// trailing slash are allowed.
func CheckPrefix(prefix string) error {
	p := strings.TrimSuffix(prefix, "/")
	if p == "" {
		if prefix == "" {
			return nil
		}
		return fmt.Errorf("%w: prefix %q", ErrInvalidKey, prefix)
	}
	return CheckKey(p)
}

// CheckMethod refuses presign methods other than GET and PUT.
func CheckMethod(method string) error {
	if method != http.MethodGet && method != http.MethodPut {
		return fmt.Errorf("blob: presign supports GET and PUT, not %q", method)
	}
	return nil
}

// Clamp resolves rng against an object of size bytes: the offset and
// length to read. A nil range is the whole object.
func Clamp(rng *Range, size int64) (offset, length int64, err error) {
	if rng == nil {
		return 0, size, nil
	}
	if rng.Offset < 0 || rng.Offset >= size && !(size == 0 && rng.Offset == 0) {
		return 0, 0, fmt.Errorf("%w: offset %d of %d bytes", ErrInvalidRange, rng.Offset, size)
	}
	length = size - rng.Offset
	if rng.Length >= 0 && rng.Length < length {
		length = rng.Length
	}
	return rng.Offset, length, nil
}
