// Package model holds the GraphQL-facing types that wrap domain values, and
// the JSON scalar. gqlgen binds schema types to these by name (autobind);
// everything else it generates into models_gen.go.
package model
