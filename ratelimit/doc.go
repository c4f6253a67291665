// Package ratelimit keeps one token bucket (golang.org/x/time/rate) per key —
// an API key, an editor, a client IP, a login email — in a bounded LRU, and
// says how long a refused caller should wait (for Retry-After).
//
// Buckets live in process memory: with N replicas behind a balancer a
// client gets up to N times the rate, which is fine for abuse protection
// (the goal is that no single client can take a replica down), and needs no
// shared store on the hot path.
package ratelimit
