package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/mosaichq/mosaic/internal/tracing"
)

// encodeSpan begins the request's "encode" span once the operation has
// its result: the transport's JSON encoding and the write follow. Used
// only when tracing is on (Limits.Tracing), so off it is not in the chain.
type encodeSpan struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = encodeSpan{}

func (encodeSpan) ExtensionName() string                   { return "TracingEncode" }
func (encodeSpan) Validate(graphql.ExecutableSchema) error { return nil }

func (encodeSpan) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	tracing.BeginEncode(ctx)
	return resp
}
