package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/fleet"
	"github.com/mosaichq/mosaic/graph"
	"github.com/mosaichq/mosaic/internal/testapp"
	"github.com/mosaichq/mosaic/server"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// The fleet view over HTTP: heartbeats posted as a kiosk posts them, the
// frame key taken from a real bundle, the listing read through GraphQL,
// the clock injected so OFFLINE is reached without sleeping.

// beatReply is a heartbeat's answer: the status, the error code (error
// document) or the decoded success.
type beatReply struct {
	Status     int
	Header     http.Header
	Code       string
	ServerTime string  `json:"serverTime"`
	Interval   float64 `json:"interval"`
	Raw        string
}

// postBeat posts body to slug's heartbeat URL; cred is an editor token, an
// API key (mk_…) or "" for none.
func postBeat(t testing.TB, app *testapp.App, slug, cred string, body io.Reader) beatReply {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, app.URL+"/screens/"+slug+"/heartbeat", body)
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	switch {
	case auth.IsAPIKey(cred):
		req.Header.Set(auth.APIKeyHeader, cred)
	case cred != "":
		req.Header.Set("Authorization", "Bearer "+cred)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	out := beatReply{Status: resp.StatusCode, Header: resp.Header, Raw: string(raw)}
	var doc struct {
		Errors []struct {
			Message    string         `json:"message"`
			Extensions map[string]any `json:"extensions"`
		} `json:"errors"`
	}
	require.NoError(t, json.Unmarshal(raw, &doc), string(raw))
	require.NoError(t, json.Unmarshal(raw, &out), string(raw))
	if len(doc.Errors) > 0 {
		require.NotEmpty(t, doc.Errors[0].Message, string(raw))
		out.Code, _ = doc.Errors[0].Extensions["code"].(string)
	}
	return out
}

func beatJSON(t testing.TB, fields map[string]any) io.Reader {
	t.Helper()
	b, err := json.Marshal(fields)
	require.NoError(t, err)
	return bytes.NewReader(b)
}

func kioskBeat(id, frame string) map[string]any {
	return map[string]any{"screenId": id, "bundleVersion": "1-0a1b2c3d4e5f6a7b", "frame": frame, "clockOffsetMs": -12.5,
		"channel": "kiosk", "device": "kiosk", "locale": "en", "client": "mosaic-kiosk/1"}
}

const fleetQuery = `query($state: ScreenState, $screen: String, $first: Int) {
  screenFleet(state: $state, screen: $screen, first: $first) {
    screenId screen channel device locale client address bundleVersion frame currentVersion clockOffsetMs
    firstSeenAt lastSeenAt state
  }
}`

// fleetStates lists the fleet as role and returns screenId → state.
func fleetStates(t *testing.T, app *testapp.App, token string, vars map[string]any) (map[string]string, []any) {
	t.Helper()
	resp := app.Query(token, fleetQuery, vars)
	require.Empty(t, resp.Errors, resp.Raw)
	list, _ := resp.Data["screenFleet"].([]any)
	out := map[string]string{}
	for _, s := range list {
		out[testapp.Path(s, "screenId").(string)] = testapp.Path(s, "state").(string)
	}
	return out, list
}

