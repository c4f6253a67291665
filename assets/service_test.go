package assets_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/assets"
	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/internal/testblob"
	"github.com/mosaichq/mosaic/internal/testdb"
	"github.com/mosaichq/mosaic/internal/testimage"
	"github.com/mosaichq/mosaic/storage/blob"
	"github.com/mosaichq/mosaic/storage/postgres"
)

var secret = []byte("assets-test-secret-assets-test-secret")

type testBundle struct {
	svc   *assets.Service
	blobs blob.Store
	pool  *pgxpool.Pool
	cfg   assets.Config
}

func setup(t testing.TB, blobs blob.Store, tweak func(*assets.Config)) *testBundle {
	t.Helper()
	pool, _ := testdb.Schema(t)
	cfg := assets.Config{Blobs: blobs, Store: postgres.New(pool).Assets(), URLSecret: secret, TempDir: t.TempDir(),
		CheckLocale: func(l string) error {
			if l != "en" && l != "ro" {
				return errs.E(errs.BadUserInput, "unknown")
			}
			return nil
		}}
	if tweak != nil {
		tweak(&cfg)
	}
	svc, err := assets.New(cfg)
	require.NoError(t, err)
	return &testBundle{svc: svc, blobs: blobs, pool: pool, cfg: cfg}
}

// onBothBackends runs fn against the local store and the S3 server.
func onBothBackends(t *testing.T, fn func(t *testing.T, blobs blob.Store)) {
	t.Run("local", func(t *testing.T) { t.Parallel(); fn(t, testblob.Local(t)) })
	t.Run("s3", func(t *testing.T) { t.Parallel(); fn(t, testblob.S3(t)) })
}

func (b *testBundle) upload(t *testing.T, name, ct string, body []byte, m assets.Meta) (assets.Asset, error) {
	t.Helper()
	return b.svc.Upload(t.Context(), assets.UploadInput{Filename: name, ContentType: ct, Size: int64(len(body)),
		Body: bytes.NewReader(body), Meta: m, Actor: "tester"})
}

func keys(t *testing.T, s blob.Store, prefix string) []string {
	t.Helper()
	out := []string{}
	for info, err := range s.List(t.Context(), prefix) {
		require.NoError(t, err)
		out = append(out, info.Key)
	}
	return out
}

func rowCount(t *testing.T, pool *pgxpool.Pool) int {
	t.Helper()
	var n int
	require.NoError(t, pool.QueryRow(t.Context(), `SELECT count(*) FROM assets`).Scan(&n))
	return n
}

func TestUploadStoresOnceAndDescribes(t *testing.T) {
	t.Parallel()
	onBothBackends(t, func(t *testing.T, blobs blob.Store) {
		b := setup(t, blobs, nil)
		jpg := testimage.JPEG(64, 48)
		a, err := b.upload(t, "hero.jpg", "image/jpeg", jpg, assets.Meta{Alt: map[string]string{"en": "A hero", "ro": "Un erou"},
			Focal: &assets.FocalPoint{X: 0.25, Y: 0.75}, Tags: []string{" Winter ", "hero", "winter"}})
		require.NoError(t, err)
		sum := sha256.Sum256(jpg)
		require.Equal(t, hex.EncodeToString(sum[:]), a.SHA256)
		require.Equal(t, "image/jpeg", a.ContentType)
		require.EqualValues(t, len(jpg), a.Size)
		require.Equal(t, []int{64, 48}, []int{a.Width, a.Height})
		require.Equal(t, []string{"hero", "winter"}, a.Tags, "tags trimmed, lower-cased, unique, sorted")
		require.Equal(t, &assets.FocalPoint{X: 0.25, Y: 0.75}, a.Focal)

		got, err := b.svc.Asset(t.Context(), a.ID)
		require.NoError(t, err)
		require.Equal(t, "Un erou", got.Alt["ro"])
		alt, ok := got.AltText([]string{"ro-RO", "ro", "en"})
		require.True(t, ok)
		require.Equal(t, "Un erou", alt)

		again, err := b.upload(t, "copy.jpeg", "", jpg, assets.Meta{})
		require.NoError(t, err)
		require.NotEqual(t, a.ID, again.ID, "a new asset with its own metadata")
		require.Equal(t, a.SHA256, again.SHA256)
		require.Len(t, keys(t, blobs, "originals/"), 1, "identical bytes are stored once")

		obj, err := b.svc.Open(t.Context(), a.ID, url.Values{})
		require.NoError(t, err)
		rc, err := obj.Open(t.Context(), nil)
		require.NoError(t, err)
		body, _ := io.ReadAll(rc)
		rc.Close()
		require.Equal(t, jpg, body)
	})
}

