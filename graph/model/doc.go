// Package model holds the GraphQL-facing types that wrap domain values, and
// the scalars (JSON, DateTime, ID, Upload): each refuses a malformed value
// as BAD_USER_INPUT marked ErrScalar, never as an internal error. gqlgen binds schema types to these by name (autobind);
// everything else it generates into models_gen.go.
package model
