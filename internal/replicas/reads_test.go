package replicas_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/internal/replicas"
	"github.com/mosaichq/mosaic/internal/testdb"
)

// A `mosaic serve` with MOSAIC_DATABASE_READ_URLS naming a real hot
// standby (pg_basebackup of the test server): reports and published reads
// are served by the standby, an editor reads their own write through the
// position the response hands back, and the standby stopped under load
// fails no request and serves again once restarted.

const metricsQuery = `{ metrics { key } }`

// gqlRaw posts query as the editor with extra headers and returns the
// metric keys (for metricsQuery), the response headers and any error.
func gqlRaw(ctx context.Context, p *replicas.Process, token, query string, vars map[string]any, header http.Header) (map[string]any, http.Header, error) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.URL+"/graphql", bytes.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, nil, err
	}
	var out struct {
		Data   map[string]any   `json:"data"`
		Errors []map[string]any `json:"errors"`
	}
	if err := json.Unmarshal(raw, &out); err != nil || resp.StatusCode != http.StatusOK || len(out.Errors) > 0 {
		return nil, resp.Header, fmt.Errorf("HTTP %d: %s", resp.StatusCode, raw)
	}
	return out.Data, resp.Header, nil
}

func metricKeys(data map[string]any) []string {
	var keys []string
	list, _ := data["metrics"].([]any)
	for _, m := range list {
		keys = append(keys, m.(map[string]any)["key"].(string))
	}
	return keys
}

