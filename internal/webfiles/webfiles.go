package webfiles

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/mosaichq/mosaic/errs"
)

// File is one file ready to serve.
type File struct {
	body  []byte
	etag  string
	ctype string

	gzOnce sync.Once
	gz     []byte // nil when compressing does not pay
}

// New makes a File of body, its Content-Type from name's extension.
func New(name string, body []byte) *File {
	sum := sha256.Sum256(body)
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	return &File{body: body, etag: `"` + hex.EncodeToString(sum[:16]) + `"`, ctype: ctype}
}

// WithType sets the Content-Type (e.g. text/plain for a file browsers
// should show, not download) and returns f.
func (f *File) WithType(ctype string) *File {
	f.ctype = ctype
	return f
}

// Load reads every file below root in fsys into a map keyed by prefix +
// its path below root (prefix "/studio/", file dist/assets/a.js:
// "/studio/assets/a.js"), leaving out those skip names (nil: none).
func Load(fsys fs.FS, root, prefix string, skip func(name string) bool) (map[string]*File, error) {
	m := map[string]*File{}
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || skip != nil && skip(p) {
			return err
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		m[prefix+strings.TrimPrefix(p, root+"/")] = New(p, body)
		return nil
	})
	return m, err
}

// Serve answers r with f: 200, 304 on a matching If-None-Match, or 206
// for a range (http.ServeContent), gzipped when the client accepts it.
func (f *File) Serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "no-cache")
	h.Set("Content-Type", f.ctype)
	h.Add("Vary", "Accept-Encoding")
	body, etag := f.body, f.etag
	if gz := f.gzipped(); gz != nil && AcceptsGzip(r.Header.Get("Accept-Encoding")) {
		body, etag = gz, strings.TrimSuffix(f.etag, `"`)+`-gzip"`
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("ETag", etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

// gzipped compresses the file on first use (a bundle is text that shrinks
// to about a third) and keeps the result.
func (f *File) gzipped() []byte {
	f.gzOnce.Do(func() {
		if !strings.HasPrefix(f.ctype, "text/") && !strings.Contains(f.ctype, "javascript") {
			return
		}
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
		_, _ = zw.Write(f.body)
		_ = zw.Close()
		if buf.Len() < len(f.body)*9/10 {
			f.gz = buf.Bytes()
		}
	})
	return f.gz
}

// NotFound answers 404 with message in the GraphQL error shape.
func NotFound(w http.ResponseWriter, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusNotFound)
	_ = json.NewEncoder(w).Encode(map[string]any{"errors": []any{map[string]any{
		"message":    message,
		"extensions": map[string]any{"code": string(errs.NotFound)},
	}}})
}

// AcceptsGzip reads an Accept-Encoding header: gzip (or *) listed without
// q=0.
func AcceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding != "gzip" && coding != "*" {
			continue
		}
		q := strings.ReplaceAll(strings.ToLower(params), " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}

// Size is the file's length.
func (f *File) Size() int { return len(f.body) }

// Sent is the file's length as sent to a client that accepts gzip
// (compressing it, if that was not done yet).
func (f *File) Sent() int {
	if gz := f.gzipped(); gz != nil {
		return len(gz)
	}
	return len(f.body)
}
