package replicas_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/bundle"
	"github.com/mosaichq/mosaic/internal/replicas"
	"github.com/mosaichq/mosaic/internal/ssetest"
	"github.com/mosaichq/mosaic/internal/testdb"
)

// Two `mosaic serve` processes on one database: a campaign scheduled two
// seconds ahead flips both; its start is announced once, on both streams;
// a leader killed with SIGKILL before the start is replaced and the start
// still announced, once; the kill switch reaches both.

const (
	secret      = "replicas-test-secret-replicas-test-secret"
	waitTimeout = 30 * time.Second
)

type testBundle struct {
	pool  *pgxpool.Pool
	cfg   replicas.Config
	token string
}

func setup(t *testing.T) *testBundle {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs mosaic processes")
	}
	pool, url := testdb.Schema(t)
	cfg := replicas.Config{Bin: replicas.Build(t), DatabaseURL: url, Secret: secret,
		Env: []string{"MOSAIC_EVENTS_HEARTBEAT=1s"}}
	replicas.Run(t, cfg, "seed") // the demo, with the DRAFT winter-sale campaign
	tokens, err := auth.NewTokens(auth.Config{Secret: []byte(secret)})
	require.NoError(t, err)
	token, err := tokens.Issue("replicas-test", auth.RoleAdmin, time.Hour)
	require.NoError(t, err)
	return &testBundle{pool: pool, cfg: cfg, token: token}
}

// leader waits until exactly one of ps leads the scheduler and returns it.
func leader(t *testing.T, ps ...*replicas.Process) (lead *replicas.Process, others []*replicas.Process) {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		for _, p := range ps {
			if p.Logged("scheduler: leading") {
				for _, o := range ps {
					if o != p {
						others = append(others, o)
					}
				}
				return p, others
			}
		}
		require.True(t, time.Now().Before(deadline), "no replica leads the scheduler")
		time.Sleep(20 * time.Millisecond)
	}
}

func (b *testBundle) gql(t *testing.T, p *replicas.Process, query string, vars map[string]any) map[string]any {
	t.Helper()
	data, err := p.GraphQL(t.Context(), b.token, query, vars)
	require.NoError(t, err, p.Name)
	return data
}

func (b *testBundle) campaignID(t *testing.T, p *replicas.Process, key string) string {
	t.Helper()
	data := b.gql(t, p, `query($k: String) { campaign(key: $k) { id } }`, map[string]any{"k": key})
	return data["campaign"].(map[string]any)["id"].(string)
}

func (b *testBundle) schedule(t *testing.T, p *replicas.Process, id string, start, end time.Time) {
	t.Helper()
	b.gql(t, p, `mutation($id: ID!, $s: DateTime!, $e: DateTime!) { scheduleCampaign(id: $id, startsAt: $s, endsAt: $e) { status } }`,
		map[string]any{"id": id, "s": start.UTC().Format(time.RFC3339Nano), "e": end.UTC().Format(time.RFC3339Nano)})
}

// lobbyVariant is what a kiosk showing the lobby screen gets for its hero.
func (b *testBundle) lobbyVariant(t *testing.T, p *replicas.Process) string {
	t.Helper()
	data, err := p.GraphQL(t.Context(), b.token, `{ entry(slug: "lobby", type: "screen", context: {channel: "kiosk", device: "kiosk"}) {
		blocks { id decision { variant } } } }`, nil)
	require.NoError(t, err, p.Name)
	for _, bl := range data["entry"].(map[string]any)["blocks"].([]any) {
		if bl.(map[string]any)["id"] == "lobby-hero" {
			return bl.(map[string]any)["decision"].(map[string]any)["variant"].(string)
		}
	}
	t.Fatalf("no lobby-hero block on %s: %v", p.Name, data)
	return ""
}

// get GETs path from p with the test's token and returns the 200 body.
func (b *testBundle) get(t *testing.T, p *replicas.Process, path string) []byte {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, p.URL+path, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+b.token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err, p.Name)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s %s: %s", p.Name, path, body)
	return body
}

// keys is the bundle key set p publishes.
func (b *testBundle) keys(t *testing.T, p *replicas.Process) bundle.KeySet {
	t.Helper()
	var set bundle.KeySet
	require.NoError(t, json.Unmarshal(b.get(t, p, "/.well-known/mosaic-bundle-keys.json"), &set))
	return set
}

// kiosk opens the stream a lobby kiosk would.
func (b *testBundle) kiosk(t *testing.T, p *replicas.Process) *ssetest.Stream {
	t.Helper()
	s, err := ssetest.Dial(t.Context(), p.URL+"/events?channel=kiosk&device=kiosk&screen=lobby&type=campaign.*",
		http.Header{"Authorization": {"Bearer " + b.token}})
	require.NoError(t, err, p.Name)
	t.Cleanup(s.Close)
	f, err := s.NextEvent(waitTimeout)
	require.NoError(t, err)
	require.Equal(t, "ready", f.Event)
	return s
}

type announcement struct {
	ID, Type, Key string
	At            time.Time
	Received      time.Time
}