func TestFleetHeartbeatRefuses(t *testing.T) {
	t.Parallel()
	limits := graph.DefaultLimits()
	limits.RequireAPIKey = true
	app := testapp.New(t, testapp.Options{Limits: &limits, Fleet: func(c *fleet.Config) { c.MaxScreens = 1 }})
	key := app.APIKey(auth.ScopeDelivery)
	webKey := app.APIKey(auth.ScopeDelivery, "web")
	with := func(k string, v any) io.Reader {
		m := kioskBeat("lobby-1", "k")
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
		return beatJSON(t, m)
	}
	raw := func(s string) io.Reader { return strings.NewReader(s) }
	before := dbState(t, app)
	for _, tt := range []struct {
		name, slug, cred string
		body             io.Reader
		status           int
		code             string
	}{
		{"missing screenId", "lobby", key, with("screenId", nil), 400, "BAD_USER_INPUT"},
		{"empty screenId", "lobby", key, with("screenId", ""), 400, "BAD_USER_INPUT"},
		{"screenId with a space", "lobby", key, with("screenId", "lobby 1"), 400, "BAD_USER_INPUT"},
		{"screenId with a slash", "lobby", key, with("screenId", "a/b"), 400, "BAD_USER_INPUT"},
		{"screenId of 65", "lobby", key, with("screenId", strings.Repeat("a", 65)), 400, "BAD_USER_INPUT"},
		{"screenId not a string", "lobby", key, with("screenId", 7), 400, "BAD_USER_INPUT"},
		{"bad slug", "Lobby", key, with("channel", "kiosk"), 400, "BAD_USER_INPUT"},
		{"slug with a dot", "lobby.v2", key, with("channel", "kiosk"), 400, "BAD_USER_INPUT"},
		{"unknown channel", "lobby", key, with("channel", "fax"), 400, "BAD_USER_INPUT"},
		{"unknown device", "lobby", key, with("device", "toaster"), 400, "BAD_USER_INPUT"},
		{"unknown locale", "lobby", key, with("locale", "en-US"), 400, "BAD_USER_INPUT"},
		{"frame too long", "lobby", key, with("frame", strings.Repeat("f", 129)), 400, "BAD_USER_INPUT"},
		{"client not printable ASCII", "lobby", key, with("client", "kiosk\u2122"), 400, "BAD_USER_INPUT"},
		{"version with a newline", "lobby", key, with("bundleVersion", "1\n"), 400, "BAD_USER_INPUT"},
		{"offset beyond a year", "lobby", key, with("clockOffsetMs", 31_536_000_001.0), 400, "BAD_USER_INPUT"},
		{"offset before a year", "lobby", key, with("clockOffsetMs", -31_536_000_001.0), 400, "BAD_USER_INPUT"},
		{"offset not a number", "lobby", key, with("clockOffsetMs", "-12"), 400, "BAD_USER_INPUT"},
		{"offset too large for a float", "lobby", key, raw(`{"screenId":"a","clockOffsetMs":1e999}`), 400, "BAD_USER_INPUT"},
		{"unknown field", "lobby", key, with("battery", 93), 400, "BAD_USER_INPUT"},
		{"not JSON", "lobby", key, raw(`screenId=lobby-1`), 400, "BAD_USER_INPUT"},
		{"truncated JSON", "lobby", key, raw(`{"screenId":"lobby-1"`), 400, "BAD_USER_INPUT"},
		{"empty body", "lobby", key, raw(``), 400, "BAD_USER_INPUT"},
		{"null", "lobby", key, raw(`null`), 400, "BAD_USER_INPUT"},
		{"an array", "lobby", key, raw(`[{"screenId":"lobby-1"}]`), 400, "BAD_USER_INPUT"},
		{"two objects", "lobby", key, raw(`{"screenId":"a"} {"screenId":"b"}`), 400, "BAD_USER_INPUT"},
		{"over 4 KiB", "lobby", key, with("client", strings.Repeat("c", 5000)), 413, "BAD_USER_INPUT"},
		// No Content-Length: the limit is met while reading.
		{"over 4 KiB, chunked", "lobby", key, io.MultiReader(with("client", strings.Repeat("c", 5000))), 413, "BAD_USER_INPUT"},
		{"anonymous, public delivery off", "lobby", "", with("channel", "kiosk"), 401, "UNAUTHENTICATED"},
		{"a bad token", "lobby", "not-a-token", with("channel", "kiosk"), 401, "UNAUTHENTICATED"},
		{"an unknown key", "lobby", "mk_" + strings.Repeat("A", 43), with("channel", "kiosk"), 401, "UNAUTHENTICATED"},
		{"a key limited to another channel", "lobby", webKey, with("channel", "kiosk"), 403, "FORBIDDEN"},
	} {
		resp := postBeat(t, app, tt.slug, tt.cred, tt.body)
		require.Equal(t, tt.status, resp.Status, "%s: %s", tt.name, resp.Raw)
		require.Equal(t, tt.code, resp.Code, "%s: %s", tt.name, resp.Raw)
		require.Empty(t, resp.ServerTime, tt.name)
		require.Equal(t, before, dbState(t, app), "%s: nothing written", tt.name)
	}

	// The bound: the first unit fills this fleet; a second is refused,
	// the first still reports.
	require.Equal(t, 200, postBeat(t, app, "lobby", key, beatJSON(t, kioskBeat("lobby-1", "k"))).Status)
	full := dbState(t, app)
	resp := postBeat(t, app, "lobby", key, beatJSON(t, kioskBeat("lobby-2", "k")))
	require.Equal(t, http.StatusTooManyRequests, resp.Status, resp.Raw)
	require.Equal(t, "RATE_LIMITED", resp.Code)
	require.Equal(t, full, dbState(t, app), "nothing written")
	require.Equal(t, 200, postBeat(t, app, "lobby", key, beatJSON(t, kioskBeat("lobby-1", "k2"))).Status)
	// An editor token reads delivery content too, so it may post.
	require.Equal(t, 200, postBeat(t, app, "lobby", app.Token(auth.RoleViewer), beatJSON(t, kioskBeat("lobby-1", "k2"))).Status)
	// A key limited to one channel reports for it when none is named.
	m := kioskBeat("lobby-1", "k")
	delete(m, "channel")
	require.Equal(t, 200, postBeat(t, app, "lobby", webKey, beatJSON(t, m)).Status)
	states, list := fleetStates(t, app, app.Token(auth.RoleViewer), nil)
	require.Len(t, states, 1)
	require.Equal(t, "web", testapp.Path(list, 0, "channel"))
}

