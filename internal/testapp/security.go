package testapp

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"testing"

	"github.com/mosaichq/mosaic/access"
	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/personalization"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// newAccess is the instance's users, API keys and audit log. Passwords use
// argon2id's cheapest sane cost: the format and checks are the real ones.
func newAccess(t testing.TB, store *postgres.Store, tokens *auth.Tokens, opts Options, log *slog.Logger) *access.Service {
	t.Helper()
	cfg := access.Config{Store: store.Access(), Tokens: tokens, Channels: personalization.DefaultRegistry().Channels,
		Password: auth.PasswordParams{Memory: 8 * 1024, Time: 1, Threads: 1}, Now: opts.Now, Logger: log}
	if opts.Access != nil {
		opts.Access(&cfg)
	}
	svc, err := access.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	svc.Start()
	t.Cleanup(svc.Stop)
	return svc
}

// APIKey creates an API key with scope (limited to channels, if any) and
// returns it.
func (a *App) APIKey(scope auth.Scope, channels ...string) string {
	a.t.Helper()
	key, _, err := a.Access.CreateKey(context.Background(), "test", access.KeyInput{Name: "test " + string(scope), Scope: scope, Channels: channels})
	if err != nil {
		a.t.Fatal(err)
	}
	return key
}

// User creates a local user and returns its id.
func (a *App) User(email, password string, role auth.Role) string {
	a.t.Helper()
	u, err := a.Access.CreateUser(context.Background(), "test", access.UserInput{Email: email, Password: password, Role: role})
	if err != nil {
		a.t.Fatal(err)
	}
	return u.ID
}

// QueryKey POSTs a GraphQL request with an X-API-Key header.
func (a *App) QueryKey(key, query string, vars map[string]any) Response {
	a.t.Helper()
	req := a.request(query, vars)
	req.Header.Set(auth.APIKeyHeader, key)
	return a.Do(req, "")
}

func (a *App) request(query string, vars map[string]any) *http.Request {
	a.t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		a.t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, a.URL+"/graphql", bytes.NewReader(body))
	if err != nil {
		a.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	return req
}