func TestUploadRefusesBadInput(t *testing.T) {
	t.Parallel()
	b := setup(t, testblob.Local(t), func(c *assets.Config) { c.MaxUploadBytes = 64 << 10; c.MaxPixels = 1100 })
	jpg := testimage.JPEG(32, 32)
	for _, tc := range []struct {
		name, file, ct string
		body           []byte
		size           int64
		want           string
	}{
		{"oversized", "big.png", "image/png", bytes.Repeat([]byte("x"), 70<<10), -1, "larger than the upload limit"},
		{"oversized declared", "big.png", "image/png", []byte("x"), 1 << 20, "larger than the upload limit"},
		{"truncated body", "hero.jpg", "image/jpeg", jpg[:len(jpg)/2], int64(len(jpg)), "incomplete: "},
		{"truncated jpeg", "hero.jpg", "image/jpeg", jpg[:len(jpg)-200], -1, "truncated"},
		{"truncated png", "a.png", "image/png", testimage.PNG(16, 16)[:60], -1, "truncated"},
		{"mismatched type", "hero.png", "image/png", jpg, -1, "declared as image/png but its content is image/jpeg"},
		{"mismatched extension", "hero.png", "", jpg, -1, "ends in .png"},
		{"executable", "setup.exe", "", append([]byte("MZ"), make([]byte, 100)...), -1, "Windows executable"},
		{"svg with script", "logo.svg", "image/svg+xml", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), -1, "<script>"},
		{"path traversal", "../../etc/passwd.jpg", "image/jpeg", jpg, -1, "without directories"},
		{"empty", "a.txt", "text/plain", nil, -1, "empty"},
		{"too many pixels", "huge.png", "", testimage.PNG(40, 30), -1, "megapixels"},
	} {
		size := tc.size
		if size == 0 {
			size = int64(len(tc.body))
		}
		_, err := b.svc.Upload(t.Context(), assets.UploadInput{Filename: tc.file, ContentType: tc.ct, Size: size,
			Body: bytes.NewReader(tc.body), Actor: "tester"})
		require.Error(t, err, tc.name)
		require.Equal(t, errs.BadUserInput, errs.CodeOf(err), "%s: %v", tc.name, err)
		require.Contains(t, err.Error(), tc.want, tc.name)
	}
	_, err := b.upload(t, "a.jpg", "", jpg, assets.Meta{Alt: map[string]string{"xx": "?"}, Focal: &assets.FocalPoint{X: 2}})
	e, _ := errs.As(err)
	require.NotNil(t, e)
	require.Len(t, e.Fields, 2, "every metadata problem at once: %v", err)

	require.Zero(t, rowCount(t, b.pool), "nothing was written")
	require.Empty(t, keys(t, b.blobs, ""), "nothing was stored")
}

// A failed storage write leaves no row.
func TestStorageDownLeavesNoRow(t *testing.T) {
	t.Parallel()
	cfg := testblob.S3Config(t)
	proxy := testblob.NewProxy(t, cfg.Endpoint)
	cfg.Endpoint = proxy.Addr
	b := setup(t, testblob.S3With(t, cfg), nil)
	ok, err := b.upload(t, "before.png", "", testimage.PNG(8, 8), assets.Meta{})
	require.NoError(t, err)

	proxy.Down()
	_, err = b.upload(t, "during.jpg", "", testimage.JPEG(8, 8), assets.Meta{})
	require.Equal(t, errs.ServiceUnavailable, errs.CodeOf(err), "%v", err)
	require.Contains(t, err.Error(), "asset storage is unavailable")
	require.Equal(t, 1, rowCount(t, b.pool), "no row for the failed upload")
	_, err = b.svc.Open(t.Context(), ok.ID, url.Values{"w": {"320"}, "fmt": {"webp"}})
	require.Equal(t, errs.ServiceUnavailable, errs.CodeOf(err), "%v", err)
	got, err := b.svc.Asset(t.Context(), ok.ID)
	require.NoError(t, err, "metadata is still served")
	require.Equal(t, ok.SHA256, got.SHA256)

	proxy.Up()
	_, err = b.upload(t, "after.jpg", "", testimage.JPEG(8, 8), assets.Meta{})
	require.NoError(t, err)
}

