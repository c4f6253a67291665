package replicas_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/internal/replicas"
	"github.com/mosaichq/mosaic/internal/varnish"
	"github.com/mosaichq/mosaic/webhook"
)

// A CDN in front of two replicas: Varnish (with xkey) caches the public
// GraphQL GET answers for as long as Mosaic says, purges by surrogate key
// when Mosaic's webhooks say, and keeps answering while every replica is
// down. A poller reads the home page through it all along and checks each
// answer against the instant it was asked and answered at.

const cdnQuery = `query($slug: String!) { entry(slug: $slug, type: "page", context: {channel: "web", device: "desktop"}) {
	blocks { id decision { variant } } } }`

// cdnAnswer is one read through the CDN.
type cdnAnswer struct {
	sent, received time.Time
	status         int
	variant        string // the hero block's variant
	hit            bool
	body           string
	header         http.Header
}

// cdnPoller reads the home page through the cache until stopped.
type cdnPoller struct {
	mu      sync.Mutex
	answers []cdnAnswer
	stop    chan struct{}
	done    chan struct{}
}

func pollCDN(t *testing.T, cacheURL string) *cdnPoller {
	p := &cdnPoller{stop: make(chan struct{}), done: make(chan struct{})}
	vars, _ := json.Marshal(map[string]any{"slug": "home"})
	u := cacheURL + "/graphql?query=" + url.QueryEscape(cdnQuery) + "&variables=" + url.QueryEscape(string(vars))
	go func() {
		defer close(p.done)
		deadline := time.Now().Add(2 * time.Minute) // bounded, whatever happens
		for time.Now().Before(deadline) {
			select {
			case <-p.stop:
				return
			case <-time.After(15 * time.Millisecond):
			}
			a := cdnAnswer{sent: time.Now()}
			resp, err := http.Get(u)
			if err != nil {
				continue
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			a.received, a.status, a.hit, a.body, a.header = time.Now(), resp.StatusCode, resp.Header.Get("X-Cache") == "HIT", string(body), resp.Header
			a.variant = heroVariant(body)
			p.mu.Lock()
			p.answers = append(p.answers, a)
			p.mu.Unlock()
		}
	}()
	t.Cleanup(p.halt)
	return p
}

func (p *cdnPoller) halt() {
	select {
	case <-p.stop:
	default:
		close(p.stop)
	}
	<-p.done
}

func (p *cdnPoller) snapshot() []cdnAnswer {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]cdnAnswer(nil), p.answers...)
}

func heroVariant(body []byte) string {
	var r struct {
		Data struct {
			Entry struct {
				Blocks []struct {
					ID       string
					Decision struct{ Variant string }
				}
			}
		}
	}
	if json.Unmarshal(body, &r) != nil {
		return ""
	}
	for _, b := range r.Data.Entry.Blocks {
		if b.ID == "hero" {
			return b.Decision.Variant
		}
	}
	return ""
}

// purgeHook is the CDN's purge hook: a webhook endpoint that verifies
// each message and purges the keys its data lists — twice: at once, and
// again after settle, because a replica that has not yet heard of the
// change (its LISTEN/NOTIFY is a few milliseconds behind) may refill the
// cache with the old answer in between. The second purge bounds that.
const settle = time.Second

type purgeHook struct {
	*httptest.Server
	mu      sync.Mutex
	secret  string
	purged  []time.Time // when each message's first purge was done
	settled []time.Time // and its second
	bad     []string
}

