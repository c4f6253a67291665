package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/graph"
	"github.com/mosaichq/mosaic/internal/testapp"
	"github.com/mosaichq/mosaic/measurement/eventlog"
)

// collectAnswer is a decoded /collect response: the 202 shape or the
// error shape.
type collectAnswer struct {
	Status   int
	Header   http.Header
	Raw      string
	Accepted int `json:"accepted"`
	Rejected []struct {
		Index   int    `json:"index"`
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"rejected"`
	Errors []testapp.Error `json:"errors"`
}

func (c collectAnswer) code() string {
	if len(c.Errors) != 1 {
		return fmt.Sprintf("%d errors", len(c.Errors))
	}
	s, _ := c.Errors[0].Extensions["code"].(string)
	return s
}

// collect POSTs body to /collect with credential (an API key, an editor
// token, or "") as contentType.
func collect(t *testing.T, app *testapp.App, credential, contentType string, body []byte) collectAnswer {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, app.URL+"/collect", bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", contentType)
	switch {
	case strings.HasPrefix(credential, auth.APIKeyPrefix):
		req.Header.Set(auth.APIKeyHeader, credential)
	case credential != "":
		req.Header.Set("Authorization", "Bearer "+credential)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	out := collectAnswer{Status: resp.StatusCode, Header: resp.Header, Raw: string(raw)}
	require.NoError(t, json.Unmarshal(raw, &out), string(raw))
	return out
}

func eventsBody(events ...string) []byte {
	return fmt.Appendf(nil, `{"sentAt":%q,"events":[%s]}`, time.Now().UTC().Format(time.RFC3339Nano), strings.Join(events, ","))
}

func trackEvents(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf(`{"id":"%s-%d","type":"track","visitorId":"v-%d","name":"scroll","properties":{"depth":%d}}`, prefix, i, i%7, i)
	}
	return out
}

func rows(t *testing.T, app *testapp.App, where string) int {
	t.Helper()
	var n int
	require.NoError(t, app.Pool.QueryRow(t.Context(), `SELECT count(*) FROM measurement_events WHERE `+where).Scan(&n))
	return n
}

// drained waits until the log holds nothing more for PostgreSQL.
func drained(t *testing.T, app *testapp.App) {
	t.Helper()
	require.Eventually(t, func() bool {
		if app.Measure.Recorder.Pending() > 0 { // a record not in the log yet
			return false
		}
		n, _, err := app.Measure.Log.Pending(t.Context())
		return err == nil && n == 0
	}, 30*time.Second, 20*time.Millisecond, "the event log drains into PostgreSQL")
}

// Accepted events land in PostgreSQL exactly once: the same batch sent
// again (a retry after a lost answer) adds nothing; the bad event of a
// batch is reported by index and never stored.
func TestCollectLandsExactlyOnce(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{NoSeed: true, Measurement: true})
	key := app.APIKey(auth.ScopeEventsWrite)
	// A decision id as delivery returns it: /collect refuses any other.
	decision := uuid.Must(uuid.NewV7()).String()
	body := eventsBody(
		`{"id":"e-view","type":"view","visitorId":"v1","decisionId":"`+decision+`","blockId":"b1"}`,
		`{"id":"e-bad","type":"click","visitorId":"v1"}`,
		`{"id":"e-buy","type":"conversion","visitorId":"v1","goal":"purchase","value":42.5,"currency":"EUR"}`,
		`{"id":"e-who","type":"identify","visitorId":"v1","userId":"u1","traits":{"plan":"pro"}}`,
		`{"id":"e-ok","type":"consent","visitorId":"v1","granted":["measurement"]}`,
	)
	for range 2 {
		ans := collect(t, app, key, "application/json", body)
		require.Equal(t, http.StatusAccepted, ans.Status, ans.Raw)
		require.Equal(t, 4, ans.Accepted)
		require.Len(t, ans.Rejected, 1)
		require.Equal(t, 1, ans.Rejected[0].Index)
		require.Equal(t, "UNKNOWN_TYPE", ans.Rejected[0].Code)
		drained(t, app)
		require.Equal(t, 4, rows(t, app, "true"))
	}
	require.Zero(t, rows(t, app, "id = 'e-bad'"))
	require.Equal(t, 1, rows(t, app, "id = 'e-buy' AND goal = 'purchase' AND value = 42.5 AND currency = 'EUR' AND visitor_id = 'v1'"))
	require.Equal(t, 1, rows(t, app, `id = 'e-who' AND user_id = 'u1' AND data = '{"plan":"pro"}'`))

	metrics := app.Get("", "/metrics").Raw
	for _, want := range []string{
		`mosaic_measurement_events_accepted_total{type="conversion"} 2`,
		`mosaic_measurement_events_rejected_total{code="UNKNOWN_TYPE"} 2`,
		`mosaic_measurement_events_deduplicated_total{stage="log"} 4`,
		`mosaic_measurement_events_written_total 4`,
		`mosaic_measurement_log_pending_events 0`,
	} {
		require.Contains(t, metrics, want)
	}
}

// Every kind of bad input gets its status and code; one bad event leaves
// the rest of its batch accepted.
func TestCollectBadInput(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{NoSeed: true, Measurement: true})
	key := app.APIKey(auth.ScopeEventsWrite)
	good := `{"id":"g-%d","type":"view","visitorId":"v","entry":"home"}`
	many := make([]string, 501)
	for i := range many {
		many[i] = fmt.Sprintf(good, i)
	}
	aYearAhead := time.Now().AddDate(1, 0, 0).UTC().Format(time.RFC3339)
	anHourAgo := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	fresh := uuid.Must(uuid.NewV7()).String()
	cases := []struct {
		name        string
		credential  string
		contentType string
		body        []byte
		status      int
		code        string // the error's, or the one rejection's
	}{
		{"unknown type", key, "application/json", eventsBody(fmt.Sprintf(good, 1), `{"id":"x","type":"hover","visitorId":"v"}`), 202, "UNKNOWN_TYPE"},
		{"missing id", key, "application/json", eventsBody(fmt.Sprintf(good, 2), `{"type":"view","visitorId":"v","entry":"home"}`), 202, "MISSING_ID"},
		{"a year ahead", key, "application/json", eventsBody(fmt.Sprintf(good, 3),
			`{"id":"y","type":"view","visitorId":"v","entry":"home","timestamp":"`+aYearAhead+`"}`), 202, "IN_FUTURE"},
		{"identify with a blocked value", key, "application/json", eventsBody(fmt.Sprintf(good, 8),
			`{"id":"z","type":"identify","visitorId":"v","userId":"anonymous"}`), 202, "BLOCKED_VALUE"},
		// A made-up id (a UUIDv4, as a client's own ids are) cannot be a
		// decision; nor can one made after the view that names it.
		{"a view for an unknown decisionId", key, "application/json", eventsBody(fmt.Sprintf(good, 9),
			`{"id":"u","type":"view","visitorId":"v","decisionId":"`+uuid.NewString()+`","blockId":"b1"}`), 202, "UNKNOWN_DECISION"},
		{"a view dated before its decision", key, "application/json", eventsBody(fmt.Sprintf(good, 10),
			`{"id":"w","type":"view","visitorId":"v","decisionId":"`+fresh+`","blockId":"b1","timestamp":"`+anHourAgo+`"}`), 202, "UNKNOWN_DECISION"},
		{"501 events", key, "application/json", eventsBody(many...), 400, "BAD_USER_INPUT"},
		{"invalid JSON", key, "application/json", []byte(`{"events":[{"id":`), 400, "BAD_USER_INPUT"},
		{"too large", key, "application/json", []byte(`{"events":["` + strings.Repeat("x", 5<<20) + `"]}`), 413, "BAD_USER_INPUT"},
		{"form body", key, "application/x-www-form-urlencoded", []byte(`events=1`), 415, "BAD_USER_INPUT"},
		{"delivery key", app.APIKey(auth.ScopeDelivery), "application/json", eventsBody(fmt.Sprintf(good, 4)), 403, "FORBIDDEN"},
		{"preview key", app.APIKey(auth.ScopePreview), "application/json", eventsBody(fmt.Sprintf(good, 5)), 403, "FORBIDDEN"},
		{"editor token", app.Token(auth.RoleEditor), "application/json", eventsBody(fmt.Sprintf(good, 6)), 403, "FORBIDDEN"},
		{"revoked-looking key", auth.APIKeyPrefix + strings.Repeat("A", 43), "application/json", eventsBody(fmt.Sprintf(good, 7)), 401, "UNAUTHENTICATED"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ans := collect(t, app, c.credential, c.contentType, c.body)
			require.Equal(t, c.status, ans.Status, ans.Raw)
			if c.status == http.StatusAccepted {
				require.Equal(t, 1, ans.Accepted, ans.Raw)
				require.Len(t, ans.Rejected, 1, ans.Raw)
				require.Equal(t, c.code, ans.Rejected[0].Code, ans.Raw)
				require.Equal(t, 1, ans.Rejected[0].Index)
				require.NotEmpty(t, ans.Rejected[0].Message)
				return
			}
			require.Equal(t, c.code, ans.code(), ans.Raw)
			require.NotEmpty(t, ans.Errors[0].Message)
			require.NotContains(t, ans.Raw, "INTERNAL")
		})
	}
	drained(t, app)
	require.Equal(t, 6, rows(t, app, "true"), "only the good events of the 202 batches")
	require.Zero(t, rows(t, app, "id IN ('x', 'y', 'z', 'u', 'w', 'g-4', 'g-5', 'g-6', 'g-7')"))
}

// navigator.sendBeacon sends a string as text/plain and cannot send
// headers: with public delivery on, an anonymous beacon is accepted; with
// it off, refused.
func TestCollectBeacon(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{NoSeed: true, Measurement: true})
	ans := collect(t, app, "", "text/plain;charset=UTF-8", eventsBody(trackEvents("beacon", 3)...))
	require.Equal(t, http.StatusAccepted, ans.Status, ans.Raw)
	require.Equal(t, 3, ans.Accepted)
	drained(t, app)
	require.Equal(t, 3, rows(t, app, "id LIKE 'beacon-%'"))

	limits := graph.DefaultLimits()
	limits.RequireAPIKey = true
	closed := testapp.New(t, testapp.Options{NoSeed: true, Measurement: true, Limits: &limits})
	ans = collect(t, closed, "", "text/plain", eventsBody(trackEvents("beacon", 3)...))
	require.Equal(t, http.StatusUnauthorized, ans.Status, ans.Raw)
	require.Equal(t, "UNAUTHENTICATED", ans.code())
	ans = collect(t, closed, closed.APIKey(auth.ScopeEventsWrite), "text/plain", eventsBody(trackEvents("keyed", 3)...))
	require.Equal(t, http.StatusAccepted, ans.Status, ans.Raw)
}

// PostgreSQL down: events keep being accepted (202) and land when it
// returns. A buffer that fills meanwhile answers 503 with Retry-After,
// and takes events again once drained.
func TestCollectDuringDatabaseOutage(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{NoSeed: true, Measurement: true, DatabaseProxy: true,
		// A batch of 25 events of one type is one message: two fit.
		EventLog: func(c *eventlog.Config) { c.MaxMsgs = 2; c.Retry = 10 * time.Millisecond }})
	ans := collect(t, app, "", "application/json", eventsBody(trackEvents("before", 5)...))
	require.Equal(t, http.StatusAccepted, ans.Status, ans.Raw)
	drained(t, app)

	app.DB.Down()
	for i := range 2 {
		ans := collect(t, app, "", "application/json", eventsBody(trackEvents(fmt.Sprintf("down%d", i), 25)...))
		require.Equal(t, http.StatusAccepted, ans.Status, ans.Raw)
		require.Equal(t, 25, ans.Accepted)
	}
	ans = collect(t, app, "", "application/json", eventsBody(trackEvents("overflow", 25)...))
	require.Equal(t, http.StatusServiceUnavailable, ans.Status, ans.Raw)
	require.Equal(t, "SERVICE_UNAVAILABLE", ans.code())
	require.NotEmpty(t, ans.Header.Get("Retry-After"))
	// /metrics says so: the buffer full, its oldest event waiting, the
	// writes failing, the 503 counted.
	require.Eventually(t, func() bool {
		return metricValue(t, app, `mosaic_measurement_write_errors_total{kind="events"}`) > 0
	}, 30*time.Second, 20*time.Millisecond, "failed writes are counted")
	require.Equal(t, 1.0, metricValue(t, app, "mosaic_measurement_log_fullness"))
	require.Equal(t, 2.0, metricValue(t, app, "mosaic_measurement_log_pending_events"), "messages")
	require.Positive(t, metricValue(t, app, "mosaic_measurement_log_lag_seconds"))
	require.Equal(t, 1.0, metricValue(t, app, "mosaic_measurement_batches_unavailable_total"))

	app.DB.Up()
	drained(t, app)
	require.Zero(t, metricValue(t, app, "mosaic_measurement_log_fullness"))
	require.Zero(t, metricValue(t, app, "mosaic_measurement_log_lag_seconds"))
	require.Positive(t, metricValue(t, app, `mosaic_measurement_write_seconds_count{kind="events"}`))
	// The refused batch was one message: none of it went in. A 503 means
	// "resend the batch" (the first messages of a batch of several types
	// may have fitted: the ids make the resend safe).
	require.Equal(t, 50, rows(t, app, "id LIKE 'down%'"))
	require.Zero(t, rows(t, app, "id LIKE 'overflow%'"))
	ans = collect(t, app, "", "application/json", eventsBody(trackEvents("overflow", 25)...))
	require.Equal(t, http.StatusAccepted, ans.Status, ans.Raw)
	drained(t, app)
	require.Equal(t, 80, rows(t, app, "true"))
}

// An admin makes an events.write key through GraphQL (EVENTS_WRITE), and
// it reports events.
func TestCollectWithKeyFromGraphQL(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{NoSeed: true, Measurement: true})
	resp := app.Query(app.Token(auth.RoleAdmin), createAPIKey,
		map[string]any{"in": map[string]any{"name": "storefront", "scope": "EVENTS_WRITE"}})
	require.Empty(t, resp.Errors, resp.Raw)
	require.Equal(t, "EVENTS_WRITE", testapp.Path(resp.Data, "createAPIKey", "apiKey", "scope"), resp.Raw)
	key := testapp.Path(resp.Data, "createAPIKey", "key").(string)
	ans := collect(t, app, key, "application/json", eventsBody(trackEvents("gql", 2)...))
	require.Equal(t, http.StatusAccepted, ans.Status, ans.Raw)
	require.Equal(t, 2, ans.Accepted)
	// It reads published content as a delivery key does.
	require.Empty(t, app.QueryKey(key, `{ __typename }`, nil).Errors)
}

// metricValue reads one sample (name with its labels, as exposed) from
// /metrics; the test fails when it is absent.
func metricValue(t *testing.T, app *testapp.App, sample string) float64 {
	t.Helper()
	for line := range strings.Lines(app.Get("", "/metrics").Raw) {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), sample+" "); ok {
			v, err := strconv.ParseFloat(rest, 64)
			require.NoError(t, err, line)
			return v
		}
	}
	t.Fatalf("/metrics has no sample %s", sample)
	return 0
}