// A failed row write removes the blob it had written; a blob another asset
// uses stays.
func TestDatabaseFailureLeavesNoBlob(t *testing.T) {
	t.Parallel()
	b := setup(t, testblob.Local(t), nil)
	kept, err := b.upload(t, "kept.png", "", testimage.PNG(8, 8), assets.Meta{})
	require.NoError(t, err)
	_, err = b.pool.Exec(t.Context(), `CREATE FUNCTION fail_insert() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN RAISE EXCEPTION 'injected failure'; END $$;
		CREATE TRIGGER fail_insert BEFORE INSERT ON assets FOR EACH ROW EXECUTE FUNCTION fail_insert()`)
	require.NoError(t, err)

	_, err = b.upload(t, "new.jpg", "", testimage.JPEG(9, 9), assets.Meta{})
	require.Error(t, err)
	_, err = b.upload(t, "same-bytes.png", "", testimage.PNG(8, 8), assets.Meta{})
	require.Error(t, err)
	require.Equal(t, []string{"originals/" + kept.SHA256[:2] + "/" + kept.SHA256}, keys(t, b.blobs, "originals/"),
		"the new blob is gone, the shared one stays")
}

func TestDirectUpload(t *testing.T) {
	t.Parallel()
	onBothBackends(t, func(t *testing.T, blobs blob.Store) {
		b := setup(t, blobs, nil)
		png := testimage.PNG(40, 30)
		sum := sha256.Sum256(png)
		u, err := b.svc.CreateUpload(t.Context(), assets.DirectInput{Filename: "map.png", ContentType: "image/png",
			Size: int64(len(png)), SHA256: hex.EncodeToString(sum[:])}, "tester")
		require.NoError(t, err)
		require.Equal(t, http.MethodPut, u.Method)

		_, err = b.svc.FinalizeUpload(t.Context(), u.ID, assets.Meta{}, "tester")
		require.Equal(t, errs.BadUserInput, errs.CodeOf(err), "nothing uploaded yet: %v", err)

		put(t, u, png)
		a, err := b.svc.FinalizeUpload(t.Context(), u.ID, assets.Meta{Tags: []string{"map"}}, "tester")
		require.NoError(t, err)
		require.Equal(t, "image/png", a.ContentType)
		require.Equal(t, []int{40, 30}, []int{a.Width, a.Height})
		require.Empty(t, keys(t, blobs, "uploads/"), "the staged object is gone")
		_, err = b.svc.FinalizeUpload(t.Context(), u.ID, assets.Meta{}, "tester")
		require.Equal(t, errs.NotFound, errs.CodeOf(err), "only once")

		// What arrives is checked as strictly as a multipart upload.
		for _, tc := range []struct {
			name   string
			in     assets.DirectInput
			body   []byte
			reason string
		}{
			{"truncated", assets.DirectInput{Filename: "t.png", ContentType: "image/png", Size: int64(len(png))}, png[:100], "were announced"},
			{"oversized", assets.DirectInput{Filename: "t.png", ContentType: "image/png", Size: 10}, png, "were announced"},
			{"mismatched type", assets.DirectInput{Filename: "t.png", ContentType: "image/png", Size: int64(len(testimage.GIF(4, 4)))}, testimage.GIF(4, 4), "declared as image/png"},
			{"wrong digest", assets.DirectInput{Filename: "t.png", ContentType: "image/png", Size: int64(len(png)), SHA256: strings.Repeat("0", 64)}, png, "SHA-256"},
		} {
			u, err := b.svc.CreateUpload(t.Context(), tc.in, "tester")
			require.NoError(t, err, tc.name)
			put(t, u, tc.body)
			_, err = b.svc.FinalizeUpload(t.Context(), u.ID, assets.Meta{}, "tester")
			require.Equal(t, errs.BadUserInput, errs.CodeOf(err), "%s: %v", tc.name, err)
			require.Contains(t, err.Error(), tc.reason, tc.name)
		}
		require.Empty(t, keys(t, blobs, "uploads/"), "refused uploads are removed")
		require.Equal(t, 1, rowCount(t, b.pool))

		_, err = b.svc.CreateUpload(t.Context(), assets.DirectInput{Filename: "../x.png", ContentType: "image/png", Size: 5}, "tester")
		require.Equal(t, errs.BadUserInput, errs.CodeOf(err))
		_, err = b.svc.CreateUpload(t.Context(), assets.DirectInput{Filename: "x.exe", ContentType: "application/x-msdownload", Size: 5}, "tester")
		require.Equal(t, errs.BadUserInput, errs.CodeOf(err))
	})
}