func newPurgeHook(t *testing.T, cache *varnish.Cache) *purgeHook {
	h := &purgeHook{}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		defer h.mu.Unlock()
		if err := webhook.Verify(h.secret, r.Header, body, time.Now(), time.Minute); err != nil {
			h.bad = append(h.bad, err.Error())
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		var msg struct {
			Type string
			Data struct{ Purge []string }
		}
		if err := json.Unmarshal(body, &msg); err != nil || len(msg.Data.Purge) == 0 {
			h.bad = append(h.bad, "no purge list: "+string(body))
			http.Error(w, "no purge list", http.StatusBadRequest)
			return
		}
		if err := cache.Purge(msg.Data.Purge); err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		h.purged = append(h.purged, time.Now())
		keys := msg.Data.Purge
		t.Logf("purge %s %v at %s", msg.Type, keys, time.Now().Format("15:04:05.000"))
		time.AfterFunc(settle, func() {
			err := cache.Purge(keys)
			h.mu.Lock()
			defer h.mu.Unlock()
			if err != nil {
				h.bad = append(h.bad, err.Error())
			}
			h.settled = append(h.settled, time.Now())
		})
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(h.Close)
	return h
}

// purgedAfter is when the first purge after t was done, and its second.
func (h *purgeHook) purgedAfter(t time.Time) (first, second time.Time, ok bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for i, at := range h.purged {
		if at.After(t) && i < len(h.settled) {
			return at, h.settled[i], true
		}
	}
	return time.Time{}, time.Time{}, false
}

// cdnSetup starts two public replicas, Varnish in front of them, the
// purge hook and the poller.
func cdnSetup(t *testing.T, env ...string) (*testBundle, []*replicas.Process, *varnish.Cache, *purgeHook, *cdnPoller) {
	b := setup(t)
	b.cfg.Env = append(b.cfg.Env, "MOSAIC_PUBLIC_DELIVERY=true", "MOSAIC_WEBHOOK_ALLOW_PRIVATE=true", "MOSAIC_WEBHOOK_BACKOFF=100ms")
	b.cfg.Env = append(b.cfg.Env, env...)
	a, c := replicas.Start(t, b.cfg, "a"), replicas.Start(t, b.cfg, "b")
	cache := varnish.Start(t, a.URL, c.URL)
	hook := newPurgeHook(t, cache)
	created := b.gql(t, a, `mutation($u: String!) { createWebhookEndpoint(input: {url: $u, eventTypes: ["campaign.*", "changed"]}) { secret } }`,
		map[string]any{"u": hook.URL + "/purge"})
	hook.mu.Lock()
	hook.secret = created["createWebhookEndpoint"].(map[string]any)["secret"].(string)
	hook.mu.Unlock()
	return b, []*replicas.Process{a, c}, cache, hook, pollCDN(t, cache.URL)
}

// live says whether the campaign's variant is what an answer computed at
// t must show.
type liveFunc func(t time.Time) bool

// stale counts the answers that show neither what was true when they
// were asked nor when they arrived: Mosaic decides at an instant in
// between, so one of the two is right.
func stale(answers []cdnAnswer, live liveFunc) (n int, examples string) {
	for _, a := range answers {
		if a.status != http.StatusOK {
			continue
		}
		got := a.variant == "winter-sale"
		if got != live(a.sent) && got != live(a.received) {
			n++
			if n <= 5 {
				examples += fmt.Sprintf("\n  asked %s, answered %s: %q (cache hit: %v)",
					a.sent.Format("15:04:05.000"), a.received.Format("15:04:05.000"), a.variant, a.hit)
			}
		}
	}
	return n, examples
}

func TestCDNServesNoStaleAnswerAcrossAStartAndAnEnd(t *testing.T) {
	t.Parallel()
	// A short max-age, so that answers expire in the cache while the
	// replicas are down: only stale-if-error serves them then.
	b, ps, cache, _, poll := cdnSetup(t, "MOSAIC_CACHE_MAX_AGE=2s")
	id := b.campaignID(t, ps[0], "winter-sale")
	start := time.Now().Add(3 * time.Second)
	end := start.Add(3 * time.Second)
	b.schedule(t, ps[1], id, start, end)
	time.Sleep(time.Until(end.Add(2 * time.Second)))
	poll.halt()

	answers := poll.snapshot()
	n, example := stale(answers, func(t time.Time) bool { return !t.Before(start) && t.Before(end) })
	require.Zero(t, n, "stale answers through the CDN (start %s, end %s): %s", start.Format("15:04:05.000"), end.Format("15:04:05.000"), example)
	var hits, before, during, after int
	for _, a := range answers {
		require.Equal(t, http.StatusOK, a.status, a.body)
		require.Empty(t, a.header.Values("Surrogate-Key"), "the keys stay in the CDN: they name scheduled campaigns")
		if a.hit {
			hits++
		}
		switch {
		case a.received.Before(start):
			before++
		case a.sent.Before(end):
			during++
		default:
			after++
		}
	}
	require.Positive(t, hits, "the CDN answered from its cache")
	require.Positive(t, before*during*after, "answers before, during and after the campaign: %d %d %d", before, during, after)
	t.Logf("%d answers through the CDN, %d from its cache, 0 stale", len(answers), hits)

	// Every replica down: the last good answer is served, past its
	// lifetime, from the cache.
	last := answers[len(answers)-1]
	for _, p := range ps {
		p.Stop(10 * time.Second)
	}
	time.Sleep(3 * time.Second) // the cached answer's 2 s lifetime has passed
	served := func() (bool, string) {
		resp, err := http.Get(cache.URL + "/graphql?query=" + url.QueryEscape(cdnQuery) + "&variables=" + url.QueryEscape(`{"slug":"home"}`))
		if err != nil {
			return false, err.Error()
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		ok := resp.StatusCode == http.StatusOK && heroVariant(body) == last.variant && resp.Header.Get("X-Cache") == "HIT"
		return ok, fmt.Sprintf("%d %s %s", resp.StatusCode, resp.Header.Get("X-Cache"), body)
	}
	// Until Varnish's probes mark both replicas sick (two failed probes,
	// 250 ms apart) a request may still try one and fail.
	deadline := time.Now().Add(waitTimeout)
	for {
		ok, seen := served()
		if ok {
			break
		}
		if !time.Now().Before(deadline) {
			log := cache.Transactions(`ReqURL ~ "graphql"`)
			if len(log) > 20000 {
				log = log[len(log)-20000:]
			}
			t.Fatalf("the CDN serves the last good answer while both replicas are down; last seen: %s\n%s", seen, log)
		}
		time.Sleep(100 * time.Millisecond)
	}
	for range 20 {
		ok, seen := served()
		require.True(t, ok, "served from the cache, again and again: %s", seen)
	}
}

func TestCDNPurgesOnTheKillSwitch(t *testing.T) {
	t.Parallel()
	// The default max-age (60 s): without the purge hook, a stopped
	// campaign would stay in the cache for up to a minute.
	b, ps, _, hook, poll := cdnSetup(t)
	id := b.campaignID(t, ps[0], "winter-sale")
	start := time.Now().Add(3 * time.Second)
	b.schedule(t, ps[1], id, start, start.Add(time.Hour))
	time.Sleep(time.Until(start.Add(2 * time.Second)))

	asked := time.Now()
	b.gql(t, ps[0], `mutation($id: ID!) { stopCampaign(id: $id) { status } }`, map[string]any{"id": id})
	stopped := time.Now()
	var first, purged time.Time
	require.Eventually(t, func() bool {
		var ok bool
		first, purged, ok = hook.purgedAfter(asked)
		return ok
	}, waitTimeout, 20*time.Millisecond, "the stop's purges reached the CDN")
	time.Sleep(time.Second)
	poll.halt()

	var hits, window, staleInWindow int
	answers := poll.snapshot()
	for _, a := range answers {
		require.Equal(t, http.StatusOK, a.status, a.body)
		if a.hit && !a.received.Before(start) {
			hits++
		}
		if !a.sent.Before(stopped) && a.sent.Before(purged) {
			window++
			if a.variant == "winter-sale" {
				staleInWindow++
			}
		}
	}
	require.Positive(t, hits, "the live answer was served from the cache")
	// Before the start the campaign must not show, from the start until
	// the stop was asked it must, after the stop's second purge it must
	// not; in between either may.
	var bad []string
	for _, a := range answers {
		live := a.variant == "winter-sale"
		if (a.received.Before(start) && live) || (!a.sent.Before(start) && a.received.Before(asked) && !live) ||
			(!a.sent.Before(purged) && live) {
			bad = append(bad, fmt.Sprintf("asked %s, answered %s: %q (cache hit: %v)",
				a.sent.Format("15:04:05.000"), a.received.Format("15:04:05.000"), a.variant, a.hit))
		}
	}
	require.Empty(t, bad, "stale answers through the CDN (start %s, stop asked %s, returned %s, purged %s and %s)",
		start.Format("15:04:05.000"), asked.Format("15:04:05.000"), stopped.Format("15:04:05.000"),
		first.Format("15:04:05.000"), purged.Format("15:04:05.000"))
	hook.mu.Lock()
	require.Empty(t, hook.bad, "every webhook message verifies and lists keys")
	hook.mu.Unlock()
	t.Logf("stop returned → first purge in %s, second in %s; %d answers asked in between, %d of them still live",
		first.Sub(stopped), purged.Sub(stopped), window, staleInWindow)
}
