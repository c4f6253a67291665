package testapp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"testing"

	"github.com/mosaichq/mosaic/assets"
	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/internal/testblob"
	"github.com/mosaichq/mosaic/server"
	"github.com/mosaichq/mosaic/storage/blob"
	"github.com/mosaichq/mosaic/storage/blob/fsblob"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// newAssets builds the instance's asset service on opts.Blobs, or on a
// local store in a temporary directory whose presigned URLs the instance
// serves (baseURL is the instance's address).
func newAssets(t testing.TB, opts Options, store *postgres.Store, baseURL string, log *slog.Logger) (*assets.Service, blob.Store, http.Handler) {
	t.Helper()
	blobs, handler := opts.Blobs, http.Handler(nil)
	if blobs == nil {
		local, err := fsblob.New(fsblob.Config{Dir: t.TempDir(), BaseURL: baseURL + server.BlobPath, Secret: testblob.Secret})
		if err != nil {
			t.Fatal(err)
		}
		blobs, handler = local, local.Handler()
	}
	cfg := assets.Config{Blobs: blobs, Store: store.Assets(), URLSecret: Secret, Now: opts.Now, Logger: log,
		TempDir: t.TempDir(), CheckLocale: func(l string) error { _, err := content.DefaultLocales().Chain(l); return err }}
	if opts.Assets != nil {
		opts.Assets(&cfg)
	}
	svc, err := assets.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return svc, blobs, handler
}

// File is one file of a multipart upload.
type File struct {
	Name        string
	ContentType string
	Body        []byte
}

// Upload sends a GraphQL multipart request (graphql-multipart-request-spec)
// whose variable "file" is f.
func (a *App) Upload(token, query string, vars map[string]any, f File) Response {
	a.t.Helper()
	body, ct := MultipartBody(a.t, query, vars, f)
	return a.Post(token, ct, body)
}

// MultipartBody encodes a multipart request whose variable "file" is f.
func MultipartBody(t testing.TB, query string, vars map[string]any, f File) ([]byte, string) {
	t.Helper()
	if vars == nil {
		vars = map[string]any{}
	}
	vars["file"] = nil
	ops, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("operations", string(ops))
	_ = mw.WriteField("map", `{"0": ["variables.file"]}`)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="0"; filename=%q`, f.Name))
	if f.ContentType != "" {
		h.Set("Content-Type", f.ContentType)
	}
	pw, err := mw.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = pw.Write(f.Body)
	_ = mw.Close()
	return buf.Bytes(), mw.FormDataContentType()
}

// Fetch GETs an absolute or root-relative URL of the instance.
func (a *App) Fetch(url string, h http.Header) (*http.Response, []byte) {
	a.t.Helper()
	if len(url) > 0 && url[0] == '/' {
		url = a.URL + url
	}
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		a.t.Fatal(err)
	}
	for k, v := range h {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		a.t.Fatal(err)
	}
	return resp, b
}
