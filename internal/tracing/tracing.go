package tracing

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"

	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/mosaichq/mosaic/internal/tracing/span"
)

// Provider exports spans; nil is tracing off.
type Provider = *sdktrace.TracerProvider

// Setup builds the exporting provider for endpoint, an OTLP/HTTP
// collector's base URL (http://collector:4318; /v1/traces is added when the
// URL has no path) or, with useEnv, the standard OTEL_EXPORTER_OTLP_*
// variables the exporter reads itself. Shut the provider down to flush.
func Setup(ctx context.Context, endpoint string, useEnv bool, version string) (Provider, error) {
	var opts []otlptracehttp.Option
	if !useEnv {
		u, err := url.Parse(endpoint)
		if err != nil {
			return nil, fmt.Errorf("tracing: endpoint %q: %w", endpoint, err)
		}
		if u.Path == "" || u.Path == "/" {
			u.Path = "/v1/traces"
		}
		opts = append(opts, otlptracehttp.WithEndpointURL(u.String()))
	}
	exp, err := otlptracehttp.New(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("tracing: the OTLP exporter: %w", err)
	}
	res := resource.NewSchemaless(semconv.ServiceName("mosaic"), semconv.ServiceVersion(version))
	return sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res),
		sdktrace.WithSampler(sdktrace.ParentBased(sdktrace.AlwaysSample()))), nil
}

var propagator = propagation.TraceContext{}

// Middleware starts a server span per request, continuing a caller's
// traceparent. With a nil provider it is next itself: no wrapper at all.
func Middleware(p Provider, next http.Handler) http.Handler {
	if p == nil {
		return next
	}
	tracer := p.Tracer(span.Scope)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := propagator.Extract(r.Context(), propagation.HeaderCarrier(r.Header))
		ctx, span := tracer.Start(ctx, "HTTP "+r.Method, trace.WithSpanKind(trace.SpanKindServer),
			trace.WithAttributes(semconv.HTTPRequestMethodKey.String(r.Method), semconv.URLPath(r.URL.Path)))
		defer span.End()
		enc := &encoding{}
		rec := &statusWriter{ResponseWriter: w, code: http.StatusOK}
		next.ServeHTTP(rec, r.WithContext(context.WithValue(ctx, encodingKey{}, enc)))
		if enc.span != nil {
			enc.span.End()
		}
		span.SetAttributes(semconv.HTTPResponseStatusCode(rec.code))
	})
}

// encoding holds the request's "encode" span, begun by graph once the
// operation has its result and ended by Middleware once the handler
// returned (the response is written).
type encoding struct{ span trace.Span }

type encodingKey struct{}

// BeginEncode starts the request's "encode" span: the result is complete,
// what follows is encoding and writing it. Nothing when not tracing.
func BeginEncode(ctx context.Context) {
	enc, _ := ctx.Value(encodingKey{}).(*encoding)
	if enc == nil || enc.span != nil {
		return
	}
	_, enc.span = span.Start(ctx, "encode")
}

type statusWriter struct {
	http.ResponseWriter
	code int
}

func (s *statusWriter) WriteHeader(code int) {
	s.code = code
	s.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach Flush for streaming responses.
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// LogHandler adds trace_id and span_id to records logged with a context
// inside a span.
func LogHandler(h slog.Handler) slog.Handler { return logHandler{h} }

type logHandler struct{ slog.Handler }

func (l logHandler) Handle(ctx context.Context, r slog.Record) error {
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
		r.AddAttrs(slog.String("trace_id", sc.TraceID().String()), slog.String("span_id", sc.SpanID().String()))
	}
	return l.Handler.Handle(ctx, r)
}

func (l logHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return logHandler{l.Handler.WithAttrs(as)}
}
func (l logHandler) WithGroup(name string) slog.Handler { return logHandler{l.Handler.WithGroup(name)} }