func TestFleetOnlineStaleOffline(t *testing.T) {
	t.Parallel()
	app := newCampaignApp(t)
	resp, doc := app.bundle(t, "channel=kiosk&device=kiosk&locale=en", "")
	require.Equal(t, http.StatusOK, resp.StatusCode, string(doc))
	b := decodeBundle(t, doc)
	key := b.Frames[0].Key
	require.NotEmpty(t, key)

	beat := postBeat(t, app.App, "lobby", "", beatJSON(t, kioskBeat("lobby-1", key)))
	require.Equal(t, http.StatusOK, beat.Status, beat.Raw)
	require.Equal(t, switchBase.Format(time.RFC3339Nano), beat.ServerTime, "the instance's clock")
	require.Equal(t, 30.0, beat.Interval)
	require.Equal(t, 200, postBeat(t, app.App, "lobby", "", beatJSON(t, kioskBeat("lobby-2", "0123abcd"))).Status)
	ro := kioskBeat("lobby-ro", key)
	ro["locale"] = "ro"
	require.Equal(t, 200, postBeat(t, app.App, "lobby", "", beatJSON(t, ro)).Status)
	ghost := postBeat(t, app.App, "nowhere", "", beatJSON(t, kioskBeat("ghost-1", key)))
	require.Equal(t, http.StatusNotFound, ghost.Status, "a new unit must show a published screen: %s", ghost.Raw)
	require.Contains(t, ghost.Raw, "NOT_FOUND")

	viewer := app.Token(auth.RoleViewer)
	states, list := fleetStates(t, app.App, viewer, nil)
	require.Equal(t, map[string]string{"lobby-1": "ONLINE", "lobby-2": "STALE", "lobby-ro": "STALE"}, states,
		"lobby-ro shows the English frame: the Romanian bundle differs; nothing stored for ghost-1")
	require.Equal(t, map[string]any{"screenId": "lobby-1", "screen": "lobby", "channel": "kiosk", "device": "kiosk", "locale": "en",
		"client": "mosaic-kiosk/1", "address": "127.0.0.1", "bundleVersion": "1-0a1b2c3d4e5f6a7b", "frame": key,
		"currentVersion": b.Version, "clockOffsetMs": -12.5, "firstSeenAt": "2026-12-01T08:00:00Z",
		"lastSeenAt": "2026-12-01T08:00:00Z", "state": "ONLINE"}, list[0])

	only, _ := fleetStates(t, app.App, viewer, map[string]any{"state": "STALE", "screen": "lobby"})
	require.Equal(t, map[string]string{"lobby-2": "STALE", "lobby-ro": "STALE"}, only)
	only, _ = fleetStates(t, app.App, viewer, map[string]any{"first": 1})
	require.Equal(t, map[string]string{"lobby-1": "ONLINE"}, only)

	// Exactly offlineAfter after its heartbeat a unit is still on time;
	// lobby-1 reports again meanwhile, so only it stays.
	app.clock.Add(fleet.DefaultOfflineAfter - time.Second)
	require.Equal(t, 200, postBeat(t, app.App, "lobby", "", beatJSON(t, kioskBeat("lobby-1", key))).Status)
	app.clock.Add(time.Second)
	states, _ = fleetStates(t, app.App, viewer, map[string]any{"state": "OFFLINE"})
	require.Empty(t, states, "at exactly offlineAfter nobody is offline")
	app.clock.Add(time.Millisecond)
	states, list = fleetStates(t, app.App, viewer, nil)
	require.Equal(t, map[string]string{"lobby-1": "ONLINE", "lobby-2": "OFFLINE", "lobby-ro": "OFFLINE"}, states)
	require.Equal(t, "2026-12-01T08:00:00Z", testapp.Path(list, 0, "firstSeenAt"), "first seen is kept")
	require.Equal(t, "2026-12-01T08:01:29Z", testapp.Path(list, 0, "lastSeenAt"))

	// The campaign starts: lobby-1 still shows the frame before it.
	app.schedule(t, switchBase.Add(2*time.Minute), switchEnd)
	app.clock.Set(switchBase.Add(2 * time.Minute))
	require.Equal(t, 200, postBeat(t, app.App, "lobby", "", beatJSON(t, kioskBeat("lobby-1", key))).Status)
	states, _ = fleetStates(t, app.App, viewer, map[string]any{"screen": "lobby", "state": "STALE"})
	require.Equal(t, map[string]string{"lobby-1": "STALE"}, states, "a new frame is current")
	_, doc = app.bundle(t, "channel=kiosk&device=kiosk&locale=en", "")
	require.Equal(t, 200, postBeat(t, app.App, "lobby", "", beatJSON(t, kioskBeat("lobby-1", decodeBundle(t, doc).Frames[0].Key))).Status)
	states, _ = fleetStates(t, app.App, viewer, map[string]any{"screen": "lobby", "state": "ONLINE"})
	require.Equal(t, map[string]string{"lobby-1": "ONLINE"}, states)
}

