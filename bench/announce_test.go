package bench

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/replicas"
	"github.com/mosaichq/mosaic/internal/ssetest"
	"github.com/mosaichq/mosaic/internal/testdb"
)

// Campaign announcements over real processes (issue 4): two `mosaic serve`
// replicas on one database, a kiosk stream on each. Every iteration
// schedules 20 campaigns starting 250 ms apart and measures, per replica,
// the delay from each startsAt to the campaign.started event arriving on
// the stream, and the skew between the two replicas' arrivals.
//
//	go run ./internal/tools/testenv -- go test ./bench -run '^$' -bench CampaignAnnouncement -benchtime 1x
func BenchmarkCampaignAnnouncement(b *testing.B) {
	const (
		campaigns = 20
		spacing   = 250 * time.Millisecond
		lead      = 2 * time.Second // from scheduling to the first start
	)
	_, url := testdb.Schema(b)
	secret := "bench-secret-bench-secret-bench-secret!!"
	cfg := replicas.Config{Bin: replicas.Build(b), DatabaseURL: url, Secret: secret}
	procs := []*replicas.Process{replicas.Start(b, cfg, "a"), replicas.Start(b, cfg, "b")}
	tokens, err := auth.NewTokens(auth.Config{Secret: []byte(secret)})
	require.NoError(b, err)
	token, err := tokens.Issue("bench", auth.RoleAdmin, time.Hour)
	require.NoError(b, err)
	var streams []*ssetest.Stream
	for _, p := range procs {
		s, err := ssetest.Dial(b.Context(), p.URL+"/events?type=campaign.started",
			http.Header{"Authorization": {"Bearer " + token}})
		require.NoError(b, err)
		b.Cleanup(s.Close)
		f, err := s.NextEvent(time.Minute)
		require.NoError(b, err)
		require.Equal(b, "ready", f.Event)
		streams = append(streams, s)
	}

	var delays, skews []time.Duration
	b.ResetTimer()
	for round := range b.N {
		base := time.Now().Add(lead)
		for i := range campaigns {
			data, err := procs[i%2].GraphQL(b.Context(), token, `mutation($in: CreateCampaignInput!) { createCampaign(input: $in) { id } }`,
				map[string]any{"in": map[string]any{"key": fmt.Sprintf("bench-%d-%d", round, i), "name": "bench"}})
			require.NoError(b, err)
			start := base.Add(time.Duration(i) * spacing)
			_, err = procs[i%2].GraphQL(b.Context(), token, `mutation($id: ID!, $s: DateTime!, $e: DateTime!) {
				scheduleCampaign(id: $id, startsAt: $s, endsAt: $e) { id } }`, map[string]any{
				"id": data["createCampaign"].(map[string]any)["id"], "s": start.UTC().Format(time.RFC3339Nano),
				"e": start.Add(time.Hour).UTC().Format(time.RFC3339Nano)})
			require.NoError(b, err)
		}
		arrived := make([]map[string]time.Time, len(streams))
		for r, s := range streams {
			arrived[r] = map[string]time.Time{}
			for range campaigns {
				f, err := s.NextEvent(lead + campaigns*spacing + time.Minute)
				require.NoError(b, err)
				var env struct {
					Data struct {
						Campaign struct{ Key string }
						At       time.Time
					}
				}
				require.NoError(b, json.Unmarshal([]byte(f.Data), &env))
				_, dup := arrived[r][env.Data.Campaign.Key]
				require.False(b, dup, "announced twice: %s", env.Data.Campaign.Key)
				arrived[r][env.Data.Campaign.Key] = f.At
				delays = append(delays, f.At.Sub(env.Data.At))
			}
		}
		for key, a := range arrived[0] {
			skews = append(skews, (a.Sub(arrived[1][key])).Abs())
		}
	}
	b.StopTimer()
	report(b, "delay", delays)
	report(b, "skew", skews)
}

// report adds p50, p99 and max of ds in milliseconds to the benchmark's line.
func report(b *testing.B, name string, ds []time.Duration) {
	slices.Sort(ds)
	at := func(q float64) float64 {
		return float64(ds[min(len(ds)-1, int(q*float64(len(ds))))]) / float64(time.Millisecond)
	}
	b.ReportMetric(at(0.50), name+"-p50-ms")
	b.ReportMetric(at(0.99), name+"-p99-ms")
	b.ReportMetric(at(1), name+"-max-ms")
	b.ReportMetric(0, "ns/op") // wall time per round is set by the schedule, not by Mosaic
}
