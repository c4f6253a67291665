package model

import (
	"errors"
	"fmt"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/mosaichq/mosaic/errs"
)

// ErrScalar marks a value that is not of its scalar's form: the client's
// mistake, found while gqlgen coerces arguments and variables, before any
// resolver runs. The error presenter adds the input path it was found at
// (the message cannot know it: scalars are parsed without a context).
var ErrScalar = errors.New("malformed scalar value")

// scalarError is BAD_USER_INPUT saying what was sent and what is expected.
func scalarError(scalar, expected string, v any) error {
	return errs.Wrap(errs.BadUserInput, ErrScalar, "expected %s %s, got %s", article(scalar), expected, describe(v))
}

func article(s string) string {
	if s == "ID" || s == "Upload" {
		return "an " + s
	}
	return "a " + s
}

// describe names a bad value briefly: strings quoted (cut when long),
// anything else by its JSON kind, so a message never echoes a whole body.
func describe(v any) string {
	switch x := v.(type) {
	case string:
		if len(x) > 40 {
			x = x[:40] + "…"
		}
		return fmt.Sprintf("%q", x)
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	if s := fmt.Sprint(v); len(s) <= 40 {
		return s
	}
	return "a number"
}

// dateTimeForm is the one form a DateTime takes on input, as the schema's
// description says.
const dateTimeForm = `in RFC 3339 form with a time zone, e.g. "2026-12-01T09:00:00Z" or "2026-12-01T11:00:00+02:00"`

// MarshalDateTime writes an instant in RFC 3339 (null for the zero time).
func MarshalDateTime(t time.Time) graphql.Marshaler { return graphql.MarshalTime(t) }

// UnmarshalDateTime reads an RFC 3339 instant. Unlike gqlgen's own Time,
// a date alone, a time without a zone or an empty string is refused as
// BAD_USER_INPUT instead of being read as another instant or none.
func UnmarshalDateTime(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, scalarError("DateTime", dateTimeForm, v)
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, scalarError("DateTime", dateTimeForm, v)
	}
	return t, nil
}

// MarshalID writes an ID as a string.
func MarshalID(s string) graphql.Marshaler { return graphql.MarshalString(s) }

// UnmarshalID reads an ID: a string or an integer, as the GraphQL
// specification allows; lists, objects, floats and booleans are refused
// (gqlgen's own ID would turn 1.5 into "1.500000" and true into "true").
func UnmarshalID(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case int, int64, int32:
		return fmt.Sprint(x), nil
	case float64:
		if x == float64(int64(x)) {
			return fmt.Sprint(int64(x)), nil
		}
	}
	if n, ok := v.(interface{ Int64() (int64, error) }); ok {
		if i, err := n.Int64(); err == nil {
			return fmt.Sprint(i), nil
		}
	}
	return "", scalarError("ID", "(a string or an integer)", v)
}

// MarshalUpload is never used for output; it exists because gqlgen wants
// the pair.
func MarshalUpload(u graphql.Upload) graphql.Marshaler { return graphql.MarshalUpload(u) }

// UnmarshalUpload reads a file part of a multipart request; anything else
// (a string, a JSON object in the variables) is the client's mistake.
func UnmarshalUpload(v any) (graphql.Upload, error) {
	u, err := graphql.UnmarshalUpload(v)
	if err != nil {
		return u, scalarError("Upload", "(a file part of a multipart request, see the GraphQL multipart request spec; variables map it to null)", v)
	}
	return u, nil
}
