package server_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
	"github.com/mosaichq/mosaic/internal/testblob"
	"github.com/mosaichq/mosaic/internal/testimage"
)

// BenchmarkServeCachedRendition serves a stored 640 px WebP rendition of a
// 4000×3000 photo through the whole HTTP handler (in process, no socket):
// row from the delivery cache, rendition known to exist, bytes streamed
// from storage. Figures: bench/RESULTS.md.
func BenchmarkServeCachedRendition(b *testing.B) {
	for _, backend := range []string{"local", "s3"} {
		b.Run(backend, func(b *testing.B) {
			opts := testapp.Options{NoSeed: true}
			if backend == "s3" {
				opts.Blobs = testblob.S3(b)
			}
			app := testapp.New(b, opts)
			resp := app.Upload(app.Token(auth.RoleEditor), uploadAsset, nil,
				testapp.File{Name: "photo.jpg", Body: testimage.JPEG(4000, 3000)})
			if len(resp.Errors) > 0 {
				b.Fatal(resp.Raw)
			}
			url := testapp.Path(resp.Data, "uploadAsset", "mobile").(string)
			req := httptest.NewRequest(http.MethodGet, url, nil)
			warm := httptest.NewRecorder()
			app.Handler.ServeHTTP(warm, req) // makes and stores the rendition
			if warm.Code != http.StatusOK {
				b.Fatal(warm.Code, warm.Body.String())
			}
			b.SetBytes(int64(warm.Body.Len()))
			b.ResetTimer()
			for b.Loop() {
				w := httptest.NewRecorder()
				app.Handler.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatal(w.Code)
				}
			}
		})
	}
	b.Run("local/304", func(b *testing.B) {
		app := testapp.New(b, testapp.Options{NoSeed: true})
		resp := app.Upload(app.Token(auth.RoleEditor), uploadAsset, nil, testapp.File{Name: "p.jpg", Body: testimage.JPEG(1000, 750)})
		url := testapp.Path(resp.Data, "uploadAsset", "mobile").(string)
		warm := httptest.NewRecorder()
		app.Handler.ServeHTTP(warm, httptest.NewRequest(http.MethodGet, url, nil))
		req := httptest.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("If-None-Match", warm.Header().Get("ETag"))
		for b.Loop() {
			w := httptest.NewRecorder()
			app.Handler.ServeHTTP(w, req)
			if w.Code != http.StatusNotModified {
				b.Fatal(w.Code)
			}
		}
	})
}