// scrape reads one sample of the process's /metrics (loopback: no token).
func scrape(t *testing.T, p *replicas.Process, name, label string) float64 {
	t.Helper()
	resp, err := http.Get(p.URL + "/metrics")
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	series := name
	if label != "" {
		series += "{" + label + "}"
	}
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\S+)$`).FindSubmatch(raw)
	if m == nil {
		return -1
	}
	v, err := strconv.ParseFloat(string(m[1]), 64)
	require.NoError(t, err)
	return v
}

func TestReadReplica(t *testing.T) {
	b := setup(t)
	sb := testdb.NewStandby(t) // after the seed: the copy has the demo
	standbyURL := sb.URL(b.cfg.DatabaseURL)
	cfg := b.cfg
	cfg.Env = append(slices.Clone(cfg.Env), "MOSAIC_DATABASE_READ_URLS="+standbyURL, "MOSAIC_DATABASE_READ_MAX_LAG=1m", "MOSAIC_METRICS=true", "MOSAIC_PUBLIC_DELIVERY=true", "MOSAIC_RATE_LIMIT_IP=0", "MOSAIC_RATE_LIMIT_KEY=0")
	p := replicas.Start(t, cfg, "reader")
	ctx := t.Context()
	u, err := url.Parse(standbyURL)
	require.NoError(t, err)
	target := `target="` + u.Host + `"`
	standbyReads := func() float64 { return scrape(t, p, "mosaic_db_routed_reads_total", target) }
	defer func() {
		if t.Failed() {
			resp, _ := http.Get(p.URL + "/metrics")
			raw, _ := io.ReadAll(resp.Body)
			for _, l := range bytes.Split(raw, []byte("\n")) {
				if bytes.Contains(l, []byte("standby")) || bytes.Contains(l, []byte("routed")) {
					t.Log(string(l))
				}
			}
			t.Log(p.Log())
		}
	}()

	// Reports are read from the standby.
	require.Eventually(t, func() bool {
		before := standbyReads()
		_, _, err := gqlRaw(ctx, p, b.token, metricsQuery, nil, nil)
		if err != nil {
			t.Log(err)
		}
		return err == nil && standbyReads() > before
	}, waitTimeout, 20*time.Millisecond, "the standby serves the reports")
	require.Equal(t, 1.0, scrape(t, p, "mosaic_db_standby_up", `standby="`+u.Host+`"`))

	t.Run("an editor reads their own write", func(t *testing.T) {
		conn, err := pgx.Connect(ctx, standbyURL)
		require.NoError(t, err)
		defer conn.Close(context.Background())
		// The paused standby answers a read without the position only while
		// the routed reads' floor has not passed it: anything that raises
		// the floor meanwhile (a change, an epoch read by the search index
		// or delivery) sends every read to the primary, which is right but
		// shows nothing. So an attempt whose plain read the primary served
		// is played again with a new write, after the standby caught up.
		var key string
		for attempt := 1; ; attempt++ {
			_, err = conn.Exec(ctx, "SELECT pg_wal_replay_pause()") // the standby stays where it is
			require.NoError(t, err)
			key = fmt.Sprintf("replica-rw-%d", attempt)
			_, h, err := gqlRaw(ctx, p, b.token, `mutation($k: String!) { createMetric(input: {key: $k, name: "RW", kind: CONVERSION, event: "buy"}) { key } }`,
				map[string]any{"k": key}, nil)
			require.NoError(t, err)
			pos := h.Get("Mosaic-Read-After")
			require.NotEmpty(t, pos, "a write hands back the position after it")
			require.Contains(t, h.Get("Set-Cookie"), "mosaic_read_after="+pos)

			data, _, err := gqlRaw(ctx, p, b.token, metricsQuery, nil, http.Header{"Mosaic-Read-After": {pos}})
			require.NoError(t, err)
			require.Contains(t, metricKeys(data), key, "with the position: the write is read")
			data, _, err = gqlRaw(ctx, p, b.token, metricsQuery, nil, http.Header{"Cookie": {"mosaic_read_after=" + pos}})
			require.NoError(t, err)
			require.Contains(t, metricKeys(data), key, "the cookie does the same for the studio")
			before := standbyReads()
			data, h, err = gqlRaw(ctx, p, b.token, metricsQuery, nil, nil)
			require.NoError(t, err)
			require.Empty(t, h.Get("Mosaic-Read-After"), "a read hands back nothing")
			fromStandby := standbyReads() > before

			_, err = conn.Exec(ctx, "SELECT pg_wal_replay_resume()")
			require.NoError(t, err)
			if fromStandby {
				require.NotContains(t, metricKeys(data), key, "without it: the paused standby answered")
				break
			}
			require.Less(t, attempt, 5, "the floor passed the paused standby in every attempt: the plain read never reached it")
			t.Logf("attempt %d: the floor passed the paused standby; the primary answered", attempt)
			require.Eventually(t, func() bool {
				before := standbyReads()
				data, _, err := gqlRaw(ctx, p, b.token, metricsQuery, nil, nil)
				return err == nil && standbyReads() > before && slices.Contains(metricKeys(data), key)
			}, waitTimeout, 20*time.Millisecond, "the standby replays it")
		}
		require.Eventually(t, func() bool {
			data, _, err := gqlRaw(ctx, p, b.token, metricsQuery, nil, nil)
			return err == nil && slices.Contains(metricKeys(data), key)
		}, waitTimeout, 20*time.Millisecond, "the standby replays it")
	})

	t.Run("standby stopped under load", func(t *testing.T) {
		var requests, failed atomic.Int64
		var firstErr atomic.Value
		stop := make(chan struct{})
		var wg sync.WaitGroup
		vars, _ := json.Marshal(map[string]any{"slug": "home"})
		home := p.URL + "/graphql?query=" + url.QueryEscape(cdnQuery) + "&variables=" + url.QueryEscape(string(vars))
		for i := range 4 {
			wg.Go(func() {
				for {
					select {
					case <-stop:
						return
					default:
					}
					var err error
					if i%2 == 0 {
						_, _, err = gqlRaw(context.Background(), p, b.token, metricsQuery, nil, nil)
					} else if resp, gerr := http.Get(home); gerr != nil {
						err = gerr
					} else {
						body, _ := io.ReadAll(resp.Body)
						resp.Body.Close()
						if resp.StatusCode != http.StatusOK || bytes.Contains(body, []byte(`"errors"`)) {
							err = fmt.Errorf("HTTP %d: %s", resp.StatusCode, body)
						}
					}
					if err != nil {
						failed.Add(1)
						firstErr.CompareAndSwap(nil, err)
					}
					requests.Add(1)
				}
			})
		}
		more := func(n int64, msg string) {
			goal := requests.Load() + n
			require.Eventually(t, func() bool { return requests.Load() >= goal }, waitTimeout, 10*time.Millisecond, msg)
		}
		more(100, "load before the stop")
		require.NoError(t, sb.Halt(ctx))
		require.Eventually(t, func() bool { return scrape(t, p, "mosaic_db_standby_up", `standby="`+u.Host+`"`) == 0 },
			waitTimeout, 10*time.Millisecond, "the stopped standby is skipped")
		more(20, "requests that picked the standby before are done")
		before := standbyReads()
		more(200, "load while the standby is down")
		require.Equal(t, before, standbyReads(), "nothing read from the stopped standby")
		require.NoError(t, sb.Resume(ctx))
		require.Eventually(t, func() bool {
			return scrape(t, p, "mosaic_db_standby_up", `standby="`+u.Host+`"`) == 1 && standbyReads() > before+20
		}, waitTimeout, 20*time.Millisecond, "the restarted standby serves again")
		close(stop)
		wg.Wait()
		require.Zero(t, failed.Load(), "failed requests under load (of %d), first: %v", requests.Load(), firstErr.Load())
		t.Logf("%d requests under load, none failed; fallbacks to the primary: %v", requests.Load(),
			scrape(t, p, "mosaic_db_standby_fallbacks_total", ""))
	})
}
