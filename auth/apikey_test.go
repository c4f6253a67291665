package auth

import (
	"context"
	"crypto/sha256"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/errs"
)

func TestNewAPIKey(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 100 {
		key, hash, display := NewAPIKey()
		require.True(t, strings.HasPrefix(key, "mk_"))
		require.Len(t, key, 46)
		require.False(t, seen[key])
		seen[key] = true
		require.Equal(t, KeyHash(sha256.Sum256([]byte(key))), hash)
		require.Equal(t, key[:11], display)

		got, err := HashAPIKey(key)
		require.NoError(t, err)
		require.Equal(t, hash, got)
	}
}

func TestHashAPIKeyRefusesMalformed(t *testing.T) {
	t.Parallel()
	key, _, _ := NewAPIKey()
	for _, bad := range []string{
		"", "mk_", key[:45], key + "A", "xk_" + key[3:], strings.ToUpper(key[:3]) + key[3:],
		key[:20] + "!" + key[21:], key[:20] + "=" + key[21:], key[:10] + "\n" + key[11:],
		"eyJhbGciOiJIUzI1NiJ9.e30.sig",
	} {
		_, err := HashAPIKey(bad)
		require.ErrorIs(t, err, ErrAPIKeyMalformed, "%q", bad)
		require.Equal(t, errs.Unauthenticated, errs.CodeOf(err))
	}
}

func TestParseScope(t *testing.T) {
	t.Parallel()
	for _, s := range []Scope{ScopeDelivery, ScopePreview} {
		got, err := ParseScope(string(s))
		require.NoError(t, err)
		require.Equal(t, s, got)
	}
	_, err := ParseScope("admin")
	require.Equal(t, errs.BadUserInput, errs.CodeOf(err))
}

func TestPrincipalChannels(t *testing.T) {
	t.Parallel()
	kiosk := Principal{Kind: KindAPIKey, Scope: ScopeDelivery, Channels: []string{"kiosk"}}
	require.True(t, kiosk.ChannelAllowed("kiosk"))
	require.False(t, kiosk.ChannelAllowed("web"))
	require.False(t, kiosk.ChannelAllowed(""))
	require.True(t, Principal{Kind: KindAPIKey, Scope: ScopeDelivery}.ChannelAllowed("web"), "no channels: any")
	require.True(t, Principal{Kind: KindEditorToken, Role: RoleViewer, Channels: []string{"x"}}.ChannelAllowed("web"), "editors are not channel-bound")
}

// TestRequireAPIKey: a key is FORBIDDEN (not UNAUTHENTICATED) for
// management, and the message says why.
func TestRequireAPIKey(t *testing.T) {
	t.Parallel()
	ctx := WithPrincipal(context.Background(), Principal{Subject: "apikey:1", Kind: KindAPIKey, Scope: ScopePreview})
	require.NoError(t, Require(ctx, PermPreview))
	err := Require(ctx, PermContentWrite)
	require.Equal(t, errs.Forbidden, errs.CodeOf(err))
	require.ErrorContains(t, err, "a preview API key lacks permission content.write")
}

// keyVerifier accepts one key.
type keyVerifier struct{ key string }

func (k keyVerifier) VerifyContext(_ context.Context, token string) (Principal, error) {
	if token != k.key {
		return Principal{}, errs.E(errs.Unauthenticated, "API key not recognised")
	}
	return Principal{Subject: "apikey:1", Kind: KindAPIKey, Scope: ScopeDelivery}, nil
}

func TestMiddlewareAPIKeys(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key, _, _ := NewAPIKey()
	editor, err := b.tokens.Issue("ana", RoleEditor, time.Hour)
	require.NoError(t, err)
	v := Credentials{Tokens: b.tokens, Keys: keyVerifier{key}}

	tests := []struct {
		name          string
		apiKeys, auth []string
		kind          Kind
		wantErr       error
	}{
		{name: "X-API-Key", apiKeys: []string{key}, kind: KindAPIKey},
		{name: "Bearer key", auth: []string{"Bearer " + key}, kind: KindAPIKey},
		{name: "unknown key", apiKeys: []string{"mk_" + strings.Repeat("A", 43)}, wantErr: errs.E(errs.Unauthenticated, "API key not recognised")},
		{name: "JWT in X-API-Key", apiKeys: []string{editor}, wantErr: ErrAPIKeyMalformed},
		{name: "both headers", apiKeys: []string{key}, auth: []string{"Bearer " + editor}, wantErr: ErrCredentials},
		{name: "two keys", apiKeys: []string{key, key}, wantErr: ErrCredentials},
		{name: "editor still works", auth: []string{"Bearer " + editor}, kind: KindEditorToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := Middleware(v, http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
				p, ok := FromContext(r.Context())
				require.Equal(t, tt.kind != "", ok)
				require.Equal(t, tt.kind, p.Kind)
				if tt.wantErr != nil {
					require.ErrorIs(t, ErrorFromContext(r.Context()), tt.wantErr)
				}
			}))
			req := httptest.NewRequest(http.MethodPost, "/graphql", nil)
			for _, k := range tt.apiKeys {
				req.Header.Add("X-API-Key", k)
			}
			for _, a := range tt.auth {
				req.Header.Add("Authorization", a)
			}
			h.ServeHTTP(httptest.NewRecorder(), req)
		})
	}
}

func BenchmarkHashAPIKey(b *testing.B) {
	key, _, _ := NewAPIKey()
	for b.Loop() {
		_, _ = HashAPIKey(key)
	}
}
