package assets_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/mosaichq/mosaic/assets"
	"github.com/mosaichq/mosaic/internal/testblob"
	"github.com/mosaichq/mosaic/storage/blob"
)

// BenchmarkUpload measures the whole upload path — spool to disk with
// SHA-256, sniff, completeness check, blob write, row insert — in MB/s,
// to the local store and the S3 server. Every iteration uploads new bytes
// (no deduplication). Figures: bench/RESULTS.md.
func BenchmarkUpload(b *testing.B) {
	for _, backend := range []struct {
		name string
		new  func(b *testing.B) blob.Store
	}{
		{"local", func(b *testing.B) blob.Store { return testblob.Local(b) }},
		{"s3", func(b *testing.B) blob.Store { return testblob.S3(b) }},
	} {
		for _, size := range []int{1 << 20, 16 << 20} {
			b.Run(fmt.Sprintf("%s/%dMiB", backend.name, size>>20), func(b *testing.B) {
				svc := setup(b, backend.new(b), nil).svc
				body := pdfOf(size)
				b.SetBytes(int64(size))
				i := uint64(0)
				for b.Loop() {
					i++
					binary.LittleEndian.PutUint64(body[16:], i)
					if _, err := svc.Upload(b.Context(), assets.UploadInput{Filename: "doc.pdf", ContentType: "application/pdf",
						Size: int64(size), Body: bytes.NewReader(body), Actor: "bench"}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// pdfOf is a size-byte file that sniffs as a whole PDF.
func pdfOf(size int) []byte {
	body := make([]byte, size)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range body {
		body[i] = byte(r.Uint32())
	}
	copy(body, "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	copy(body[size-7:], "\n%%EOF\n")
	return body
}