// serverTime is read while the request is being answered: a client takes
// its clock offset from it.
func TestFleetHeartbeatServerTime(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{})
	start := time.Now()
	resp := postBeat(t, app, "lobby", "", beatJSON(t, kioskBeat("lobby-1", "k")))
	end := time.Now()
	require.Equal(t, http.StatusOK, resp.Status, resp.Raw)
	require.Equal(t, "no-store", resp.Header.Get("Cache-Control"))
	require.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	at, err := time.Parse(time.RFC3339Nano, resp.ServerTime)
	require.NoError(t, err)
	require.True(t, strings.HasSuffix(resp.ServerTime, "Z"), "UTC: %s", resp.ServerTime)
	require.False(t, at.Before(start.Truncate(time.Nanosecond)), "%s before %s", at, start)
	require.False(t, at.After(end), "%s after %s", at, end)
	require.Equal(t, 30.0, resp.Interval)
	var keys map[string]any
	require.NoError(t, json.Unmarshal([]byte(resp.Raw), &keys))
	require.Len(t, keys, 2, "serverTime and interval only: %s", resp.Raw)
}

// Any editor role may list the fleet; API keys and anonymous callers may not.
func TestFleetRoles(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{})
	require.Equal(t, 200, postBeat(t, app, "lobby", "", beatJSON(t, kioskBeat("lobby-1", "k"))).Status)
	for _, role := range auth.Roles() {
		states, _ := fleetStates(t, app, app.Token(role), nil)
		require.Equal(t, map[string]string{"lobby-1": "STALE"}, states, role)
	}
	for name, key := range map[string]string{"delivery": app.APIKey(auth.ScopeDelivery), "preview": app.APIKey(auth.ScopePreview)} {
		resp := app.QueryKey(key, fleetQuery, nil)
		require.Equal(t, "FORBIDDEN", resp.Code(), "%s key: %s", name, resp.Raw)
		require.Nil(t, resp.Data["screenFleet"])
	}
	resp := app.Query("", fleetQuery, nil)
	require.Equal(t, "UNAUTHENTICATED", resp.Code(), resp.Raw)
	require.NotContains(t, resp.Raw, "lobby-1")

	viewer := app.Token(auth.RoleViewer)
	for _, vars := range []map[string]any{{"first": 0}, {"first": 1001}, {"first": -1}, {"screen": "Lobby"}} {
		resp := app.Query(viewer, fleetQuery, vars)
		require.Equal(t, "BAD_USER_INPUT", resp.Code(), "%v: %s", vars, resp.Raw)
	}
	resp = app.Query(viewer, fleetQuery, map[string]any{"state": "GONE"})
	require.NotEmpty(t, resp.Errors, "an unknown state is refused by the schema")
	states, _ := fleetStates(t, app, viewer, map[string]any{"first": 1000})
	require.Len(t, states, 1)
}

