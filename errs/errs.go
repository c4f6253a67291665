// Package errs gives every layer one error shape: a machine-readable code,
// a message that is safe to show a client, optional per-field details, and
// the wrapped cause (never shown to clients).
//
// Domain packages return *errs.Error (or wrap one); the GraphQL error
// presenter maps Code to extensions.code. Anything that is not an *errs.Error
// is an internal error: logged with the request ID, shown as "internal error".
package errs

import (
	"errors"
	"fmt"
)

// Code is the client-visible error class; the values match extensions.code.
type Code string

const (
	BadUserInput       Code = "BAD_USER_INPUT"
	Unauthenticated    Code = "UNAUTHENTICATED"
	Forbidden          Code = "FORBIDDEN"
	NotFound           Code = "NOT_FOUND"
	Conflict           Code = "CONFLICT"
	QueryTooComplex    Code = "QUERY_TOO_COMPLEX"
	RateLimited        Code = "RATE_LIMITED"
	Internal           Code = "INTERNAL"
	ServiceUnavailable Code = "SERVICE_UNAVAILABLE"
)

// FieldError names one invalid input field. Path is dotted ("fields.title",
// "blocks.2.fields.url") so editors can put the message next to the input.
type FieldError struct {
	Path    string `json:"path"`
	Message string `json:"message"`
}

// Error is the one error type that crosses layer boundaries.
type Error struct {
	Code    Code
	Message string
	Fields  []FieldError
	Cause   error
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("%s: %s", e.Code, e.Message)
	for _, f := range e.Fields {
		msg += fmt.Sprintf("; %s: %s", f.Path, f.Message)
	}
	if e.Cause != nil {
		msg += ": " + e.Cause.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Cause }

// Is makes errors.Is(err, errs.E(errs.NotFound, "")) style checks unnecessary:
// compare codes with CodeOf instead. Is matches sentinels with the same code
// and message so package-level sentinels work with errors.Is.
func (e *Error) Is(target error) bool {
	var t *Error
	if !errors.As(target, &t) {
		return false
	}
	return t.Code == e.Code && t.Message == e.Message
}

// E builds an error with a code and a client-safe message.
func E(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap builds an error with a code and message that keeps cause for logs.
func Wrap(code Code, cause error, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Cause: cause}
}

// Invalid builds a BAD_USER_INPUT error listing field problems.
func Invalid(message string, fields ...FieldError) *Error {
	return &Error{Code: BadUserInput, Message: message, Fields: fields}
}

// CodeOf returns the code of the first *Error in err's chain, or Internal.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// As returns the first *Error in err's chain.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
