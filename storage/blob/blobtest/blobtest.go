package blobtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/storage/blob"
)

// Run runs the suite; newStore returns an empty store for one test.
func Run(t *testing.T, newStore func(t *testing.T) blob.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s blob.Store)
	}{
		{"PutGetStat", testPutGetStat},
		{"Overwrite", testOverwrite},
		{"Ranges", testRanges},
		{"EmptyObject", testEmpty},
		{"NotFound", testNotFound},
		{"Delete", testDelete},
		{"TruncatedAndTooLong", testExactSize},
		{"InvalidKeys", testInvalidKeys},
		{"List", testList},
		{"Presign", testPresign},
		{"Concurrent", testConcurrent},
		{"Cancelled", testCancelled},
		{"Large", testLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, newStore(t))
		})
	}
}

func ctx(t *testing.T) context.Context { return t.Context() }

func put(t *testing.T, s blob.Store, key, body, ct string) blob.Info {
	t.Helper()
	info, err := s.Put(ctx(t), key, strings.NewReader(body), int64(len(body)), blob.PutOptions{ContentType: ct})
	require.NoError(t, err)
	return info
}

func get(t *testing.T, s blob.Store, key string, rng *blob.Range) (string, blob.Info) {
	t.Helper()
	rc, info, err := s.Get(ctx(t), key, rng)
	require.NoError(t, err)
	defer rc.Close()
	b, err := io.ReadAll(rc)
	require.NoError(t, err)
	return string(b), info
}

func testPutGetStat(t *testing.T, s blob.Store) {
	info := put(t, s, "a/b/c.txt", "hello, blob", "text/plain")
	require.Equal(t, "a/b/c.txt", info.Key)
	require.EqualValues(t, 11, info.Size)
	require.Equal(t, "text/plain", info.ContentType)
	require.NotEmpty(t, info.ETag)
	require.WithinDuration(t, time.Now(), info.ModTime, time.Hour)

	body, ginfo := get(t, s, "a/b/c.txt", nil)
	require.Equal(t, "hello, blob", body)
	require.Equal(t, info.Size, ginfo.Size)
	require.Equal(t, info.ETag, ginfo.ETag)
	require.Equal(t, "text/plain", ginfo.ContentType)

	st, err := s.Stat(ctx(t), "a/b/c.txt")
	require.NoError(t, err)
	require.Equal(t, info.ETag, st.ETag)
	require.EqualValues(t, 11, st.Size)

	other := put(t, s, "other", "a different body", "")
	require.NotEqual(t, info.ETag, other.ETag, "ETags tell contents apart")
	require.Equal(t, "application/octet-stream", other.ContentType, "the default content type")
}

func testOverwrite(t *testing.T, s blob.Store) {
	put(t, s, "k", "first", "text/plain")
	put(t, s, "k", "second, longer", "application/json")
	body, info := get(t, s, "k", nil)
	require.Equal(t, "second, longer", body)
	require.Equal(t, "application/json", info.ContentType)
}

func testRanges(t *testing.T, s blob.Store) {
	var sb strings.Builder
	for i := range 100 {
		sb.WriteByte(byte('a' + i%26))
	}
	all := sb.String()
	put(t, s, "r", all, "")
	for _, tc := range []struct {
		rng  blob.Range
		want string
	}{
		{blob.Range{Offset: 0, Length: 10}, all[:10]},
		{blob.Range{Offset: 90, Length: -1}, all[90:]},
		{blob.Range{Offset: 95, Length: 100}, all[95:]},
		{blob.Range{Offset: 42, Length: 1}, all[42:43]},
		{blob.Range{Offset: 99, Length: -1}, all[99:]},
	} {
		got, info := get(t, s, "r", &tc.rng)
		require.Equal(t, tc.want, got, "range %+v", tc.rng)
		require.EqualValues(t, 100, info.Size, "Info describes the whole object")
	}
	for _, rng := range []blob.Range{{Offset: 100, Length: -1}, {Offset: 1000, Length: 5}, {Offset: -1, Length: 5}} {
		_, _, err := s.Get(ctx(t), "r", &rng)
		require.ErrorIs(t, err, blob.ErrInvalidRange, "range %+v", rng)
	}
}

