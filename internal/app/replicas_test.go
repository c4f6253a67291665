package app

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/storage/postgres"
)

// Streamed GraphQL answers need http.Flusher from the writer they get.
var _ http.Flusher = (*pinWriter)(nil)

// TestReadAfter: the position comes from the header, else the cookie; a
// value that is not a position counts as none (the request then reads as
// any visitor's would), never as an error.
func TestReadAfter(t *testing.T) {
	t.Parallel()
	lsn := func(s string) postgres.LSN {
		l, err := postgres.ParseLSN(s)
		require.NoError(t, err)
		return l
	}
	for _, c := range []struct {
		name, header, cookie string
		want                 postgres.LSN
	}{
		{"nothing", "", "", 0},
		{"header", "0/16B3748", "", lsn("0/16B3748")},
		{"cookie", "", "1/A0", lsn("1/A0")},
		{"header wins", "2/0", "1/A0", lsn("2/0")},
		{"garbage", "'; DROP TABLE", "", 0},
		{"garbage cookie", "", "16B3748", 0},
	} {
		r := httptest.NewRequest(http.MethodPost, "/graphql", nil)
		if c.header != "" {
			r.Header.Set(readAfterHeader, c.header)
		}
		if c.cookie != "" {
			r.AddCookie(&http.Cookie{Name: readAfterCookie, Value: c.cookie})
		}
		require.Equal(t, c.want, readAfter(r), c.name)
	}
}

// TestNoReadSessionsWithoutStandbys: without standbys the handler is the
// server's own, unwrapped.
func TestNoReadSessionsWithoutStandbys(t *testing.T) {
	t.Parallel()
	next := http.NewServeMux()
	require.Same(t, next, (&App{}).readSessions(next).(*http.ServeMux))
}
