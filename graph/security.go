package graph

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/mosaichq/mosaic/access"
	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/graph/model"
	"github.com/mosaichq/mosaic/ratelimit"
)

type headerKey struct{}

// responseHeaders lets resolvers and the error presenter set response
// headers (Retry-After). gqlgen writes the response after resolving, so
// the headers are still unsent; fields resolve concurrently, hence the
// lock.
type responseHeaders struct {
	mu sync.Mutex
	h  http.Header
}

func withResponseHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), headerKey{}, &responseHeaders{h: w.Header()})))
	})
}

// setHeader sets a response header of the request in ctx, if reachable.
func setHeader(ctx context.Context, k, v string) {
	if rh, ok := ctx.Value(headerKey{}).(*responseHeaders); ok {
		rh.mu.Lock()
		rh.h.Set(k, v)
		rh.mu.Unlock()
	}
}

// retryAfter sets Retry-After when err is a rate-limit refusal.
func retryAfter(ctx context.Context, err error) {
	var rl *access.RateLimitError
	if errors.As(err, &rl) {
		setHeader(ctx, "Retry-After", strconv.Itoa(ratelimit.RetryAfterSeconds(rl.RetryAfter)))
	}
}

func (r *Resolver) accessService() (*access.Service, error) {
	if r.Access == nil {
		return nil, errs.E(errs.ServiceUnavailable, "users, API keys and the audit log are not configured on this server")
	}
	return r.Access, nil
}

// accessAs checks perm and returns the access service with the acting
// subject: the preamble of every user, key and audit resolver.
func (r *Resolver) accessAs(ctx context.Context, perm auth.Permission) (*access.Service, string, error) {
	actor, err := requireActor(ctx, perm)
	if err != nil {
		return nil, "", err
	}
	svc, err := r.accessService()
	return svc, actor, err
}

func roleIn(r model.Role) auth.Role { return auth.Role(strings.ToLower(string(r))) }

func roleOut(r auth.Role) model.Role { return model.Role(strings.ToUpper(string(r))) }

// Scopes are spelled events.write in the API key and EVENTS_WRITE in the schema.
func scopeOut(s auth.Scope) model.APIKeyScope {
	return model.APIKeyScope(strings.ToUpper(strings.ReplaceAll(string(s), ".", "_")))
}

func scopeIn(s model.APIKeyScope) auth.Scope {
	return auth.Scope(strings.ToLower(strings.ReplaceAll(string(s), "_", ".")))
}

func userOut(u access.User) *model.User {
	return &model.User{ID: u.ID, Email: u.Email, Role: roleOut(u.Role), Disabled: u.Disabled, Version: u.Version,
		CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt, UpdatedBy: u.UpdatedBy, LastLoginAt: u.LastLoginAt}
}

func keyOut(k access.APIKey) *model.APIKey {
	out := &model.APIKey{ID: k.ID, Name: k.Name, Prefix: k.Prefix, Scope: scopeOut(k.Scope), Channels: k.Channels,
		ExpiresAt: k.ExpiresAt, RevokedAt: k.RevokedAt, LastUsedAt: k.LastUsedAt, Version: k.Version,
		CreatedAt: k.CreatedAt, CreatedBy: k.CreatedBy}
	if k.RevokedBy != "" {
		out.RevokedBy = &k.RevokedBy
	}
	if out.Channels == nil {
		out.Channels = []string{}
	}
	return out
}

func principalOut(p auth.Principal) *model.Principal {
	out := &model.Principal{Subject: p.Subject, Kind: string(p.Kind), Permissions: []string{}}
	if p.Kind == auth.KindAPIKey {
		s := scopeOut(p.Scope)
		out.Scope = &s
	} else {
		r := roleOut(p.Role)
		out.Role = &r
	}
	for _, perm := range auth.Permissions() {
		if p.Can(perm) {
			out.Permissions = append(out.Permissions, string(perm))
		}
	}
	if !p.ExpiresAt.IsZero() {
		out.ExpiresAt = &p.ExpiresAt
	}
	return out
}

func auditOut(e access.AuditEntry) *model.AuditEntry {
	return &model.AuditEntry{ID: strconv.FormatInt(e.ID, 10), At: e.At, Actor: e.Actor, ActorKind: e.ActorKind,
		ActorRole: e.ActorRole, Action: e.Action, EntityType: e.EntityType, EntityID: e.EntityID,
		BeforeVersion: e.BeforeVersion, AfterVersion: e.AfterVersion, RequestID: e.RequestID, Detail: e.Detail}
}

func auditQuery(first *int, after *string, f *model.AuditFilter) (access.AuditQuery, error) {
	n, err := pageSize(first, access.DefaultAuditFirst, access.MaxAuditFirst)
	if err != nil {
		return access.AuditQuery{}, err
	}
	q := access.AuditQuery{First: n}
	if after != nil && *after != "" {
		id, err := strconv.ParseInt(*after, 10, 64)
		if err != nil || id < 1 {
			return q, errs.Invalid("after is not a cursor from auditLog", errs.FieldError{Path: "after", Message: "invalid cursor"})
		}
		q.Before = id
	}
	if f != nil {
		q.Actor, q.Action, q.EntityID, q.Since, q.Until = deref(f.Actor), deref(f.Action), deref(f.EntityID), f.Since, f.Until
	}
	return q, nil
}

func keyInput(in model.CreateAPIKeyInput) access.KeyInput {
	return access.KeyInput{Name: in.Name, Scope: scopeIn(in.Scope),
		Channels: slices.Clone(in.Channels), ExpiresAt: in.ExpiresAt}
}
