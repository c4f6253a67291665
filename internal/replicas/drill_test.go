package replicas_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/internal/replicas"
	"github.com/mosaichq/mosaic/webhook"
)

// The leader-kill drill: the replica leading the scheduler is killed with
// SIGKILL one second before a campaign starts, at the start, and 2 ms
// after it — around the instant it announces. In every case the start and
// the end are announced exactly once: one event each on the live streams
// of the survivor, one webhook message each (a message may arrive again
// after a kill, under the same webhook-id: receivers dedupe on it, as the
// Standard Webhooks spec says), every one correctly signed.

// hooks is a webhook receiver that verifies every message and counts
// deliveries per webhook-id.
type hooks struct {
	*httptest.Server
	mu     sync.Mutex
	secret string
	byID   map[string]int
	types  map[string]string
	bad    []string
}

func newHooks(t *testing.T) *hooks {
	h := &hooks{byID: map[string]int{}, types: map[string]string{}}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		defer h.mu.Unlock()
		if err := webhook.Verify(h.secret, r.Header, body, time.Now(), time.Minute); err != nil {
			h.bad = append(h.bad, err.Error())
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		id := r.Header.Get(webhook.HeaderID)
		h.byID[id]++
		var msg struct{ Type string }
		if err := json.Unmarshal(body, &msg); err == nil {
			h.types[id] = msg.Type
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(h.Close)
	return h
}

// distinct counts the distinct messages of each event type.
func (h *hooks) distinct() map[string]int {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := map[string]int{}
	for id := range h.byID {
		out[h.types[id]]++
	}
	return out
}

func TestLeaderKillDrill(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		offset time.Duration // of the kill, from startsAt
	}{{"T-1s", -time.Second}, {"T", 0}, {"T+2ms", 2 * time.Millisecond}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			b.cfg.Env = append(b.cfg.Env, "MOSAIC_WEBHOOK_ALLOW_PRIVATE=true", "MOSAIC_WEBHOOK_BACKOFF=100ms",
				// A delivery the killed replica had claimed is retried when its
				// lease (twice the timeout, plus 5 s) runs out.
				"MOSAIC_WEBHOOK_TIMEOUT=1s")
			a := replicas.Start(t, b.cfg, "a")
			c := replicas.Start(t, b.cfg, "b")
			lead, others := leader(t, a, c)
			follower := others[0]
			recv := newHooks(t)
			created := b.gql(t, follower, `mutation($u: String!) { createWebhookEndpoint(input: {url: $u, eventTypes: ["campaign.*"]}) { secret } }`,
				map[string]any{"u": recv.URL + "/hook"})
			recv.mu.Lock()
			recv.secret = created["createWebhookEndpoint"].(map[string]any)["secret"].(string)
			recv.mu.Unlock()
			s := b.kiosk(t, follower)
			id := b.campaignID(t, follower, "winter-sale")

			start := time.Now().Add(3 * time.Second)
			b.schedule(t, lead, id, start, start.Add(2*time.Second))
			time.Sleep(time.Until(start.Add(tc.offset)))
			lead.Kill()

			started := next(t, s, follower.Name)
			require.Equal(t, "campaign.started", started.Type)
			require.False(t, started.Received.Before(start), "announced before the start")
			ended := next(t, s, follower.Name)
			require.Equal(t, "campaign.ended", ended.Type, "the next announcement after the start, nothing twice")
			require.Equal(t, map[string]int{"campaign.started": 1, "campaign.ended": 1}, b.logged(t, id))
			require.Eventually(t, func() bool {
				got := recv.distinct()
				return got["campaign.started"] == 1 && got["campaign.ended"] == 1
			}, waitTimeout, 20*time.Millisecond, "one webhook message per transition")
			recv.mu.Lock()
			defer recv.mu.Unlock()
			require.Empty(t, recv.bad, "every message verifies")
			require.Len(t, recv.byID, 2, "no other message")
		})
	}
}
