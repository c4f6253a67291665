// Package span starts child spans for domain code (delivery's load and
// decide) with nothing but OpenTelemetry's trace API: no exporter, no
// HTTP. The domain may import it; the exporter, the request middleware and
// the log handler stay in internal/tracing, which only the adapters and
// the app's wiring know.
package span

import (
	"context"

	"go.opentelemetry.io/otel/trace"
)

// Scope names Mosaic's instrumentation in exported spans.
const Scope = "github.com/mosaichq/mosaic"

// Start starts a child span of the one in ctx. Without a recording span
// there it returns ctx and that (non-recording) span: no allocation, so
// untraced requests pay nothing.
func Start(ctx context.Context, name string) (context.Context, trace.Span) {
	parent := trace.SpanFromContext(ctx)
	if !parent.IsRecording() {
		return ctx, parent
	}
	return parent.TracerProvider().Tracer(Scope).Start(ctx, name)
}
