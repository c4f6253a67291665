// Package tracing is Mosaic's OpenTelemetry tracing: an OTLP/HTTP exporter
// when MOSAIC_OTEL_ENDPOINT (or the standard OTEL_EXPORTER_OTLP_ENDPOINT)
// names a collector, and nothing at all otherwise.
//
// A traced GraphQL request is one tree: the request's server span (which
// continues a caller's W3C traceparent), with "load" (reading published
// content) and "decide" (personalization decisions) spans under it from
// delivery, and "encode" (from the operation's result to the response
// written: JSON encoding and the write) from graph.
//
// Off is the default and must cost nothing on the hot path: no tracer
// provider is built, Middleware returns the handler it was given, and
// Start only looks for a recording span in the context — there is none, so
// it returns the context unchanged without allocating. Nothing is global:
// child spans take the tracer of their parent, so tests (and two apps in
// one process) don't share a provider.
//
// LogHandler adds trace_id and span_id to every log record made with a
// context inside a span, so a log line leads to its trace.
package tracing
