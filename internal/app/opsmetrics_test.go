package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/mosaichq/mosaic/internal/app"
	"github.com/mosaichq/mosaic/internal/config"
	"github.com/mosaichq/mosaic/internal/seed"
	"github.com/mosaichq/mosaic/internal/testdb"
)

// TestOpsMetricsCoverDashboardAndAlerts: every metric the example Grafana
// dashboard and the Prometheus alert rules (deploy/) name is exported by a
// running Mosaic's /metrics — a renamed metric breaks this test, not an
// operator's pager. The operator metrics carry what they say: the
// database is ready, the pool has a limit, a decision for an identified
// visitor is counted under the configured keys and never the visitor's id.
func TestOpsMetricsCoverDashboardAndAlerts(t *testing.T) {
	t.Parallel()
	_, dbURL := testdb.Schema(t)
	standby := testdb.NewStandby(t) // the read-replica metrics exist only with one
	cfg, err := config.Parse(flag.NewFlagSet("test", flag.ContinueOnError),
		[]string{"--database-url", dbURL, "--data-dir", t.TempDir(), "--metrics", "true", "--public-delivery", "true",
			"--database-read-urls", standby.URL(dbURL)},
		func(string) string { return "" })
	require.NoError(t, err)
	a, err := app.Open(context.Background(), cfg, []byte(strings.Repeat("s", 32)), slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(func() {
		srv.Close()
		a.Close()
	})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	require.NoError(t, a.Search.WaitReady(ctx))
	_, err = seed.Run(ctx, a.Content, a.Experience, slog.New(slog.DiscardHandler))
	require.NoError(t, err)

	body, err := json.Marshal(map[string]any{
		"query": `query($ctx: ExperienceContext) { entry(slug: "home", type: "page", context: $ctx) { id decisionId } }`,
		"variables": map[string]any{"ctx": map[string]any{"segments": []any{"vip"}, "device": "mobile", "channel": "web",
			"visitorId": "visitor-secret-42"}}})
	require.NoError(t, err)
	resp, err := http.Post(srv.URL+"/graphql", "application/json", bytes.NewReader(body))
	require.NoError(t, err)
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, string(raw))
	require.Contains(t, string(raw), `"decisionId":"`, "an identified visitor's delivery is recorded")

	resp, err = http.Get(srv.URL + "/metrics")
	require.NoError(t, err)
	raw, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	metrics := string(raw)
	exported := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^# TYPE (\S+) `).FindAllStringSubmatch(metrics, -1) {
		exported[m[1]] = true
	}

	names := referencedMetrics(t)
	require.Greater(t, len(names), 10)
	for _, n := range names {
		require.True(t, exported[n], "deploy/ references %s, which /metrics does not export", n)
	}

	require.Regexp(t, `(?m)^mosaic_ready\{check="database"\} 1$`, metrics)
	require.Regexp(t, `(?m)^mosaic_db_pool_connections\{state="max"\} [1-9]`, metrics)
	require.Regexp(t, `(?m)^mosaic_decisions_total\{campaign="[^"]*",experiment="[^"]*",variant="[^"]*"\} [1-9]`, metrics)
	require.Regexp(t, `(?m)^mosaic_campaign_transition_delay_seconds_count\{kind="started"\} `, metrics, "zero series exist before the first transition")
	require.NotContains(t, metrics, "visitor-secret-42", "visitor input never becomes a label")
}

// referencedMetrics lists the metric families the dashboard's and the
// alert rules' expressions use (a histogram's _bucket/_count/_sum are its
// family).
func referencedMetrics(t *testing.T) []string {
	t.Helper()
	var exprs []string
	dash, err := os.ReadFile("../../deploy/grafana/mosaic.json")
	require.NoError(t, err)
	var d struct {
		Panels []struct {
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	require.NoError(t, json.Unmarshal(dash, &d))
	for _, p := range d.Panels {
		for _, tg := range p.Targets {
			exprs = append(exprs, tg.Expr)
		}
	}
	rules, err := os.ReadFile("../../deploy/prometheus/alerts.yaml")
	require.NoError(t, err)
	var r struct {
		Groups []struct {
			Rules []struct {
				Expr string `yaml:"expr"`
			} `yaml:"rules"`
		} `yaml:"groups"`
	}
	require.NoError(t, yaml.Unmarshal(rules, &r))
	for _, g := range r.Groups {
		for _, rule := range g.Rules {
			require.NotEmpty(t, rule.Expr)
			exprs = append(exprs, rule.Expr)
		}
	}
	var out []string
	for _, e := range exprs {
		for _, n := range regexp.MustCompile(`\bmosaic_[a-z0-9_]+`).FindAllString(e, -1) {
			if strings.HasSuffix(n, "_bucket") || strings.HasSuffix(n, "_count") || strings.HasSuffix(n, "_sum") {
				n = n[:strings.LastIndex(n, "_")]
			}
			if !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
	}
	return out
}