func testEmpty(t *testing.T, s blob.Store) {
	info := put(t, s, "empty", "", "text/plain")
	require.Zero(t, info.Size)
	body, _ := get(t, s, "empty", nil)
	require.Empty(t, body)
	body, _ = get(t, s, "empty", &blob.Range{Offset: 0, Length: -1})
	require.Empty(t, body)
}

func testNotFound(t *testing.T, s blob.Store) {
	_, err := s.Stat(ctx(t), "missing/key")
	require.ErrorIs(t, err, blob.ErrNotFound)
	_, _, err = s.Get(ctx(t), "missing/key", nil)
	require.ErrorIs(t, err, blob.ErrNotFound)
	_, _, err = s.Get(ctx(t), "missing/key", &blob.Range{Offset: 1, Length: 2})
	require.ErrorIs(t, err, blob.ErrNotFound)
	require.NoError(t, s.Delete(ctx(t), "missing/key"), "deleting a missing object is fine")
	put(t, s, "file", "x", "")
	_, err = s.Stat(ctx(t), "file/below")
	require.ErrorIs(t, err, blob.ErrNotFound, "a key below an object's key")
}

func testDelete(t *testing.T, s blob.Store) {
	put(t, s, "d/x", "bye", "")
	require.NoError(t, s.Delete(ctx(t), "d/x"))
	_, err := s.Stat(ctx(t), "d/x")
	require.ErrorIs(t, err, blob.ErrNotFound)
	require.NoError(t, s.Delete(ctx(t), "d/x"), "twice")
	for info, err := range s.List(ctx(t), "d/") {
		require.NoError(t, err)
		t.Fatalf("listed a deleted object: %+v", info)
	}
}

func testExactSize(t *testing.T, s blob.Store) {
	_, err := s.Put(ctx(t), "short", strings.NewReader("only this"), 100, blob.PutOptions{})
	require.ErrorIs(t, err, blob.ErrTruncated)
	_, err = s.Stat(ctx(t), "short")
	require.ErrorIs(t, err, blob.ErrNotFound, "no object after a truncated write")

	_, err = s.Put(ctx(t), "long", strings.NewReader("more than five"), 5, blob.PutOptions{})
	require.ErrorIs(t, err, blob.ErrTooLarge)
	_, err = s.Stat(ctx(t), "long")
	require.ErrorIs(t, err, blob.ErrNotFound, "no object after an overlong write")
}

func testInvalidKeys(t *testing.T, s blob.Store) {
	for _, key := range []string{"", "../escape", "a/../../b", "/abs", "a//b", "a/./b", "trailing/", `a\b`, "a b", "ä", "a?b", "..", strings.Repeat("k", blob.MaxKeyLength+1)} {
		_, err := s.Put(ctx(t), key, strings.NewReader("x"), 1, blob.PutOptions{})
		require.ErrorIs(t, err, blob.ErrInvalidKey, "put %q", key)
		_, _, err = s.Get(ctx(t), key, nil)
		require.ErrorIs(t, err, blob.ErrInvalidKey, "get %q", key)
		_, err = s.Stat(ctx(t), key)
		require.ErrorIs(t, err, blob.ErrInvalidKey, "stat %q", key)
		require.ErrorIs(t, s.Delete(ctx(t), key), blob.ErrInvalidKey, "delete %q", key)
		_, err = s.Presign(ctx(t), http.MethodGet, key, time.Minute)
		require.ErrorIs(t, err, blob.ErrInvalidKey, "presign %q", key)
	}
	for info, err := range s.List(ctx(t), "../") {
		require.ErrorIs(t, err, blob.ErrInvalidKey, "list ../ yielded %+v", info)
	}
}

func listKeys(t *testing.T, s blob.Store, prefix string) []string {
	t.Helper()
	keys := []string{}
	for info, err := range s.List(ctx(t), prefix) {
		require.NoError(t, err)
		keys = append(keys, info.Key)
	}
	return keys
}

func testList(t *testing.T, s blob.Store) {
	for _, k := range []string{"q/x", "p0", "p/b/d", "p/a", "p/b/c", "p.z"} {
		put(t, s, k, "v-"+k, "")
	}
	require.Equal(t, []string{"p.z", "p/a", "p/b/c", "p/b/d", "p0", "q/x"}, listKeys(t, s, ""))
	require.Equal(t, []string{"p/a", "p/b/c", "p/b/d"}, listKeys(t, s, "p/"))
	require.Equal(t, []string{"p.z", "p/a", "p/b/c", "p/b/d", "p0"}, listKeys(t, s, "p"))
	require.Equal(t, []string{"p/b/c", "p/b/d"}, listKeys(t, s, "p/b"))
	require.Equal(t, []string{}, listKeys(t, s, "nothing/"))
	for info, err := range s.List(ctx(t), "p/a") {
		require.NoError(t, err)
		require.EqualValues(t, len("v-p/a"), info.Size)
	}
	n := 0
	for range s.List(ctx(t), "") {
		n++
		break
	}
	require.Equal(t, 1, n, "stopping early")
}

