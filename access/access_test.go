package access_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/mosaichq/mosaic/access"
	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/internal/testdb"
	"github.com/mosaichq/mosaic/storage/postgres"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.IgnoreTopFunction("github.com/jackc/pgx/v5/pgxpool.(*Pool).backgroundHealthCheck"))
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type testBundle struct {
	pool  *pgxpool.Pool
	clock *clock
	svc   *access.Service
}

func setup(t testing.TB) *testBundle {
	t.Helper()
	pool, _ := testdb.Schema(t)
	b := &testBundle{pool: pool, clock: &clock{t: time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)}}
	b.svc = b.replica(t)
	return b
}

// replica is another process's Service over the same database.
func (b *testBundle) replica(t testing.TB) *access.Service {
	t.Helper()
	svc, err := access.New(access.Config{Store: postgres.New(b.pool).Access(), Channels: []string{"web", "kiosk"},
		Now: b.clock.now, LastUsedInterval: time.Hour})
	require.NoError(t, err)
	t.Cleanup(svc.Stop)
	return svc
}

// TestRevocationAcrossReplicas: the revoking replica refuses the key at
// once; another refuses it once its cached lookup expires (KeyCacheTTL).
func TestRevocationAcrossReplicas(t *testing.T) {
	t.Parallel()
	b := setup(t)
	other := b.replica(t)
	ctx := context.Background()
	key, k, err := b.svc.CreateKey(ctx, "ana", access.KeyInput{Name: "web", Scope: auth.ScopeDelivery, Channels: []string{"web"}})
	require.NoError(t, err)

	for _, s := range []*access.Service{b.svc, other} {
		p, err := s.VerifyContext(ctx, key)
		require.NoError(t, err)
		require.Equal(t, auth.Principal{Subject: "apikey:" + k.ID, Kind: auth.KindAPIKey, TokenID: k.ID, Scope: auth.ScopeDelivery,
			Channels: []string{"web"}}, p)
	}
	_, err = b.svc.RevokeKey(ctx, "ana", k.ID)
	require.NoError(t, err)
	_, err = b.svc.VerifyContext(ctx, key)
	require.ErrorIs(t, err, access.ErrKeyRevoked, "at once where it was revoked")
	_, err = other.VerifyContext(ctx, key)
	require.NoError(t, err, "still cached on the other replica")
	b.clock.add(11 * time.Second)
	_, err = other.VerifyContext(ctx, key)
	require.ErrorIs(t, err, access.ErrKeyRevoked, "within KeyCacheTTL everywhere")
}

func TestKeyExpiryIsCheckedEveryRequest(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	key, _, err := b.svc.CreateKey(ctx, "ana", access.KeyInput{Name: "short", Scope: auth.ScopePreview, ExpiresAt: new(b.clock.now().Add(time.Minute))})
	require.NoError(t, err)
	_, err = b.svc.VerifyContext(ctx, key)
	require.NoError(t, err)
	b.clock.add(time.Minute)
	_, err = b.svc.VerifyContext(ctx, key)
	require.ErrorIs(t, err, access.ErrKeyExpired, "even while the lookup is cached")

	_, err = b.svc.VerifyContext(ctx, "mk_"+string(make([]byte, 43)))
	require.ErrorIs(t, err, auth.ErrAPIKeyMalformed)
	unknown, _, _ := auth.NewAPIKey()
	_, err = b.svc.VerifyContext(ctx, unknown)
	require.ErrorIs(t, err, access.ErrKeyUnknown)
}

// TestLastUsedIsBatched: a thousand uses, one write.
func TestLastUsedIsBatched(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	key, k, err := b.svc.CreateKey(ctx, "ana", access.KeyInput{Name: "web", Scope: auth.ScopeDelivery})
	require.NoError(t, err)
	for range 1000 {
		_, err := b.svc.VerifyContext(ctx, key)
		require.NoError(t, err)
	}
	var used *time.Time
	require.NoError(t, b.pool.QueryRow(ctx, `SELECT last_used_at FROM api_keys WHERE id = $1`, k.ID).Scan(&used))
	require.Nil(t, used)
	b.svc.FlushLastUsed(ctx)
	require.NoError(t, b.pool.QueryRow(ctx, `SELECT last_used_at FROM api_keys WHERE id = $1`, k.ID).Scan(&used))
	require.NotNil(t, used)
	require.True(t, used.Equal(b.clock.now()))

	// Stop writes what is pending (shutdown loses nothing).
	b.clock.add(time.Hour)
	_, err = b.svc.VerifyContext(ctx, key)
	require.NoError(t, err)
	b.svc.Stop()
	b.svc.Stop()
	require.NoError(t, b.pool.QueryRow(ctx, `SELECT last_used_at FROM api_keys WHERE id = $1`, k.ID).Scan(&used))
	require.True(t, used.Equal(b.clock.now()))
}

func TestRecordRedactsSecrets(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	require.NoError(t, b.svc.Record(ctx, access.AuditEntry{Actor: "ana", ActorKind: "editor_token", Action: "updateUser",
		Detail: map[string]any{"input": map[string]any{"password": "hunter2hunter2", "role": "ADMIN"},
			"list": []any{map[string]any{"clientSecret": "s"}}, "accessToken": "t"}}))
	got, more, err := b.svc.Audit(ctx, access.AuditQuery{})
	require.NoError(t, err)
	require.False(t, more)
	require.Len(t, got, 1)
	require.Equal(t, map[string]any{"input": map[string]any{"password": "[redacted]", "role": "ADMIN"},
		"list": []any{map[string]any{"clientSecret": "[redacted]"}}, "accessToken": "[redacted]"}, got[0].Detail)

	require.NoError(t, b.svc.Record(ctx, access.AuditEntry{Actor: "ana", ActorKind: "editor_token", Action: "createEntry",
		Detail: map[string]any{"fields": string(make([]byte, 20_000))}}))
	got, _, err = b.svc.Audit(ctx, access.AuditQuery{First: 1})
	require.NoError(t, err)
	require.Equal(t, true, got[0].Detail["truncated"])
}

func TestUserErrors(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	_, err := b.svc.UpdateUser(ctx, "ana", "not-a-uuid", access.UserUpdate{}, 1)
	require.Equal(t, errs.NotFound, errs.CodeOf(err))
	_, err = b.svc.CreateUser(ctx, "ana", access.UserInput{Email: "a@example.com", Password: "long enough!", Role: "root"})
	require.Equal(t, errs.BadUserInput, errs.CodeOf(err))
	_, err = b.svc.Login(ctx, "a@example.com", "x", "127.0.0.1")
	require.Equal(t, errs.ServiceUnavailable, errs.CodeOf(err), "no Tokens: no login")
}

// BenchmarkVerifyAPIKey is the per-request cost of an API key on the hot
// path: format check, SHA-256, cache hit, expiry check, last-use note.
func BenchmarkVerifyAPIKey(b *testing.B) {
	bb := setup(b)
	key, _, err := bb.svc.CreateKey(context.Background(), "bench", access.KeyInput{Name: "bench", Scope: auth.ScopeDelivery})
	require.NoError(b, err)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := bb.svc.VerifyContext(ctx, key); err != nil {
				b.Fatal(err)
			}
		}
	})
}
