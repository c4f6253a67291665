package testapp

import (
	"context"
	"net"
	"net/url"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/mosaichq/mosaic/internal/testblob"
)

// proxiedPool opens a pool on the schema at u through a TCP proxy, so a
// test can take the database away (DB.Down) and bring it back (DB.Up)
// without touching the shared test cluster.
func proxiedPool(t testing.TB, u string) (*pgxpool.Pool, *testblob.Proxy) {
	t.Helper()
	parsed, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	host, port := parsed.Hostname(), parsed.Port()
	if port == "" {
		port = "5432"
	}
	proxy := testblob.NewProxy(t, net.JoinHostPort(host, port))
	parsed.Host = proxy.Addr
	q := parsed.Query()
	q.Set("connect_timeout", "2")
	parsed.RawQuery = q.Encode()
	pool, err := pgxpool.New(context.Background(), parsed.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool, proxy
}
