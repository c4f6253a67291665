// Package server assembles Mosaic's HTTP surface: /graphql and /graphiql,
// the operator endpoints /healthz, /readyz and /metrics, and the middleware
// every request passes (request IDs, metrics, authentication, security
// headers). It wires; it decides nothing.
package server
