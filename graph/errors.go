package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/graph/model"
	"github.com/mosaichq/mosaic/internal/reqscope"
)

// WithRequestID stores the request ID in ctx, so internal errors can be
// found in the logs from what the client saw. The server sets it with the
// client's address in one value (reqscope.With).
func WithRequestID(ctx context.Context, id string) context.Context {
	return reqscope.WithID(ctx, id)
}

// RequestID returns the request ID stored in ctx.
func RequestID(ctx context.Context) string {
	return reqscope.From(ctx).ID
}

// gqlgen's own codes for documents that do not parse or validate: both are
// the client's mistake.
var gqlgenCodes = map[string]errs.Code{
	"GRAPHQL_PARSE_FAILED":          errs.BadUserInput,
	"GRAPHQL_VALIDATION_FAILED":     errs.BadUserInput,
	"PERSISTED_QUERY_NOT_FOUND":     errs.NotFound,
	"PERSISTED_QUERY_NOT_SUPPORTED": errs.BadUserInput,
	"COMPLEXITY_LIMIT_EXCEEDED":     errs.QueryTooComplex,
}

// gqlgenUncoded are gqlgen's request errors that carry no code at all
// (automatic persisted queries); all are the client's mistake.
var gqlgenUncoded = map[string]bool{"invalid APQ extension data": true, "unsupported APQ version": true,
	"provided APQ hash does not match query": true}

// ownCodes are the codes Mosaic's own gqlerrors may carry already.
var ownCodes = map[errs.Code]bool{errs.BadUserInput: true, errs.QueryTooComplex: true, errs.Forbidden: true, errs.Unauthenticated: true, errs.RateLimited: true}

// presentError gives every error one shape: a safe message and
// extensions.code. Domain errors keep their message and field details;
// anything unexpected is logged with the request ID and shown as
// "internal error", never with its cause.
func presentError(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		out := graphql.DefaultErrorPresenter(ctx, err)
		if e, ok := errs.As(errs.Unavailable(err, "the database")); ok {
			if e.Code == errs.ServiceUnavailable {
				unavailable(ctx, log, e)
			}
			out.Message = e.Message
			out.Extensions = map[string]any{"code": string(e.Code)}
			if errors.Is(err, model.ErrScalar) {
				placeScalarError(ctx, out, e)
			}
			if len(e.Fields) > 0 {
				out.Extensions["fields"] = e.Fields
			}
			if e.Code == errs.Internal {
				log.ErrorContext(ctx, "internal error", "error", err, "request_id", RequestID(ctx))
				out.Message = "internal error"
			}
			return out
		}
		var gerr *gqlerror.Error
		if errors.As(err, &gerr) && gerr.Extensions != nil {
			if orig, ok := gerr.Extensions["code"].(string); ok {
				if code, known := gqlgenCodes[orig]; known {
					out.Extensions = map[string]any{"code": string(code), "reason": orig}
					return out
				}
				if ownCodes[errs.Code(orig)] {
					// Made by Mosaic's own extensions (limits.go) with details
					// such as the computed cost and the limit: keep them.
					return out
				}
			}
		}
		if errors.As(err, &gerr) && gerr.Err == nil && gqlgenUncoded[gerr.Message] {
			out.Extensions = map[string]any{"code": string(errs.BadUserInput)}
			return out
		}
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			out.Message = "request cancelled or timed out"
			out.Extensions = map[string]any{"code": string(errs.ServiceUnavailable)}
			retryLater(ctx)
			return out
		}
		log.ErrorContext(ctx, "internal error", "error", err, "request_id", RequestID(ctx))
		out.Message = "internal error"
		out.Extensions = map[string]any{"code": string(errs.Internal), "requestId": RequestID(ctx)}
		return out
	}
}

// recoverPanic turns a resolver panic into an internal error, with the
// stack in the log and nothing of it in the response.
func recoverPanic(log *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		log.ErrorContext(ctx, "panic in resolver", "panic", fmt.Sprint(p), "stack", string(debug.Stack()),
			"request_id", RequestID(ctx))
		return errs.E(errs.Internal, "internal error")
	}
}

// unavailable is the one place an outage answer is made: Retry-After for
// the client, a warning (not an error: not a bug of ours) for the logs.
func unavailable(ctx context.Context, log *slog.Logger, e *errs.Error) {
	retryLater(ctx)
	if e.Cause != nil {
		log.WarnContext(ctx, "a dependency is unavailable", "error", e.Cause, "request_id", RequestID(ctx))
	}
}

// retryAfterSeconds is what an outage answer asks clients to wait.
const retryAfterSeconds = "5"

// retryLater sets Retry-After on the response.
func retryLater(ctx context.Context) { setHeader(ctx, "Retry-After", retryAfterSeconds) }
