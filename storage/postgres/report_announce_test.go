package postgres_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/experience"
	"github.com/mosaichq/mosaic/measurement/report"
	"github.com/mosaichq/mosaic/personalization"
	"github.com/mosaichq/mosaic/storage/postgres"
	"github.com/mosaichq/mosaic/webhook"
)

// hookReceiver keeps the webhook messages that verify with the endpoint's
// secret (Standard Webhooks signatures), by type; others are refused 401.
type hookReceiver struct {
	*httptest.Server
	mu     sync.Mutex
	secret string
	got    map[string][]map[string]any
	ids    map[string]bool
}

func newHookReceiver(t *testing.T) *hookReceiver {
	r := &hookReceiver{got: map[string][]map[string]any{}, ids: map[string]bool{}}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		defer r.mu.Unlock()
		if err := webhook.Verify(r.secret, req.Header, body, time.Now(), time.Minute); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		var msg map[string]any
		if err := json.Unmarshal(body, &msg); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if id := req.Header.Get(webhook.HeaderID); !r.ids[id] { // receivers deduplicate by webhook-id
			r.ids[id] = true
			r.got[msg["type"].(string)] = append(r.got[msg["type"].(string)], msg)
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *hookReceiver) messages(typ string) []map[string]any {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]map[string]any(nil), r.got[typ]...)
}

// Scheduled reports through the real webhook path (event log → fan-out →
// signed delivery): report.daily once per UTC day with each running
// experiment's summary, and experiment.sample_reached once when a run
// reaches its plan — however many replicas run the announcer, however
// often, and after a restart. A run below its plan announces nothing.
func TestScheduledReportsOnceThroughWebhooks(t *testing.T) {
	t.Parallel()
	b := setupReports(t)
	ctx := t.Context()
	seedSmallExperiment(t, b.store) // hero-test: 8 units, a 4 (2 buyers), b 4 (3 buyers)
	_, err := b.svc.CreateMetric(ctx, report.MetricInput{Key: "buyers", Name: "Buyers", Kind: "CONVERSION", Event: "purchase"}, "ann")
	require.NoError(t, err)
	exps := postgres.New(b.pool).Experience()
	planned, big := int64(8), int64(100)
	_, err = exps.UpdateExperiment(ctx, experience.Experiment{Key: "hero-test", Name: "Hero", PrimaryMetric: "buyers",
		PlannedSampleSize: &planned, Arms: []personalization.Arm{{Key: "a", Weight: 1}, {Key: "b", Weight: 1}}}, 1)
	require.NoError(t, err)
	_, err = exps.CreateExperiment(ctx, experience.Experiment{Key: "far", Name: "Far from its plan", PlannedSampleSize: &big,
		Arms: []personalization.Arm{{Key: "a", Weight: 1}, {Key: "b", Weight: 1}}})
	require.NoError(t, err)
	_, err = exps.CreateExperiment(ctx, experience.Experiment{Key: "idle", Name: "Stopped", PlannedSampleSize: &planned, Status: experience.Draft,
		Arms: []personalization.Arm{{Key: "a", Weight: 1}, {Key: "b", Weight: 1}}})
	require.NoError(t, err)
	// The runs started on the seeded day (the rollups count cohorts by day).
	_, err = b.pool.Exec(ctx, `UPDATE experiments SET started_at = $1 WHERE status = 'RUNNING'`, rt0.Add(-time.Hour))
	require.NoError(t, err)

	hooks := webhook.NewService(postgres.NewWebhookStore(b.pool), nil)
	recv := newHookReceiver(t)
	ep, err := hooks.CreateEndpoint(ctx, "admin@example.com", webhook.EndpointInput{URL: recv.URL + "/hook",
		EventTypes: []string{"report.daily", "experiment.*"}})
	require.NoError(t, err)
	recv.mu.Lock()
	recv.secret = ep.Secret
	recv.mu.Unlock()
	w := webhook.NewWorker(postgres.NewWebhookStore(b.pool), webhook.WorkerConfig{AllowPrivate: true, Poll: 20 * time.Millisecond})
	w.Start(ctx)
	t.Cleanup(w.Stop)

	day1 := rt0.Add(20 * time.Hour) // the next UTC day: the seeded day has ended
	replica := func(now time.Time) *report.Announcer {
		return &report.Announcer{Reports: b.svc, Store: postgres.NewReportStore(b.pool), Now: func() time.Time { return now }}
	}
	// Three replicas, three rounds each, at once.
	var wg sync.WaitGroup
	for range 3 {
		a := replica(day1)
		wg.Go(func() {
			for range 3 {
				assert.NoError(t, a.Run(ctx))
			}
		})
	}
	wg.Wait()
	require.NoError(t, replica(day1.Add(time.Hour)).Run(ctx), "a restarted replica, later the same day")

	require.Eventually(t, func() bool {
		return len(recv.messages("report.daily")) == 1 && len(recv.messages("experiment.sample_reached")) == 1
	}, 15*time.Second, 20*time.Millisecond, "both announcements are delivered")

	daily := recv.messages("report.daily")[0]["data"].(map[string]any)
	require.Equal(t, "2026-12-06", daily["day"])
	xs := daily["experiments"].([]any)
	require.Len(t, xs, 2, "the running experiments only")
	far, hero := xs[0].(map[string]any), xs[1].(map[string]any)
	require.Equal(t, "far", far["key"])
	require.Equal(t, float64(0), far["visitors"])
	require.Equal(t, []any{}, far["metrics"], "no metrics named: visitors only")
	require.Equal(t, "hero-test", hero["key"])
	require.Equal(t, float64(8), hero["visitors"])
	require.Equal(t, 1.0, hero["progress"])
	m := hero["metrics"].([]any)[0].(map[string]any)
	require.Equal(t, "buyers", m["metric"])
	require.Equal(t, false, m["guardrail"])
	arms := m["arms"].([]any)
	require.Equal(t, []any{float64(4), float64(2)}, []any{arms[0].(map[string]any)["visitors"], arms[0].(map[string]any)["conversions"]})
	require.Equal(t, []any{float64(4), float64(3)}, []any{arms[1].(map[string]any)["visitors"], arms[1].(map[string]any)["conversions"]})
	require.InDelta(t, 0.5, arms[1].(map[string]any)["lift"], 1e-12, "0.75 against 0.5")
	require.NotNil(t, arms[1].(map[string]any)["chanceToWin"])

	reached := recv.messages("experiment.sample_reached")[0]["data"].(map[string]any)
	require.Equal(t, "hero-test", reached["experiment"])
	require.Equal(t, float64(8), reached["visitors"])
	require.Equal(t, float64(8), reached["plannedSampleSize"])

	// The next day: one more daily report, and the sample is not announced again.
	for range 2 {
		require.NoError(t, replica(day1.Add(24*time.Hour)).Run(ctx))
	}
	require.Eventually(t, func() bool { return len(recv.messages("report.daily")) == 2 }, 15*time.Second, 20*time.Millisecond)
	require.Equal(t, "2026-12-07", recv.messages("report.daily")[1]["data"].(map[string]any)["day"])
	var n int
	require.NoError(t, b.pool.QueryRow(ctx, `SELECT count(*) FROM events WHERE type = 'experiment.sample_reached'`).Scan(&n))
	require.Equal(t, 1, n, "a run's sample is announced once, never for a run below its plan or not running")
	require.NoError(t, b.pool.QueryRow(ctx, `SELECT count(*) FROM events WHERE type = 'report.daily'`).Scan(&n))
	require.Equal(t, 2, n, "one report per day")
	require.Len(t, recv.messages("experiment.sample_reached"), 1)
}
