package tracing_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/mosaichq/mosaic/internal/tracing"
	"github.com/mosaichq/mosaic/internal/tracing/span"
)

// TestOffCostsNothing: with tracing off Middleware is the handler itself
// and Start hands back the context it got, allocating nothing; logs carry
// no trace ids.
func TestOffCostsNothing(t *testing.T) {
	h := &http.ServeMux{}
	require.Same(t, h, tracing.Middleware(nil, h).(*http.ServeMux))
	ctx := context.Background()
	got, s := span.Start(ctx, "decide")
	require.Equal(t, ctx, got)
	require.False(t, s.IsRecording())
	require.Zero(t, testing.AllocsPerRun(100, func() {
		_, s := span.Start(ctx, "decide")
		s.End()
		tracing.BeginEncode(ctx)
	}))
	var buf bytes.Buffer
	slog.New(tracing.LogHandler(slog.NewTextHandler(&buf, nil))).InfoContext(ctx, "hello")
	require.NotContains(t, buf.String(), "trace_id")
}

// TestChildSpansAndLogs: under a recording span Start makes a child with
// the parent's provider (no global), and a log line made with its
// context names the trace and the span.
func TestChildSpansAndLogs(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	ctx, root := tp.Tracer("test").Start(context.Background(), "root")
	cctx, child := span.Start(ctx, "load")
	var buf bytes.Buffer
	log := slog.New(tracing.LogHandler(slog.NewJSONHandler(&buf, nil))).With("component", "test")
	log.InfoContext(cctx, "loading")
	child.End()
	root.End()

	ended := rec.Ended()
	require.Len(t, ended, 2)
	require.Equal(t, "load", ended[0].Name())
	require.Equal(t, root.SpanContext().SpanID(), ended[0].Parent().SpanID())
	line := buf.String()
	require.Contains(t, line, `"trace_id":"`+root.SpanContext().TraceID().String()+`"`)
	require.Contains(t, line, `"span_id":"`+child.SpanContext().SpanID().String()+`"`)
	require.True(t, strings.Contains(line, `"component":"test"`), "WithAttrs keeps the wrapper")
}
