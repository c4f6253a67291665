package replicas_test

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/internal/replicas"
	"github.com/mosaichq/mosaic/internal/testblob"
	"github.com/mosaichq/mosaic/internal/testdb"
)

// A replica killed with SIGKILL loses no event it answered 202 for: with
// PostgreSQL cut off, events are accepted into the embedded log (nothing
// can reach the table), the process is killed, and a process started again
// on the same data dir writes every one of them once the database is back.
func TestCollectedEventsSurviveKill(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds and runs mosaic processes")
	}
	pool, dbURL := testdb.Schema(t)
	u, err := url.Parse(dbURL)
	require.NoError(t, err)
	port := u.Port()
	if port == "" {
		port = "5432"
	}
	proxy := testblob.NewProxy(t, net.JoinHostPort(u.Hostname(), port))
	u.Host = proxy.Addr
	q := u.Query()
	q.Set("connect_timeout", "2")
	u.RawQuery = q.Encode()
	cfg := replicas.Config{Bin: replicas.Build(t), DatabaseURL: u.String(), Secret: secret,
		Env: []string{"MOSAIC_DATA_DIR=" + t.TempDir(), "MOSAIC_PUBLIC_DELIVERY=true"}}

	first := replicas.Start(t, cfg, "first")
	proxy.Down()
	for b := range 3 {
		events := make([]string, 20)
		for i := range events {
			events[i] = fmt.Sprintf(`{"id":"kill-%d-%d","type":"track","visitorId":"v%d","name":"tap"}`, b, i, i)
		}
		body := fmt.Sprintf(`{"sentAt":%q,"events":[%s]}`, time.Now().UTC().Format(time.RFC3339Nano), strings.Join(events, ","))
		resp, err := http.Post(first.URL+"/collect", "text/plain", bytes.NewReader([]byte(body)))
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, http.StatusAccepted, resp.StatusCode)
	}
	first.Kill()
	proxy.Up()

	count := func() int {
		var n int
		require.NoError(t, pool.QueryRow(t.Context(), `SELECT count(*) FROM measurement_events`).Scan(&n))
		return n
	}
	require.Zero(t, count(), "nothing reached PostgreSQL before the kill")
	second := replicas.Start(t, cfg, "second")
	// Messages the killed replica had pulled (it was retrying them while
	// the database was away) are redelivered when their ack wait (30 s,
	// measurement/eventlog) runs out after its last "in progress": the
	// wait is that plus the usual margin.
	require.Eventually(t, func() bool { return count() >= 60 }, 30*time.Second+waitTimeout, 50*time.Millisecond,
		"the restarted replica writes what the killed one accepted\n%s", second.Log())
	require.Equal(t, 60, count())
	second.Stop(10 * time.Second)
}
