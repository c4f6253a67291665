package webhook_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/events"
	"github.com/mosaichq/mosaic/internal/testdb"
	"github.com/mosaichq/mosaic/scheduler"
	"github.com/mosaichq/mosaic/storage/postgres"
	"github.com/mosaichq/mosaic/webhook"
)

const waitTimeout = 15 * time.Second

type testBundle struct {
	log   *postgres.EventLog
	store *postgres.WebhookStore
	svc   *webhook.Service
}

func setup(t *testing.T) *testBundle {
	t.Helper()
	pool, _ := testdb.Schema(t)
	store := postgres.NewWebhookStore(pool)
	return &testBundle{log: postgres.NewEventLog(pool), store: store, svc: webhook.NewService(store, nil)}
}

// worker starts a worker with fast retries on b's store.
func (b *testBundle) worker(t *testing.T, cfg webhook.WorkerConfig) *webhook.Worker {
	t.Helper()
	cfg.AllowPrivate = true // receivers are on loopback
	if cfg.Backoff == 0 {
		cfg.Backoff = 20 * time.Millisecond
	}
	cfg.Poll = 20 * time.Millisecond
	w := webhook.NewWorker(b.store, cfg)
	w.Start(t.Context())
	t.Cleanup(w.Stop)
	return w
}

func (b *testBundle) announce(t *testing.T, id string, kind scheduler.Kind) events.Event {
	t.Helper()
	e, ok, err := b.log.Announce(t.Context(), scheduler.Transition{CampaignID: id, CampaignKey: id, Kind: kind, At: time.Now()})
	require.NoError(t, err)
	require.True(t, ok)
	return e
}

// receiver records verified deliveries; fail says how to answer attempt n
// of a message (1-based): a status code.
type receiver struct {
	*httptest.Server
	secret string
	mu     sync.Mutex
	got    map[string][]map[string]any // by webhook-id
}

func newReceiver(t *testing.T, answer func(id string, n int) int) *receiver {
	r := &receiver{got: map[string][]map[string]any{}}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		secret := r.secret
		r.mu.Unlock()
		if err := webhook.Verify(secret, req.Header, body, time.Now(), time.Minute); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		var msg map[string]any
		if err := json.Unmarshal(body, &msg); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		id := req.Header.Get(webhook.HeaderID)
		r.mu.Lock()
		r.got[id] = append(r.got[id], msg)
		n := len(r.got[id])
		r.mu.Unlock()
		w.WriteHeader(answer(id, n))
		_, _ = io.WriteString(w, "attempt noted")
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) messages(id string) []map[string]any {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]map[string]any(nil), r.got[id]...)
}

func (b *testBundle) endpoint(t *testing.T, r *receiver, types ...string) webhook.Endpoint {
	t.Helper()
	ep, err := b.svc.CreateEndpoint(t.Context(), "admin@example.com", webhook.EndpointInput{URL: r.URL + "/hook", EventTypes: types})
	require.NoError(t, err)
	r.mu.Lock()
	r.secret = ep.Secret
	r.mu.Unlock()
	return ep
}

