package replicas_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/internal/replicas"
	"github.com/mosaichq/mosaic/internal/varnish"
	"github.com/mosaichq/mosaic/measurement/eventlog"
)

// The scale-out drill (issue 20): three replicas on one database, an
// external three-node NATS JetStream cluster carrying client events
// (stream replicated three times), Varnish in front. Under load — a poller
// reading the home page through Varnish, a client sending events to the
// replicas — the NATS node leading the event stream and the replica
// leading the scheduler are killed with SIGKILL a second and a half before
// a campaign starts. Published reads keep answering, no answer is stale
// across the start and the end, each transition is announced once, and
// every event a replica accepted (202) reaches PostgreSQL exactly once.

// eventClient sends batches of events round robin to the replicas until
// halted; a batch refused or cut off is sent again to the next replica,
// as a real client resends (the ids make resending safe).
type eventClient struct {
	mu       sync.Mutex
	accepted []string // event ids answered 202
	resent   int
	stop     chan struct{}
	done     chan struct{}
}

func sendEvents(ps []*replicas.Process) *eventClient {
	c := &eventClient{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(c.done)
		deadline := time.Now().Add(2 * time.Minute) // bounded, whatever happens
		for batch, next := 0, 0; time.Now().Before(deadline); batch++ {
			select {
			case <-c.stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			ids := make([]string, 10)
			events := make([]string, len(ids))
			for i := range ids {
				ids[i] = fmt.Sprintf("scale-%d-%d", batch, i)
				events[i] = fmt.Sprintf(`{"id":%q,"type":"track","visitorId":"v%d","name":"tap"}`, ids[i], i)
			}
			for time.Now().Before(deadline) {
				body := fmt.Sprintf(`{"sentAt":%q,"events":[%s]}`, time.Now().UTC().Format(time.RFC3339Nano), strings.Join(events, ","))
				p := ps[next%len(ps)]
				next++
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, p.URL+"/collect", bytes.NewReader([]byte(body)))
				req.Header.Set("Content-Type", "text/plain")
				resp, err := http.DefaultClient.Do(req)
				if err == nil {
					resp.Body.Close()
				}
				cancel()
				if err == nil && resp.StatusCode == http.StatusAccepted {
					c.mu.Lock()
					c.accepted = append(c.accepted, ids...)
					c.mu.Unlock()
					break
				}
				c.mu.Lock()
				c.resent++
				c.mu.Unlock()
			}
		}
	}()
	return c
}

func (c *eventClient) halt() {
	select {
	case <-c.stop:
	default:
		close(c.stop)
	}
	<-c.done
}

func (c *eventClient) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.accepted)
}

func TestScaleOutDrill(t *testing.T) {
	bin := os.Getenv("TEST_NATS_SERVER")
	if bin == "" {
		t.Skip("TEST_NATS_SERVER is not set: run through go run ./internal/tools/testenv")
	}
	b := setup(t)
	ctx := t.Context()
	cluster := replicas.StartNATSCluster(t, bin, 3)
	b.cfg.Env = append(b.cfg.Env, "MOSAIC_NATS_URL="+cluster.URL(), "MOSAIC_NATS_REPLICAS=3",
		"MOSAIC_PUBLIC_DELIVERY=true", "MOSAIC_WEBHOOK_ALLOW_PRIVATE=true", "MOSAIC_WEBHOOK_BACKOFF=100ms",
		"MOSAIC_RATE_LIMIT_IP=0", "MOSAIC_CACHE_MAX_AGE=2s")
	ps := []*replicas.Process{replicas.Start(t, b.cfg, "a"), replicas.Start(t, b.cfg, "b"), replicas.Start(t, b.cfg, "c")}
	cache := varnish.Start(t, ps[0].URL, ps[1].URL, ps[2].URL)
	hook := newPurgeHook(t, cache)
	created := b.gql(t, ps[0], `mutation($u: String!) { createWebhookEndpoint(input: {url: $u, eventTypes: ["campaign.*", "changed"]}) { secret } }`,
		map[string]any{"u": hook.URL + "/purge"})
	hook.mu.Lock()
	hook.secret = created["createWebhookEndpoint"].(map[string]any)["secret"].(string)
	hook.mu.Unlock()

	poll := pollCDN(t, cache.URL)
	events := sendEvents(ps)
	t.Cleanup(events.halt)
	id := b.campaignID(t, ps[0], "winter-sale")
	start := time.Now().Add(4 * time.Second)
	end := start.Add(4 * time.Second)
	b.schedule(t, ps[1], id, start, end)

	time.Sleep(time.Until(start.Add(-1500 * time.Millisecond)))
	node, err := cluster.StreamLeader(ctx, eventlog.DefaultStream)
	require.NoError(t, err)
	lead, survivors := leader(t, ps...)
	beforeKill := events.count()
	node.Kill()
	lead.Kill()
	killed := time.Now()
	t.Logf("killed NATS node %s (the event stream's leader) and replica %s (the scheduler's leader) at %s; campaign %s → %s",
		node.Name, lead.Name, killed.Format("15:04:05.000"), start.Format("15:04:05.000"), end.Format("15:04:05.000"))

	time.Sleep(time.Until(end.Add(2 * time.Second)))
	poll.halt()
	events.halt()

	// Published reads kept answering, and the switch stayed exact.
	answers := poll.snapshot()
	n, example := stale(answers, func(t time.Time) bool { return !t.Before(start) && t.Before(end) })
	require.Zero(t, n, "stale answers through the CDN (start %s, end %s): %s", start.Format("15:04:05.000"), end.Format("15:04:05.000"), example)
	var before, during, after, afterKill int
	for _, a := range answers {
		require.Equal(t, http.StatusOK, a.status, "a published read failed at %s: %s", a.sent.Format("15:04:05.000"), a.body)
		switch {
		case a.received.Before(start):
			before++
		case a.sent.Before(end):
			during++
		default:
			after++
		}
		if a.sent.After(killed) {
			afterKill++
		}
	}
	require.Positive(t, before*during*after, "answers before, during and after the campaign: %d %d %d", before, during, after)
	require.Positive(t, afterKill)
	require.Eventually(t, func() bool {
		got := b.logged(t, id)
		return got["campaign.started"] == 1 && got["campaign.ended"] == 1
	}, waitTimeout, 50*time.Millisecond, "each transition announced once by the surviving replicas")
	require.Equal(t, map[string]int{"campaign.started": 1, "campaign.ended": 1}, b.logged(t, id))

	// No accepted event lost, none written twice.
	events.mu.Lock()
	accepted, resent := events.accepted, events.resent
	events.mu.Unlock()
	require.Greater(t, len(accepted), beforeKill, "events were still accepted after the kills")
	var stored, distinct int
	require.Eventually(t, func() bool {
		err := b.pool.QueryRow(ctx, `SELECT count(*), count(DISTINCT id) FROM measurement_events WHERE id = ANY($1)`, accepted).Scan(&stored, &distinct)
		return err == nil && distinct == len(accepted)
	}, waitTimeout, 100*time.Millisecond, "every accepted event reaches PostgreSQL")
	require.Equal(t, distinct, stored, "no event written twice")
	t.Logf("%d answers through Varnish (%d after the kills), 0 failed, 0 stale; %d events accepted (%d after the kills, %d batches resent), all stored once; survivors %s, %s",
		len(answers), afterKill, len(accepted), len(accepted)-beforeKill, resent, survivors[0].Name, survivors[1].Name)
}
