package studio

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"
)

//go:embed dist
var dist embed.FS

// Prefix is where the studio is mounted.
const Prefix = "/studio/"

// file is one embedded file, ready to serve.
type file struct {
	body  []byte
	etag  string
	ctype string
	gz    []byte // nil when compressing does not pay
}

func newFile(name string, body []byte) *file {
	sum := sha256.Sum256(body)
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	f := &file{body: body, etag: `"` + hex.EncodeToString(sum[:16]) + `"`, ctype: ctype}
	// The bundle is text that shrinks to about a third; compress it once.
	if strings.HasPrefix(ctype, "text/") || strings.Contains(ctype, "javascript") {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		_, _ = zw.Write(body)
		_ = zw.Close()
		if buf.Len() < len(body)*9/10 {
			f.gz = buf.Bytes()
		}
	}
	return f
}

// files maps each embedded file to its URL path, built once per process.
var files = sync.OnceValue(func() map[string]*file {
	m := map[string]*file{}
	err := fs.WalkDir(dist, "dist", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := dist.ReadFile(p)
		if err != nil {
			return err
		}
		m[Prefix+strings.TrimPrefix(p, "dist/")] = newFile(p, body)
		return nil
	})
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	return m
})

// Handler serves the studio's files under Prefix, and index.html for the
// app's own routes.
func Handler() http.Handler {
	all := files()
	index := all[Prefix+"index.html"]
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f := all[r.URL.Path]
		if f == nil && path.Ext(r.URL.Path) == "" && strings.HasPrefix(r.URL.Path, Prefix) {
			f = index // a route of the app, e.g. /studio/model/page
		}
		if r.URL.Path == Prefix {
			f = index
		}
		h := w.Header()
		if f == nil {
			http.Error(w, "no such studio file: "+r.URL.Path, http.StatusNotFound)
			return
		}
		// The names are fixed and the content changes with the binary:
		// always revalidate, which the ETag makes a 304.
		h.Set("Cache-Control", "no-cache")
		h.Set("Content-Type", f.ctype)
		h.Add("Vary", "Accept-Encoding")
		body, etag := f.body, f.etag
		if f.gz != nil && acceptsGzip(r.Header.Get("Accept-Encoding")) {
			body, etag = f.gz, strings.TrimSuffix(f.etag, `"`)+`-gzip"`
			h.Set("Content-Encoding", "gzip")
		}
		h.Set("ETag", etag)
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
	})
}

// acceptsGzip reads an Accept-Encoding header: gzip (or *) listed without
// q=0.
func acceptsGzip(header string) bool {
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