func testPresign(t *testing.T, s blob.Store) {
	body := []byte("uploaded straight to storage")
	putURL, err := s.Presign(ctx(t), http.MethodPut, "up/direct.bin", 5*time.Minute)
	require.NoError(t, err)
	resp := do(t, http.MethodPut, putURL, body, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode, resp.body)
	info, err := s.Stat(ctx(t), "up/direct.bin")
	require.NoError(t, err)
	require.EqualValues(t, len(body), info.Size)

	getURL, err := s.Presign(ctx(t), http.MethodGet, "up/direct.bin", 5*time.Minute)
	require.NoError(t, err)
	resp = do(t, http.MethodGet, getURL, nil, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, string(body), resp.body)
	resp = do(t, http.MethodGet, getURL, nil, http.Header{"Range": {"bytes=0-7"}})
	require.Equal(t, http.StatusPartialContent, resp.StatusCode)
	require.Equal(t, "uploaded", resp.body)

	// A URL is good for its method and key only.
	resp = do(t, http.MethodPut, getURL, []byte("overwrite"), nil)
	require.GreaterOrEqual(t, resp.StatusCode, 400, "PUT with a GET URL")
	resp = do(t, http.MethodGet, strings.Replace(getURL, "direct.bin", "other.bin", 1), nil, nil)
	require.GreaterOrEqual(t, resp.StatusCode, 400, "another key with the same signature")
	b, _ := get(t, s, "up/direct.bin", nil)
	require.Equal(t, string(body), b, "unchanged")

	_, err = s.Presign(ctx(t), http.MethodDelete, "up/direct.bin", time.Minute)
	require.Error(t, err)
}

type response struct {
	StatusCode int
	body       string
}

func do(t *testing.T, method, url string, body []byte, h http.Header) response {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx(t), method, url, bytes.NewReader(body))
	require.NoError(t, err)
	if body == nil {
		req.Body = nil
	}
	for k, v := range h {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return response{resp.StatusCode, string(b)}
}

func testConcurrent(t *testing.T, s blob.Store) {
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Go(func() {
			body := strings.Repeat(fmt.Sprint(i), 1000+i)
			if _, err := s.Put(ctx(t), fmt.Sprintf("c/%d", i), strings.NewReader(body), int64(len(body)), blob.PutOptions{}); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	require.Len(t, listKeys(t, s, "c/"), 8)
}

func testCancelled(t *testing.T, s blob.Store) {
	c, cancel := context.WithCancel(ctx(t))
	cancel()
	_, err := s.Put(c, "cancelled", strings.NewReader("x"), 1, blob.PutOptions{})
	require.Error(t, err)
	require.True(t, errors.Is(err, context.Canceled), "%v", err)
	_, err = s.Stat(ctx(t), "cancelled")
	require.ErrorIs(t, err, blob.ErrNotFound)
}

func testLarge(t *testing.T, s blob.Store) {
	size := 5<<20 + 1
	if !testing.Short() {
		size = 17 << 20 // past minio-go's 16 MiB part size: a multipart upload
	}
	body := make([]byte, size)
	_, _ = rand.Read(body)
	info, err := s.Put(ctx(t), "large/object", bytes.NewReader(body), int64(size), blob.PutOptions{ContentType: "application/octet-stream"})
	require.NoError(t, err)
	require.EqualValues(t, size, info.Size)
	rc, _, err := s.Get(ctx(t), "large/object", nil)
	require.NoError(t, err)
	got, err := io.ReadAll(rc)
	rc.Close()
	require.NoError(t, err)
	require.True(t, bytes.Equal(body, got), "round trip of %d bytes", size)
	tail, _ := get(t, s, "large/object", &blob.Range{Offset: int64(size - 10), Length: -1})
	require.Equal(t, string(body[size-10:]), tail)
}
