// Package reqscope is what the server learns of a request once, at its
// door, for code deep inside it: the correlation id (X-Request-Id, for
// logs and the error presenter) and the client's address (as the
// trusted-proxy rules determined it, for the per-address limits). Both
// travel in one context value, so a request pays one context and one
// request copy for them (a cached answer's whole budget is a few dozen
// allocations), and the packages that read one (graph, ratelimit) keep
// their own accessors over it. The door allocates even that context
// with its own per-request state (Carrier).
package reqscope