// waitDelivery waits until the delivery of event to endpoint has status.
func (b *testBundle) waitDelivery(t *testing.T, ep webhook.Endpoint, event int64, status string) webhook.Delivery {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		ds, _, err := b.svc.Deliveries(t.Context(), webhook.DeliveryQuery{EndpointID: ep.ID, EventID: event})
		require.NoError(t, err)
		if len(ds) == 1 && ds[0].Status == status {
			return ds[0]
		}
		if time.Now().After(deadline) {
			t.Fatalf("delivery of event %d never became %s: %+v", event, status, ds)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestDeliveryRetriesThenSucceeds(t *testing.T) {
	t.Parallel()
	b := setup(t)
	r := newReceiver(t, func(_ string, n int) int {
		if n < 3 {
			return http.StatusServiceUnavailable
		}
		return http.StatusNoContent
	})
	ep := b.endpoint(t, r)
	b.worker(t, webhook.WorkerConfig{})
	e := b.announce(t, "c1", scheduler.Started)

	d := b.waitDelivery(t, ep, e.ID, webhook.StatusSucceeded)
	require.Equal(t, 3, d.Attempts)
	require.Len(t, d.Log, 3)
	for i, a := range d.Log {
		require.Equal(t, i+1, a.Attempt)
		want := http.StatusServiceUnavailable
		if i == 2 {
			want = http.StatusNoContent
		}
		require.Equal(t, want, *a.StatusCode)
	}
	require.Equal(t, "HTTP 503", *d.Log[0].Error)
	require.Equal(t, "attempt noted", *d.Log[0].Response)
	require.Nil(t, d.Log[2].Error)
	// Exponential backoff: the second wait is about twice the first.
	gap1, gap2 := d.Log[1].At.Sub(d.Log[0].At), d.Log[2].At.Sub(d.Log[1].At)
	require.GreaterOrEqual(t, gap1, 16*time.Millisecond)
	require.GreaterOrEqual(t, gap2, 32*time.Millisecond)

	got := r.messages("evt_" + itoa(e.ID))
	require.Len(t, got, 3, "the same webhook-id on every retry")
	require.Equal(t, "campaign.started", got[0]["type"])
	require.Equal(t, itoa(e.ID), got[0]["id"])
	data := got[0]["data"].(map[string]any)
	require.Equal(t, "c1", data["campaign"].(map[string]any)["key"])
}

func TestDeliveryGivesUpAndCanBeRedelivered(t *testing.T) {
	t.Parallel()
	b := setup(t)
	var mu sync.Mutex
	healthy := false
	r := newReceiver(t, func(string, int) int {
		mu.Lock()
		defer mu.Unlock()
		if healthy {
			return http.StatusOK
		}
		return http.StatusInternalServerError
	})
	ep := b.endpoint(t, r)
	b.worker(t, webhook.WorkerConfig{MaxAttempts: 2})
	e := b.announce(t, "c1", scheduler.Stopped)
	d := b.waitDelivery(t, ep, e.ID, webhook.StatusFailed)
	require.Equal(t, 2, d.Attempts)

	mu.Lock()
	healthy = true
	mu.Unlock()
	_, err := b.svc.Redeliver(t.Context(), "admin@example.com", d.ID)
	require.NoError(t, err)
	d = b.waitDelivery(t, ep, e.ID, webhook.StatusSucceeded)
	require.Equal(t, 3, d.Attempts)

	_, err = b.svc.Redeliver(t.Context(), "admin@example.com", 1<<40)
	require.Equal(t, errs.NotFound, errs.CodeOf(err))
}

func TestEndpointsGetTheEventTypesTheyAskFor(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ok := func(string, int) int { return http.StatusOK }
	campaigns, stops := newReceiver(t, ok), newReceiver(t, ok)
	epCampaigns := b.endpoint(t, campaigns, "campaign.*")
	epStops := b.endpoint(t, stops, "campaign.stopped")
	started := b.announce(t, "c1", scheduler.Started)
	stopped := b.announce(t, "c1", scheduler.Stopped)
	// Two workers, as on two replicas: each event reaches each endpoint once.
	b.worker(t, webhook.WorkerConfig{})
	b.worker(t, webhook.WorkerConfig{})

	b.waitDelivery(t, epCampaigns, started.ID, webhook.StatusSucceeded)
	b.waitDelivery(t, epCampaigns, stopped.ID, webhook.StatusSucceeded)
	b.waitDelivery(t, epStops, stopped.ID, webhook.StatusSucceeded)
	ds, _, err := b.svc.Deliveries(t.Context(), webhook.DeliveryQuery{EndpointID: epStops.ID})
	require.NoError(t, err)
	require.Len(t, ds, 1, "campaign.started is not for this endpoint")
	require.Len(t, campaigns.messages("evt_"+itoa(started.ID)), 1)
	require.Len(t, campaigns.messages("evt_"+itoa(stopped.ID)), 1)
}

func TestPrivateAddressesAreRefusedUnlessAllowed(t *testing.T) {
	t.Parallel()
	b := setup(t)
	r := newReceiver(t, func(string, int) int { return http.StatusOK })
	ep := b.endpoint(t, r)
	w := webhook.NewWorker(b.store, webhook.WorkerConfig{MaxAttempts: 1, Poll: 20 * time.Millisecond})
	w.Start(t.Context())
	t.Cleanup(w.Stop)
	e := b.announce(t, "c1", scheduler.Started)
	d := b.waitDelivery(t, ep, e.ID, webhook.StatusFailed)
	require.Contains(t, *d.LastError, "private address")
	require.Nil(t, d.LastStatus)
	require.Empty(t, r.messages("evt_"+itoa(e.ID)))
}

func TestEndpointValidationAndLifecycle(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := t.Context()
	for _, tc := range []struct {
		in   webhook.EndpointInput
		path string
	}{
		{webhook.EndpointInput{URL: ""}, "url"},
		{webhook.EndpointInput{URL: "ftp://example.com/x"}, "url"},
		{webhook.EndpointInput{URL: "/relative"}, "url"},
		{webhook.EndpointInput{URL: "https://user:pw@example.com/"}, "url"},
		{webhook.EndpointInput{URL: "https://example.com/" + strings.Repeat("x", 2100)}, "url"},
		{webhook.EndpointInput{URL: "https://example.com/", EventTypes: []string{"campaign.paused"}}, "eventTypes.0"},
		{webhook.EndpointInput{URL: "https://example.com/", Description: strings.Repeat("d", 501)}, "description"},
	} {
		_, err := b.svc.CreateEndpoint(ctx, "admin", tc.in)
		e, ok := errs.As(err)
		require.True(t, ok, "%+v: %v", tc.in, err)
		require.Equal(t, errs.BadUserInput, e.Code)
		require.Equal(t, tc.path, e.Fields[0].Path, "%+v", tc.in)
	}
	ep, err := b.svc.CreateEndpoint(ctx, "admin", webhook.EndpointInput{URL: " https://hooks.example.com/mosaic ",
		EventTypes: []string{"changed", "campaign.*", "changed"}})
	require.NoError(t, err)
	require.Equal(t, "https://hooks.example.com/mosaic", ep.URL)
	require.Equal(t, []string{"changed", "campaign.*"}, ep.EventTypes)
	list, err := b.svc.Endpoints(ctx)
	require.NoError(t, err)
	require.Len(t, list, 1)
	require.Empty(t, list[0].Secret, "secrets are shown once")
	require.NoError(t, b.svc.DeleteEndpoint(ctx, "admin", ep.ID))
	require.Equal(t, errs.NotFound, errs.CodeOf(b.svc.DeleteEndpoint(ctx, "admin", ep.ID)))
	require.Equal(t, errs.NotFound, errs.CodeOf(b.svc.DeleteEndpoint(ctx, "admin", "nope")))
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// A replica killed mid-attempt leaves no result; when its lease runs out
// another worker retries, and the log shows the lost attempt as
// interrupted instead of skipping its number.
func TestInterruptedAttemptIsLogged(t *testing.T) {
	t.Parallel()
	b := setup(t)
	r := newReceiver(t, func(string, int) int { return http.StatusNoContent })
	ep := b.endpoint(t, r)
	e := b.announce(t, "c1", scheduler.Started)
	_, err := b.store.Dispatch(t.Context(), 10)
	require.NoError(t, err)
	// The worker that claims it dies at once: nothing is recorded.
	jobs, err := b.store.Claim(t.Context(), 10, time.Millisecond)
	require.NoError(t, err)
	require.Len(t, jobs, 1)
	require.Equal(t, 1, jobs[0].Attempt)
	claimed := time.Now()

	b.worker(t, webhook.WorkerConfig{})
	d := b.waitDelivery(t, ep, e.ID, webhook.StatusSucceeded)
	require.Equal(t, 2, d.Attempts)
	require.Len(t, d.Log, 2, "%+v", d.Log)
	lost := d.Log[0]
	require.Equal(t, 1, lost.Attempt)
	require.Nil(t, lost.StatusCode)
	require.Contains(t, *lost.Error, "interrupted")
	require.False(t, lost.At.Before(claimed.Add(-time.Second)), "logged when the loss was noticed")
	require.False(t, lost.At.After(d.Log[1].At), "before the retry it caused")
	require.Equal(t, 2, d.Log[1].Attempt)
	require.Equal(t, http.StatusNoContent, *d.Log[1].StatusCode)
	require.Len(t, r.messages("evt_"+itoa(e.ID)), 1, "the interrupted attempt never reached the receiver")
}
