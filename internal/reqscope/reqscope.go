package reqscope

import "context"

// Scope is what a request carries. It is written before the request's
// context is derived from it and read-only afterwards.
type Scope struct {
	ID       string // the request's correlation id
	ClientIP string // the client's address
}

type key struct{}

// With returns ctx carrying s.
func With(ctx context.Context, s *Scope) context.Context {
	return context.WithValue(ctx, key{}, s)
}

// From is the scope ctx carries, or the zero Scope.
func From(ctx context.Context) Scope {
	if s, ok := ctx.Value(key{}).(*Scope); ok {
		return *s
	}
	return Scope{}
}

// WithID returns ctx carrying s's client address with id as the request
// id (a caller that has only one of the two, such as a test).
func WithID(ctx context.Context, id string) context.Context {
	s := From(ctx)
	s.ID = id
	return With(ctx, &s)
}

// WithClientIP returns ctx carrying s's request id with ip as the
// client's address.
func WithClientIP(ctx context.Context, ip string) context.Context {
	s := From(ctx)
	s.ClientIP = ip
	return With(ctx, &s)
}

// Carrier is a context carrying a Scope: a caller that allocates a
// per-request struct anyway embeds one and passes its address as the
// request's context, instead of a context.WithValue of its own (one
// allocation fewer per request, at the door of every one).
type Carrier struct {
	context.Context
	Scope Scope
}

// Value is the Scope for this package's key, the parent's value for any
// other (cancellation and deadlines are the parent's too).
func (c *Carrier) Value(k any) any {
	if k == (key{}) {
		return &c.Scope
	}
	return c.Context.Value(k)
}
