package events_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/events"
	"github.com/mosaichq/mosaic/internal/ssetest"
	"github.com/mosaichq/mosaic/internal/testdb"
	"github.com/mosaichq/mosaic/scheduler"
	"github.com/mosaichq/mosaic/storage/postgres"
)

const waitTimeout = 10 * time.Second

type testBundle struct {
	pool *pgxpool.Pool
	log  *postgres.EventLog
}

func setup(t *testing.T) *testBundle {
	t.Helper()
	pool, _ := testdb.Schema(t)
	return &testBundle{pool: pool, log: postgres.NewEventLog(pool)}
}

// replica starts a hub woken by LISTEN/NOTIFY, as every Mosaic process
// runs one, and serves its stream; it returns the stream's URL.
func (b *testBundle) replica(t *testing.T, cfg events.HandlerConfig) (*events.Hub, string) {
	t.Helper()
	quiet := slog.New(slog.DiscardHandler)
	hub := events.NewHub(b.log, events.HubConfig{Log: quiet})
	require.NoError(t, hub.Start(t.Context()))
	t.Cleanup(hub.Stop)
	l := postgres.NewListener(b.pool, quiet, []string{postgres.EventsChannel}, func(string, string) { hub.Wake() }, hub.Wake)
	l.Start(t.Context())
	t.Cleanup(l.Stop)
	select {
	case <-l.Ready():
	case <-time.After(waitTimeout):
		t.Fatal("listener not ready")
	}
	if cfg.Registry.Channels == nil {
		cfg.Registry = events.Registry{Channels: []string{"web", "app", "kiosk"}, Devices: []string{"kiosk", "mobile"}}
	}
	srv := httptest.NewServer(hub.Handler(cfg))
	t.Cleanup(srv.Close)
	return hub, srv.URL
}

func (b *testBundle) announce(t *testing.T, key string, kind scheduler.Kind, channels ...string) events.Event {
	t.Helper()
	e, ok, err := b.log.Announce(t.Context(), scheduler.Transition{CampaignID: key, CampaignKey: key, Kind: kind,
		At: time.Now(), Channels: channels})
	require.NoError(t, err)
	require.True(t, ok)
	return e
}

// dial opens a stream and waits for its ready event.
func dial(t *testing.T, url string, lastID string) (*ssetest.Stream, []ssetest.Frame) {
	t.Helper()
	h := http.Header{}
	if lastID != "" {
		h.Set("Last-Event-ID", lastID)
	}
	s, err := ssetest.Dial(t.Context(), url, h)
	require.NoError(t, err)
	t.Cleanup(s.Close)
	var replayed []ssetest.Frame
	for {
		f, err := s.NextEvent(waitTimeout)
		require.NoError(t, err)
		if f.Event == "ready" {
			return s, replayed
		}
		replayed = append(replayed, f)
	}
}

func next(t *testing.T, s *ssetest.Stream) ssetest.Frame {
	t.Helper()
	f, err := s.NextEvent(waitTimeout)
	require.NoError(t, err)
	return f
}

func envelope(t *testing.T, f ssetest.Frame) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(f.Data), &m), f.Data)
	return m
}

func key(t *testing.T, f ssetest.Frame) string {
	t.Helper()
	return envelope(t, f)["data"].(map[string]any)["campaign"].(map[string]any)["key"].(string)
}

