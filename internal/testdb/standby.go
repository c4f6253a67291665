package testdb

import (
	"context"
	"net"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/mosaichq/mosaic/internal/pgcluster"
)

// Standby is a streaming-replication hot standby of the test server,
// made by pg_basebackup from it: it holds every database and schema of the
// primary, read-only, as far as it has replayed. Halt and Resume stop and
// start it in place (a standby that goes away and comes back).
type Standby struct {
	*pgcluster.Cluster
}

// NewStandby makes a standby of TEST_DATABASE_URL's server for this test
// and removes it when the test ends. It takes a second or two: a test that
// needs one makes one, so that halting it disturbs no other test.
func NewStandby(t testing.TB) *Standby {
	t.Helper()
	base := URL(t)
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	c, err := pgcluster.StartStandby(ctx, pgcluster.StandbyOptions{PrimaryURL: base})
	if err != nil {
		t.Fatalf("testdb: making a standby: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := c.Stop(ctx); err != nil {
			t.Errorf("testdb: stopping the standby: %v", err)
		}
	})
	return &Standby{Cluster: c}
}

// URL returns primary (a URL of the test server, such as Schema's, with its
// database and search_path) pointed at the standby instead.
func (s *Standby) URL(primary string) string {
	u, err := url.Parse(primary)
	if err != nil {
		panic("testdb: Standby.URL: " + err.Error())
	}
	u.Host = net.JoinHostPort("127.0.0.1", strconv.Itoa(s.Port()))
	return u.String()
}
