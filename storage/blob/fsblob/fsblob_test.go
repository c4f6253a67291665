package fsblob_test

import (
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/storage/blob"
	"github.com/mosaichq/mosaic/storage/blob/fsblob"
)

type fixture struct {
	s   *fsblob.Store
	dir string
	now time.Time
	srv *httptest.Server
}

func setup(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{dir: t.TempDir(), now: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
	f.srv = httptest.NewServer(nil)
	t.Cleanup(f.srv.Close)
	s, err := fsblob.New(fsblob.Config{Dir: f.dir, BaseURL: f.srv.URL + "/x/blob", Secret: []byte(strings.Repeat("s", 32)),
		MaxPresignedPut: 10, Now: func() time.Time { return f.now }})
	require.NoError(t, err)
	f.s = s
	f.srv.Config.Handler = s.Handler()
	return f
}

// S3 allows an object "a" beside "a/b"; so does the local store (unlike
// some S3-compatible servers, so this is not in the conformance suite).
func TestKeyBesidePrefix(t *testing.T) {
	t.Parallel()
	f := setup(t)
	for _, k := range []string{"a", "a/b"} {
		_, err := f.s.Put(t.Context(), k, strings.NewReader(k), int64(len(k)), blob.PutOptions{})
		require.NoError(t, err)
	}
	for _, k := range []string{"a", "a/b"} {
		rc, _, err := f.s.Get(t.Context(), k, nil)
		require.NoError(t, err)
		b, _ := io.ReadAll(rc)
		rc.Close()
		require.Equal(t, k, string(b))
	}
}

func TestNothingOutsideDir(t *testing.T) {
	t.Parallel()
	f := setup(t)
	_, err := f.s.Put(t.Context(), "k/../../../etc/passwd", strings.NewReader("x"), 1, blob.PutOptions{})
	require.ErrorIs(t, err, blob.ErrInvalidKey)
	_, err = f.s.Put(t.Context(), "ok", strings.NewReader("short"), 9, blob.PutOptions{})
	require.ErrorIs(t, err, blob.ErrTruncated)
	require.Empty(t, tempFiles(t, f.dir), "no temporary file left by a failed put")
}

// tempFiles lists the files under dir/tmp (lock files aside).
func tempFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	require.NoError(t, filepath.WalkDir(filepath.Join(dir, "tmp"), func(p string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() && e.Name() != ".lock" {
			out = append(out, p)
		}
		return err
	}))
	return out
}

// Two stores on one directory — replicas sharing a data dir: one's sweep
// never removes the file the other is writing, and that write completes.
func TestSweepTempSparesAWriteInProgress(t *testing.T) {
	t.Parallel()
	f := setup(t)
	other, err := fsblob.New(fsblob.Config{Dir: f.dir, BaseURL: "/x/blob", Secret: []byte(strings.Repeat("s", 32))})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, other.Close()) })

	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		_, err := f.s.Put(t.Context(), "big", pr, 8, blob.PutOptions{})
		done <- err
	}()
	_, err = pw.Write([]byte("half"))
	require.NoError(t, err)
	require.Len(t, tempFiles(t, f.dir), 1, "the write in progress")
	r, err := other.SweepTemp()
	require.NoError(t, err)
	require.Zero(t, r, "nothing of a live store is swept")
	_, err = pw.Write([]byte("done"))
	require.NoError(t, err)
	require.NoError(t, pw.Close())
	require.NoError(t, <-done)
	rc, _, err := other.Get(t.Context(), "big", nil)
	require.NoError(t, err)
	b, _ := io.ReadAll(rc)
	rc.Close()
	require.Equal(t, "halfdone", string(b))
	require.Empty(t, tempFiles(t, f.dir))
}

func TestPresignedURLs(t *testing.T) {
	t.Parallel()
	f := setup(t)
	u, err := f.s.Presign(t.Context(), http.MethodPut, "up/1", time.Minute)
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(u, f.srv.URL+"/x/blob/up/1?"), u)

	put := func(url, body string) int {
		req, _ := http.NewRequest(http.MethodPut, url, strings.NewReader(body))
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	require.Equal(t, http.StatusRequestEntityTooLarge, put(u, "more than ten bytes"))
	require.Equal(t, http.StatusOK, put(u, "ten bytes!"))
	require.Equal(t, http.StatusForbidden, put(strings.Replace(u, "up/1", "up/2", 1), "x"), "signature bound to the key")
	require.Equal(t, http.StatusNotFound, put(strings.Replace(u, "up/1", "up/../1", 1), "x"))

	f.now = f.now.Add(2 * time.Minute)
	require.Equal(t, http.StatusForbidden, put(u, "too late"), "expired")

	_, err = f.s.Presign(t.Context(), http.MethodGet, "up/1", 8*24*time.Hour)
	require.Error(t, err, "longer than S3 allows")
}