func next(t *testing.T, s *ssetest.Stream, name string) announcement {
	t.Helper()
	f, err := s.NextEvent(waitTimeout)
	require.NoError(t, err, "no announcement on %s", name)
	var env struct {
		Data struct {
			Campaign struct{ Key string }
			At       time.Time
		}
	}
	require.NoError(t, json.Unmarshal([]byte(f.Data), &env), f.Data)
	return announcement{ID: f.ID, Type: f.Event, Key: env.Data.Campaign.Key, At: env.Data.At, Received: f.At}
}

// logged counts the announcements of a campaign in the event log, by type.
func (b *testBundle) logged(t *testing.T, campaignID string) map[string]int {
	t.Helper()
	rows, err := b.pool.Query(t.Context(), `SELECT type, count(*) FROM events WHERE campaign_id = $1 GROUP BY type`, campaignID)
	require.NoError(t, err)
	out := map[string]int{}
	for rows.Next() {
		var typ string
		var n int
		require.NoError(t, rows.Scan(&typ, &n))
		out[typ] = n
	}
	require.NoError(t, rows.Err())
	return out
}

func TestTwoReplicasFlipTogetherAndAnnounceOnce(t *testing.T) {
	t.Parallel()
	b := setup(t)
	a := replicas.Start(t, b.cfg, "a")
	c := replicas.Start(t, b.cfg, "b")
	leader(t, a, c)
	// One bundle key: a screen verifies a bundle from either replica with
	// the key set published by the other.
	require.NoError(t, bundle.Verify(b.get(t, c, "/screens/lobby/bundle?channel=kiosk&device=kiosk"),
		b.keys(t, a)), "b's bundle with a's keys")
	require.Equal(t, b.keys(t, a), b.keys(t, c))
	streams := map[*replicas.Process]*ssetest.Stream{a: b.kiosk(t, a), c: b.kiosk(t, c)}
	id := b.campaignID(t, a, "winter-sale")
	require.Equal(t, "kiosk", b.lobbyVariant(t, a))
	require.Equal(t, "kiosk", b.lobbyVariant(t, c))

	start := time.Now().Add(2 * time.Second)
	b.schedule(t, a, id, start, start.Add(time.Hour))
	var ids []string
	for p, s := range streams {
		got := next(t, s, p.Name)
		require.Equal(t, announcement{ID: got.ID, Type: "campaign.started", Key: "winter-sale", At: start.UTC().Truncate(time.Microsecond),
			Received: got.Received}, got)
		require.False(t, got.Received.Before(start), "%s: announced before the start", p.Name)
		// The kiosk refetches on the event and sees the campaign.
		require.Equal(t, "winter-sale", b.lobbyVariant(t, p), p.Name)
		ids = append(ids, got.ID)
	}
	require.Equal(t, ids[0], ids[1], "one announcement, seen by both replicas' clients")

	// The kill switch, pulled on the other replica, reaches both at once.
	b.gql(t, c, `mutation($id: ID!) { stopCampaign(id: $id) { status } }`, map[string]any{"id": id})
	for p, s := range streams {
		got := next(t, s, p.Name)
		require.Equal(t, "campaign.stopped", got.Type, "%s: the next announcement after the start", p.Name)
		require.Equal(t, "kiosk", b.lobbyVariant(t, p), p.Name)
	}
	require.Equal(t, map[string]int{"campaign.started": 1, "campaign.stopped": 1}, b.logged(t, id))
}

func TestALeaderKilledBeforeTheStartIsReplacedAndTheStartAnnouncedOnce(t *testing.T) {
	t.Parallel()
	b := setup(t)
	a := replicas.Start(t, b.cfg, "a")
	c := replicas.Start(t, b.cfg, "b")
	lead, others := leader(t, a, c)
	follower := others[0]
	s := b.kiosk(t, follower)
	id := b.campaignID(t, follower, "winter-sale")

	start := time.Now().Add(2 * time.Second)
	b.schedule(t, lead, id, start, start.Add(2*time.Second))
	lead.Kill() // SIGKILL: no shutdown, no unlock; the database ends its session

	started := next(t, s, follower.Name)
	require.Equal(t, "campaign.started", started.Type)
	require.False(t, started.Received.Before(start))
	require.True(t, follower.Logged("scheduler: leading"), "the survivor took over")
	ended := next(t, s, follower.Name)
	require.Equal(t, "campaign.ended", ended.Type)
	require.Equal(t, "winter-sale", started.Key)

	// A restarted replica (the killed one coming back) leads once the
	// survivor goes too, and re-reads the same window: nothing twice.
	follower.Stop(10 * time.Second)
	gone := time.Now() // no replica runs: a later watermark is the restart's
	restarted := replicas.Start(t, b.cfg, "a-restarted")
	leader(t, restarted)
	deadline := time.Now().Add(waitTimeout)
	for {
		var mark time.Time
		require.NoError(t, b.pool.QueryRow(t.Context(), `SELECT announced_through FROM scheduler_state`).Scan(&mark))
		if mark.After(gone) {
			break // the restarted leader has completed a round
		}
		require.True(t, time.Now().Before(deadline), "the restarted replica never completed a round")
		time.Sleep(20 * time.Millisecond)
	}
	require.Equal(t, map[string]int{"campaign.started": 1, "campaign.ended": 1}, b.logged(t, id))
	require.False(t, strings.Contains(restarted.Log(), `"msg":"scheduler: announced"`), "the restart announced something again")
}