func TestStreamFiltersByChannelScreenAndType(t *testing.T) {
	t.Parallel()
	b := setup(t)
	_, url := b.replica(t, events.HandlerConfig{})
	kiosk, _ := dial(t, url+"/events?channel=kiosk&device=kiosk&screen=lobby", "")
	web, _ := dial(t, url+"/events?channel=web", "")
	changes, _ := dial(t, url+"/events?type=changed", "")

	kioskOnly := b.announce(t, "kiosk-only", scheduler.Started, "kiosk")
	everywhere := b.announce(t, "everywhere", scheduler.Started)
	_, err := b.pool.Exec(t.Context(), `INSERT INTO content_changes (action, type_key) VALUES ('model', 'screen')`)
	require.NoError(t, err)

	f := next(t, kiosk)
	require.Equal(t, strconv.FormatInt(kioskOnly.ID, 10), f.ID)
	require.Equal(t, "campaign.started", f.Event)
	env := envelope(t, f)
	require.Equal(t, f.ID, env["id"])
	require.Equal(t, "campaign.started", env["type"])
	require.Equal(t, []any{"kiosk"}, env["data"].(map[string]any)["campaign"].(map[string]any)["channels"])
	require.Equal(t, "everywhere", key(t, next(t, kiosk)))
	require.Equal(t, "changed", next(t, kiosk).Event, "a change not of one screen reaches every screen")

	require.Equal(t, strconv.FormatInt(everywhere.ID, 10), next(t, web).ID, "the kiosk-only campaign is not for web")
	c := next(t, changes)
	require.Equal(t, "changed", c.Event)
	require.Equal(t, "model", envelope(t, c)["data"].(map[string]any)["action"])
}

func TestResumeReplaysWhatWasMissedOnAnyReplica(t *testing.T) {
	t.Parallel()
	b := setup(t)
	_, url1 := b.replica(t, events.HandlerConfig{})
	_, url2 := b.replica(t, events.HandlerConfig{})
	s, _ := dial(t, url1+"/events", "")
	b.announce(t, "a", scheduler.Started)
	seen := next(t, s)
	s.Close()

	// While the client is away: two events, one not for its channel.
	b.announce(t, "b", scheduler.Started, "web")
	b.announce(t, "c", scheduler.Started, "kiosk")
	// It comes back to the other replica, with the browser's header.
	s2, replayed := dial(t, url2+"/events?channel=kiosk", seen.ID)
	require.Len(t, replayed, 1)
	require.Equal(t, "c", key(t, replayed[0]))
	d := b.announce(t, "d", scheduler.Started)
	f := next(t, s2)
	require.Equal(t, strconv.FormatInt(d.ID, 10), f.ID, "live after the replay, nothing twice")

	// ?lastEventId= does the same for a first connection.
	_, replayed = dial(t, url1+"/events?lastEventId="+seen.ID, "")
	require.Len(t, replayed, 3)
}

func TestResumeFromPrunedHistoryAsksForAResync(t *testing.T) {
	t.Parallel()
	b := setup(t)
	_, url := b.replica(t, events.HandlerConfig{})
	old := b.announce(t, "old", scheduler.Started)
	b.announce(t, "older", scheduler.Ended)
	_, err := b.log.Prune(t.Context(), time.Now().Add(time.Hour))
	require.NoError(t, err)
	for _, last := range []string{strconv.FormatInt(old.ID-1, 10), "999999"} {
		_, replayed := dial(t, url+"/events", last)
		require.Len(t, replayed, 1, last)
		require.Equal(t, "changed", replayed[0].Event)
		require.False(t, replayed[0].HasID, "a resync does not move Last-Event-ID")
		require.Equal(t, "resync", envelope(t, replayed[0])["data"].(map[string]any)["reason"])
	}
}

func TestBadStreamRequestsAreRefused(t *testing.T) {
	t.Parallel()
	b := setup(t)
	_, url := b.replica(t, events.HandlerConfig{})
	for _, q := range []string{"channel=tv", "channel=Web!", "device=fridge", "type=campaign.paused", "screen=%20x", "lastEventId=abc"} {
		_, err := ssetest.Dial(t.Context(), url+"/events?"+q, nil)
		var se *ssetest.StatusError
		require.ErrorAs(t, err, &se, q)
		require.Equal(t, http.StatusBadRequest, se.Code, q)
	}
}