const forgetScreen = `mutation($id: String!) { forgetScreen(screenId: $id) }`

// Publishers and admins forget units taken out of service; the mutation is
// audited; a unit that reports again comes back as new.
func TestFleetForgetScreen(t *testing.T) {
	t.Parallel()
	clock := testapp.NewClock(switchBase)
	app := testapp.New(t, testapp.Options{Now: clock.Now})
	for _, id := range []string{"lobby-1", "lobby-2", "lobby-3"} {
		require.Equal(t, 200, postBeat(t, app, "lobby", "", beatJSON(t, kioskBeat(id, "k"))).Status)
	}
	viewer, publisher := app.Token(auth.RoleViewer), app.Token(auth.RolePublisher)
	delivery, preview := app.APIKey(auth.ScopeDelivery), app.APIKey(auth.ScopePreview)
	before := dbState(t, app)
	for _, tt := range []struct{ who, token, key, code string }{
		{"editor", app.Token(auth.RoleEditor), "", "FORBIDDEN"},
		{"viewer", viewer, "", "FORBIDDEN"},
		{"delivery key", "", delivery, "FORBIDDEN"},
		{"preview key", "", preview, "FORBIDDEN"},
		{"anonymous", "", "", "UNAUTHENTICATED"},
		{"publisher, bad id", publisher, "", "BAD_USER_INPUT"},
	} {
		id := "lobby-1"
		if tt.code == "BAD_USER_INPUT" {
			id = "lobby 1"
		}
		resp := app.Query(tt.token, forgetScreen, map[string]any{"id": id})
		if tt.key != "" {
			resp = app.QueryKey(tt.key, forgetScreen, map[string]any{"id": id})
		}
		require.Equal(t, tt.code, resp.Code(), "%s: %s", tt.who, resp.Raw)
		require.Nil(t, resp.Data, "%s: %s", tt.who, resp.Raw)
	}
	require.Equal(t, before, dbState(t, app), "refusals change nothing and are not audited")

	forget := func(token, id string) any {
		t.Helper()
		resp := app.Query(token, forgetScreen, map[string]any{"id": id})
		require.Empty(t, resp.Errors, resp.Raw)
		return resp.Data["forgetScreen"]
	}
	require.Equal(t, true, forget(publisher, "lobby-1"))
	require.Equal(t, true, forget(app.Token(auth.RoleAdmin), "lobby-2"))
	require.Equal(t, false, forget(publisher, "lobby-1"), "already forgotten")
	require.Equal(t, false, forget(publisher, "never-seen"))
	states, _ := fleetStates(t, app, viewer, nil)
	require.Equal(t, map[string]string{"lobby-3": "STALE"}, states)

	audit := app.Query(publisher, `{ auditLog(first: 10) { nodes { action actor actorRole entityId detail } } }`, nil)
	require.Empty(t, audit.Errors, audit.Raw)
	nodes := testapp.Path(audit.Data, "auditLog", "nodes").([]any)
	require.Len(t, nodes, 4, audit.Raw)
	require.Equal(t, map[string]any{"action": "forgetScreen", "actor": "test-admin", "actorRole": "admin",
		"entityId": "lobby-2", "detail": map[string]any{"screenId": "lobby-2"}}, nodes[2])
	require.Equal(t, map[string]any{"action": "forgetScreen", "actor": "test-publisher", "actorRole": "publisher",
		"entityId": "lobby-1", "detail": map[string]any{"screenId": "lobby-1"}}, nodes[3])

	// A forgotten unit that reports again is a new one.
	clock.Add(time.Hour)
	require.Equal(t, 200, postBeat(t, app, "lobby", "", beatJSON(t, kioskBeat("lobby-1", "k"))).Status)
	states, list := fleetStates(t, app, viewer, nil)
	require.Equal(t, map[string]string{"lobby-1": "STALE", "lobby-3": "OFFLINE"}, states)
	require.Equal(t, "2026-12-01T09:00:00Z", testapp.Path(list, 0, "firstSeenAt"), "a fresh first seen")
	require.Equal(t, "2026-12-01T08:00:00Z", testapp.Path(list, 1, "firstSeenAt"))
}

