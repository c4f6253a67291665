package replicas_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/internal/replicas"
	"github.com/mosaichq/mosaic/internal/testdb"
	"github.com/mosaichq/mosaic/internal/testimage"
)

// The upload crash inventory: a `mosaic serve` is killed with SIGKILL while
// two uploads stream in — a GraphQL multipart upload (spooled by the
// server) and a direct upload PUT to a presigned URL (written by the local
// blob store) — and restarted in the same data dir. Afterwards no
// temporary file is left anywhere (data dir or $TMPDIR), no object was
// half-written into blob storage, and no row changed.

// cutAt is how much of each upload arrives before the kill.
const cutAt = 4 << 20

func TestUploadCrashInventory(t *testing.T) {
	t.Parallel()
	b := setup(t)
	dataDir, tmpDir := t.TempDir(), t.TempDir()
	b.cfg.Env = append(b.cfg.Env, "TMPDIR="+tmpDir) // nothing may spool here
	p := replicas.StartIn(t, b.cfg, "a", dataDir)

	const size = 20 << 20
	up := b.gql(t, p, `mutation($in: CreateUploadInput!) { createUpload(input: $in) { url } }`,
		map[string]any{"in": map[string]any{"filename": "big.jpg", "contentType": "image/jpeg", "size": size}})
	url := up["createUpload"].(map[string]any)["url"].(string)
	if strings.HasPrefix(url, "/") {
		url = p.URL + url
	}
	rows, blobs := uploadRows(t, b), files(t, filepath.Join(dataDir, "blobs", "data"))

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan struct{}, 2)
	go func() { defer func() { done <- struct{}{} }(); b.multipartCutOff(ctx, p) }()
	go func() { defer func() { done <- struct{}{} }(); putCutOff(ctx, url, size) }()
	require.Eventually(t, func() bool {
		var spooled, put int64
		for f, n := range temps(t, dataDir) {
			switch {
			case strings.HasPrefix(filepath.Base(f), "mosaic-multipart-"):
				spooled = n
			case strings.HasPrefix(filepath.Base(f), "put-"):
				put = n
			}
		}
		return spooled >= cutAt && put >= cutAt
	}, waitTimeout, 20*time.Millisecond, "both uploads are %d bytes on disk", cutAt)
	p.Kill()
	cancel()
	<-done
	<-done
	left := temps(t, dataDir)
	require.Len(t, left, 2, "the crash leaves both temporary files (what the sweep is for)")
	var leftBytes int64
	for _, n := range left {
		leftBytes += n
	}
	require.Empty(t, files(t, tmpDir), "nothing is spooled to $TMPDIR")

	start := time.Now()
	q := replicas.StartIn(t, b.cfg, "a-restarted", dataDir)
	ready := time.Since(start)
	require.Empty(t, temps(t, dataDir), "the restart removed every temporary file")
	require.True(t, q.Logged("removed temporary files of stopped processes"), q.Log())
	require.Equal(t, blobs, files(t, filepath.Join(dataDir, "blobs", "data")), "no object half-written")
	require.Equal(t, rows, uploadRows(t, b), "no row written")
	require.Empty(t, files(t, tmpDir))
	t.Logf("upload crash inventory: at the kill %d temporary files, %d bytes (%v); after the restart (ready in %s): 0 files, blobs and %d tables unchanged",
		len(left), leftBytes, left, ready.Round(time.Millisecond), len(rows))

	// The restarted process takes uploads, and keeps nothing afterwards.
	var body strings.Builder
	status := b.multipart(t.Context(), q, bytes.NewReader(testimage.PNG(8, 8)), &body)
	require.Equal(t, http.StatusOK, status, body.String())
	require.NotContains(t, body.String(), `"errors"`)
	require.Empty(t, temps(t, dataDir))
	q.Stop(10 * time.Second)
	for _, dir := range []string{filepath.Join(dataDir, "tmp"), filepath.Join(dataDir, "blobs", "tmp")} {
		entries, err := os.ReadDir(dir)
		require.NoError(t, err)
		require.Empty(t, entries, "a process that stops removes its own directory")
	}
}

// uploadRows fingerprints every table but the scheduler's watermark, which
// moves on with the clock whenever a process leads (uploads never write it).
func uploadRows(t *testing.T, b *testBundle) map[string]string {
	state := testdb.Fingerprint(t, b.pool)
	require.Contains(t, state, "assets")
	require.Contains(t, state, "asset_uploads")
	delete(state, "scheduler_state")
	return state
}

// multipartCutOff sends uploadAsset with a file part that stops after
// cutAt bytes and never ends, until ctx is cancelled.
func (b *testBundle) multipartCutOff(ctx context.Context, p *replicas.Process) {
	pr, pw := io.Pipe()
	go func() {
		_, _ = pw.Write(make([]byte, cutAt))
		<-ctx.Done()
		pw.CloseWithError(ctx.Err())
	}()
	_ = b.multipart(ctx, p, pr, io.Discard)
}

// multipart posts uploadAsset with file as photo.png and returns the
// status, copying the response to out.
func (b *testBundle) multipart(ctx context.Context, p *replicas.Process, file io.Reader, out io.Writer) int {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		ops, _ := json.Marshal(map[string]any{"query": `mutation($f: Upload!) { uploadAsset(file: $f) { id } }`,
			"variables": map[string]any{"f": nil}})
		_ = mw.WriteField("operations", string(ops))
		_ = mw.WriteField("map", `{"0": ["variables.f"]}`)
		w, _ := mw.CreateFormFile("0", "photo.png")
		if _, err := io.Copy(w, file); err != nil {
			pw.CloseWithError(err)
			return
		}
		pw.CloseWithError(mw.Close())
	}()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.URL+"/graphql", pr)
	if err != nil {
		return 0
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+b.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	_, _ = io.Copy(out, resp.Body)
	return resp.StatusCode
}

// putCutOff PUTs cutAt of the announced size bytes to a presigned URL and
// stalls until ctx is cancelled.
func putCutOff(ctx context.Context, url string, size int64) {
	pr, pw := io.Pipe()
	go func() {
		_, _ = pw.Write(make([]byte, cutAt))
		<-ctx.Done()
		pw.CloseWithError(ctx.Err())
	}()
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, url, pr)
	if err != nil {
		return
	}
	req.ContentLength = size
	req.Header.Set("Content-Type", "image/jpeg")
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
	}
}

// temps is every temporary file in a data dir — the upload spools and the
// blob store's writes — with its size. Lock files are not temporary files.
func temps(t *testing.T, dataDir string) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, dir := range []string{filepath.Join(dataDir, "tmp"), filepath.Join(dataDir, "blobs", "tmp")} {
		for f, n := range files(t, dir) {
			if filepath.Base(f) != ".lock" {
				out[f] = n
			}
		}
	}
	return out
}

// files is every file under dir (relative name → size); none if dir does
// not exist.
func files(t *testing.T, dir string) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		switch {
		case err != nil && os.IsNotExist(err):
			return nil // removed meanwhile, or no such dir
		case err != nil:
			return err
		case e.IsDir():
			return nil
		}
		info, err := e.Info()
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		out[rel] = info.Size()
		return nil
	})
	require.NoError(t, err, fmt.Sprintf("listing %s", dir))
	return out
}
