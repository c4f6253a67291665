package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestHealthcheck: exit 0 on a 200 from /healthz, an error (exit 1) on
// anything else and on nobody listening; MOSAIC_ADDR's wildcard host is
// dialled on loopback.
func TestHealthcheck(t *testing.T) {
	t.Parallel()
	var status = http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(status)
	}))
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")

	var out bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"healthcheck", "--addr", addr}, &out, io.Discard))
	require.Equal(t, "ok\n", out.String())

	status = http.StatusServiceUnavailable
	err := run(context.Background(), []string{"healthcheck", "--addr", addr}, io.Discard, io.Discard)
	require.ErrorContains(t, err, "503")

	srv.Close()
	require.Error(t, run(context.Background(), []string{"healthcheck", "--url", srv.URL + "/healthz"}, io.Discard, io.Discard),
		"nobody listening")

	require.Equal(t, "127.0.0.1:8080", loopbackAddr("0.0.0.0:8080"))
	require.Equal(t, "127.0.0.1:8080", loopbackAddr(":8080"))
	require.Equal(t, "[::1]:8080", loopbackAddr("[::]:8080"))
	require.Equal(t, "10.0.0.5:9000", loopbackAddr("10.0.0.5:9000"))
}
