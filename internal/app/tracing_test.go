package app_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	collectortrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/mosaichq/mosaic/internal/app"
	"github.com/mosaichq/mosaic/internal/config"
	"github.com/mosaichq/mosaic/internal/seed"
	"github.com/mosaichq/mosaic/internal/testdb"
)

// otlpReceiver is an OTLP/HTTP collector in the test: it decodes the
// exporter's protobuf requests and keeps the spans.
type otlpReceiver struct {
	mu    sync.Mutex
	spans []*tracepb.Span
}

func (o *otlpReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil || r.URL.Path != "/v1/traces" || r.Header.Get("Content-Type") != "application/x-protobuf" {
		http.Error(w, "not an OTLP/HTTP protobuf trace export", http.StatusBadRequest)
		return
	}
	var req collectortrace.ExportTraceServiceRequest
	if err := proto.Unmarshal(body, &req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	o.mu.Lock()
	for _, rs := range req.ResourceSpans {
		for _, ss := range rs.ScopeSpans {
			o.spans = append(o.spans, ss.Spans...)
		}
	}
	o.mu.Unlock()
	out, _ := proto.Marshal(&collectortrace.ExportTraceServiceResponse{})
	w.Header().Set("Content-Type", "application/x-protobuf")
	_, _ = w.Write(out)
}

// TestTracingSpanTree: with MOSAIC_OTEL_ENDPOINT set, one personalized
// GraphQL request is exported as one tree continuing the caller's
// traceparent: the request's server span, and under it load (content
// read) before decide (personalization), then encode (the response
// written). Spans of other traces (none here) and spans outside the
// request do not join the tree.
func TestTracingSpanTree(t *testing.T) {
	t.Parallel()
	recv := &otlpReceiver{}
	collector := httptest.NewServer(recv)
	defer collector.Close()

	_, dbURL := testdb.Schema(t)
	cfg, err := config.Parse(flag.NewFlagSet("test", flag.ContinueOnError),
		[]string{"--database-url", dbURL, "--data-dir", t.TempDir(), "--public-delivery", "true", "--otel-endpoint", collector.URL},
		func(string) string { return "" })
	require.NoError(t, err)
	a, err := app.Open(context.Background(), cfg, []byte(strings.Repeat("s", 32)), slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	t.Cleanup(a.Close)
	srv := httptest.NewServer(a.Handler())
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	require.NoError(t, a.Search.WaitReady(ctx))
	_, err = seed.Run(ctx, a.Content, a.Experience, slog.New(slog.DiscardHandler))
	require.NoError(t, err)

	const traceID, callerSpan = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
	body, err := json.Marshal(map[string]any{
		"query":     `query($ctx: ExperienceContext) { entry(slug: "home", type: "page", context: $ctx) { id decisionId } }`,
		"variables": map[string]any{"ctx": map[string]any{"segments": []any{"vip"}, "channel": "web", "visitorId": "v-1"}}})
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/graphql", bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("traceparent", "00-"+traceID+"-"+callerSpan+"-01")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, string(raw))
	require.NotContains(t, string(raw), `"errors"`)

	srv.Close()
	a.Close() // flushes the batch to the collector

	recv.mu.Lock()
	defer recv.mu.Unlock()
	byName := map[string][]*tracepb.Span{}
	for _, s := range recv.spans {
		require.Equal(t, traceID, hex.EncodeToString(s.TraceId), "span %q is in the caller's trace", s.Name)
		byName[s.Name] = append(byName[s.Name], s)
	}
	require.Len(t, byName["HTTP POST"], 1, "one server span per request: %v", names(recv.spans))
	root := byName["HTTP POST"][0]
	require.Equal(t, callerSpan, hex.EncodeToString(root.ParentSpanId), "continues the caller's traceparent")
	require.Equal(t, tracepb.Span_SPAN_KIND_SERVER, root.Kind)
	for _, name := range []string{"load", "decide", "encode"} {
		require.NotEmpty(t, byName[name], "a %s span: %v", name, names(recv.spans))
		for _, s := range byName[name] {
			require.Equal(t, root.SpanId, s.ParentSpanId, "%s is a child of the request", name)
			require.GreaterOrEqual(t, s.StartTimeUnixNano, root.StartTimeUnixNano)
			require.LessOrEqual(t, s.EndTimeUnixNano, root.EndTimeUnixNano)
		}
	}
	load, decide, encode := byName["load"][0], byName["decide"][0], byName["encode"][0]
	require.LessOrEqual(t, load.EndTimeUnixNano, decide.StartTimeUnixNano, "content is read, then decided")
	require.Len(t, byName["encode"], 1)
	require.LessOrEqual(t, decide.EndTimeUnixNano, encode.StartTimeUnixNano, "decided, then encoded")
}

func names(spans []*tracepb.Span) []string {
	var out []string
	for _, s := range spans {
		out = append(out, s.Name)
	}
	return out
}