// screenGauge reads mosaic_screens from /metrics: state → value, absent
// states left out.
func screenGauge(t *testing.T, url string) map[string]string {
	t.Helper()
	resp, err := http.Get(url + "/metrics")
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, string(raw))
	require.Contains(t, string(raw), "go_goroutines", "the rest of the page is there")
	out := map[string]string{}
	for line := range strings.Lines(string(raw)) {
		if rest, ok := strings.CutPrefix(line, `mosaic_screens{state="`); ok {
			state, value, _ := strings.Cut(strings.TrimSpace(rest), `"} `)
			out[state] = value
		}
	}
	if len(out) > 0 {
		require.Contains(t, string(raw), "# TYPE mosaic_screens gauge")
	}
	return out
}

// The screens gauge counts at scrape time, on the fleet's clock.
func TestFleetMetrics(t *testing.T) {
	t.Parallel()
	clock := testapp.NewClock(switchBase)
	app := testapp.New(t, testapp.Options{Now: clock.Now})
	require.Equal(t, map[string]string{"online": "0", "offline": "0"}, screenGauge(t, app.URL))
	for _, id := range []string{"lobby-1", "lobby-2", "lobby-3"} {
		require.Equal(t, 200, postBeat(t, app, "lobby", "", beatJSON(t, kioskBeat(id, "k"))).Status)
	}
	require.Equal(t, map[string]string{"online": "3", "offline": "0"}, screenGauge(t, app.URL), "STALE counts as online")

	clock.Add(fleet.DefaultOfflineAfter)
	require.Equal(t, 200, postBeat(t, app, "lobby", "", beatJSON(t, kioskBeat("lobby-1", "k"))).Status)
	require.Equal(t, map[string]string{"online": "3", "offline": "0"}, screenGauge(t, app.URL), "exactly offlineAfter is on time")
	clock.Add(time.Millisecond)
	require.Equal(t, map[string]string{"online": "1", "offline": "2"}, screenGauge(t, app.URL))
	resp := app.Query(app.Token(auth.RolePublisher), forgetScreen, map[string]any{"id": "lobby-2"})
	require.Empty(t, resp.Errors, resp.Raw)
	require.Equal(t, map[string]string{"online": "1", "offline": "1"}, screenGauge(t, app.URL))
}

// With the database down a scrape still answers, without the gauge.
func TestFleetMetricsDatabaseDown(t *testing.T) {
	t.Parallel()
	// Nothing listens on port 1: every query fails at once.
	pool, err := pgxpool.New(t.Context(), "postgres://mosaic@127.0.0.1:1/mosaic?connect_timeout=2")
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	svc, err := fleet.New(fleet.Config{Store: postgres.New(pool).Fleet(), Source: fleet.BundleSource{}})
	require.NoError(t, err)
	srv := httptest.NewServer(server.Handler(server.Deps{Resolver: &graph.Resolver{}, Verifier: auth.Credentials{}, Fleet: svc}))
	t.Cleanup(srv.Close)
	require.Empty(t, screenGauge(t, srv.URL))
}

// BenchmarkHeartbeat posts heartbeats over HTTP into a real PostgreSQL,
// as a fleet of 100 known units does: the steady state, one UPDATE each.
func BenchmarkHeartbeat(b *testing.B) {
	app := testapp.New(b, testapp.Options{NoSeed: true})
	bodies := make([][]byte, 100)
	for i := range bodies {
		var err error
		bodies[i], err = json.Marshal(kioskBeat(fmt.Sprintf("unit-%03d", i), "0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d"))
		require.NoError(b, err)
		require.Equal(b, 200, postBeat(b, app, "lobby", "", bytes.NewReader(bodies[i])).Status)
	}
	post := func(i int) {
		resp, err := http.Post(app.URL+"/screens/lobby/heartbeat", "application/json", bytes.NewReader(bodies[i%len(bodies)]))
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
	b.Run("serial", func(b *testing.B) {
		i := 0
		for b.Loop() {
			post(i)
			i++
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				post(i)
				i++
			}
		})
	})
}