// put PUTs body to a direct upload's URL; the S3 server may refuse a body
// shorter or longer than... it is told, which is fine: then nothing is staged.
func put(t *testing.T, u assets.DirectUpload, body []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), u.Method, u.URL, bytes.NewReader(body))
	require.NoError(t, err)
	for k, v := range u.Headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
}

func TestSweepRemovesOrphans(t *testing.T) {
	t.Parallel()
	onBothBackends(t, func(t *testing.T, blobs blob.Store) {
		now := time.Now()
		b := setup(t, blobs, func(c *assets.Config) { c.Now = func() time.Time { return now } })
		a, err := b.upload(t, "kept.png", "", testimage.PNG(20, 20), assets.Meta{})
		require.NoError(t, err)
		_, err = b.svc.Open(t.Context(), a.ID, url.Values{"w": {"320"}})
		require.NoError(t, err)
		// What a crash between blob and row would leave.
		orphan := strings.Repeat("ab", 32)
		_, err = blobs.Put(t.Context(), "originals/ab/"+orphan, strings.NewReader("x"), 1, blob.PutOptions{})
		require.NoError(t, err)
		_, err = blobs.Put(t.Context(), "renditions/ab/"+orphan+"/320x1-contain.png", strings.NewReader("x"), 1, blob.PutOptions{})
		require.NoError(t, err)
		u, err := b.svc.CreateUpload(t.Context(), assets.DirectInput{Filename: "late.png", ContentType: "image/png", Size: 3}, "tester")
		require.NoError(t, err)
		put(t, u, []byte("abc"))

		r, err := b.svc.Sweep(t.Context())
		require.NoError(t, err)
		require.Equal(t, assets.SweepReport{}, r, "nothing is old enough yet")

		now = now.Add(2 * time.Hour)
		r, err = b.svc.Sweep(t.Context())
		require.NoError(t, err)
		require.Equal(t, assets.SweepReport{ExpiredUploads: 1, Originals: 1, Renditions: 1}, r)
		require.Equal(t, []string{"originals/" + a.SHA256[:2] + "/" + a.SHA256}, keys(t, blobs, "originals/"))
		require.Len(t, keys(t, blobs, "renditions/"), 1, "the used asset's rendition stays")
		require.Empty(t, keys(t, blobs, "uploads/"))
	})
}

func TestUpdate(t *testing.T) {
	t.Parallel()
	b := setup(t, testblob.Local(t), nil)
	a, err := b.upload(t, "a.png", "", testimage.PNG(8, 8), assets.Meta{Alt: map[string]string{"en": "old", "ro": "vechi"}})
	require.NoError(t, err)
	name := "renamed.png"
	u, err := b.svc.Update(t.Context(), a.ID, assets.Meta{Filename: &name, Alt: map[string]string{"en": "new", "ro": ""},
		Focal: &assets.FocalPoint{X: 0.1, Y: 0.9}}, 1, "editor")
	require.NoError(t, err)
	require.Equal(t, 2, u.Version)
	require.Equal(t, map[string]string{"en": "new"}, u.Alt)
	require.Equal(t, "renamed.png", u.Filename)
	require.Equal(t, "editor", u.UpdatedBy)
	_, err = b.svc.Update(t.Context(), a.ID, assets.Meta{}, 1, "editor")
	require.Equal(t, errs.Conflict, errs.CodeOf(err))
	_, err = b.svc.Update(t.Context(), "00000000-0000-0000-0000-000000000000", assets.Meta{}, 1, "editor")
	require.Equal(t, errs.NotFound, errs.CodeOf(err))
	missing, err := b.svc.Missing(t.Context(), []string{a.ID, "00000000-0000-0000-0000-000000000000", "nope"})
	require.NoError(t, err)
	require.Equal(t, []string{"00000000-0000-0000-0000-000000000000", "nope"}, missing)
}
