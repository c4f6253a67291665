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