// A stream outlives the server's read and write timeouts (they are for
// ordinary requests), sends heartbeats, and ends when the server shuts down.
func TestStreamOutlivesServerTimeoutsAndEndsOnShutdown(t *testing.T) {
	t.Parallel()
	b := setup(t)
	hub, _ := b.replica(t, events.HandlerConfig{})
	base, cancelBase := context.WithCancel(context.Background())
	defer cancelBase()
	srv := &http.Server{
		Handler:     hub.Handler(events.HandlerConfig{Heartbeat: 20 * time.Millisecond}),
		ReadTimeout: 50 * time.Millisecond, WriteTimeout: 50 * time.Millisecond,
		BaseContext: func(net.Listener) context.Context { return base },
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })

	s, _ := dial(t, "http://"+ln.Addr().String()+"/events", "")
	// Twenty heartbeats take well over both timeouts.
	for range 20 {
		f, err := s.Next(waitTimeout)
		require.NoError(t, err)
		require.Equal(t, "heartbeat", f.Event)
	}
	e := b.announce(t, "late", scheduler.Started)
	require.Equal(t, strconv.FormatInt(e.ID, 10), next(t, s).ID)

	cancelBase() // what internal/app's Serve does on shutdown
	for {
		_, err := s.Next(waitTimeout)
		if err != nil {
			require.NotErrorIs(t, err, ssetest.ErrTimeout, "the stream did not end")
			break
		}
	}
	require.Eventually(t, func() bool { return hub.Subscribers() == 0 }, waitTimeout, 5*time.Millisecond)
}

func TestASubscriberThatLagsIsDropped(t *testing.T) {
	t.Parallel()
	b := setup(t)
	hub := events.NewHub(b.log, events.HubConfig{Buffer: 2})
	require.NoError(t, hub.Start(t.Context()))
	defer hub.Stop()
	slow := hub.Subscribe(events.Filter{})
	for i := range 3 {
		b.announce(t, "k"+strconv.Itoa(i), scheduler.Started)
	}
	hub.Wake()
	// Nobody reads: the third event finds the buffer full and the hub
	// drops the subscriber rather than wait for it.
	require.Eventually(t, func() bool { return hub.Subscribers() == 0 }, waitTimeout, 5*time.Millisecond)
	var got int
	for range slow.C {
		got++
	}
	require.Equal(t, 2, got)
	hub.Unsubscribe(slow) // harmless after a drop
}

func TestAuthorizeRefusesAStream(t *testing.T) {
	t.Parallel()
	b := setup(t)
	_, url := b.replica(t, events.HandlerConfig{Authorize: func(r *http.Request) (string, error) {
		if r.Header.Get("X-API-Key") == "" {
			return "", errs.Wrap(errs.Unauthenticated, errors.New("secret cause"), "an API key is required")
		}
		return "", nil
	}})
	_, err := ssetest.Dial(t.Context(), url+"/events", nil)
	var se *ssetest.StatusError
	require.ErrorAs(t, err, &se)
	require.Equal(t, http.StatusUnauthorized, se.Code)
	require.Equal(t, "an API key is required", strings.TrimSpace(se.Body), "the safe message, never the cause")
	s, err := ssetest.Dial(t.Context(), url+"/events", http.Header{"X-Api-Key": {"k"}})
	require.NoError(t, err)
	s.Close()
}

// A caller held to one channel (an API key limited to it) that names none
// follows that channel only, as delivery answers for it.
func TestAuthorizeHoldsAStreamToItsChannel(t *testing.T) {
	t.Parallel()
	b := setup(t)
	_, url := b.replica(t, events.HandlerConfig{Authorize: func(*http.Request) (string, error) { return "kiosk", nil }})
	s, _ := dial(t, url+"/events", "")
	b.announce(t, "web-only", scheduler.Started, "web")
	b.announce(t, "kiosk-only", scheduler.Started, "kiosk")
	require.Equal(t, "kiosk-only", key(t, next(t, s)), "web's campaign never reaches a kiosk-held stream")
}
