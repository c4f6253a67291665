// Package server assembles Mosaic's HTTP surface: /graphql and /graphiql,
// the operator endpoints /healthz, /readyz and /metrics (unless hidden:
// MOSAIC_METRICS), the middleware every request passes (the door: request
// IDs, client addresses, security headers on every answer but a 304;
// metrics, authentication, rate limits), and answers in the GraphQL
// error shape for unknown routes (404) and methods (405). It wires; it
// decides nothing.
package server
