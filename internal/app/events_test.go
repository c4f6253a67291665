package app_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/access"
	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/ssetest"
	"github.com/mosaichq/mosaic/internal/testdb"
)

// /events under `mosaic serve` defaults (public delivery off): a stream
// needs a credential, and an API key limited to channels follows only
// those channels — the stream of another channel would tell it when that
// channel's campaigns start and what changed there.
func TestEventStreamCredentials(t *testing.T) {
	t.Parallel()
	_, dbURL := testdb.Schema(t)
	r := startReplica(t, dbURL, t.TempDir())
	ctx := context.Background()
	kiosk, _, err := r.app.Access.CreateKey(ctx, "test", access.KeyInput{Name: "lobby", Scope: auth.ScopeDelivery, Channels: []string{"kiosk"}})
	require.NoError(t, err)
	two, _, err := r.app.Access.CreateKey(ctx, "test", access.KeyInput{Name: "stores", Scope: auth.ScopeDelivery, Channels: []string{"kiosk", "web"}})
	require.NoError(t, err)
	unlimited, _, err := r.app.Access.CreateKey(ctx, "test", access.KeyInput{Name: "all", Scope: auth.ScopeDelivery})
	require.NoError(t, err)

	for _, c := range []struct {
		name, query, key string
		status           int
		message          string
	}{
		{"anonymous", "?channel=kiosk", "", http.StatusUnauthorized, "an API key is required"},
		{"unknown key", "?channel=kiosk", "mk_nope", http.StatusUnauthorized, ""},
		{"limited key, no channel: its own", "", kiosk, http.StatusOK, ""},
		{"key of two channels, no channel", "", two, http.StatusForbidden, "limited to channels kiosk, web"},
		{"limited key, other channel", "?channel=web", kiosk, http.StatusForbidden, `may not be used on channel "web"`},
		{"limited key, its channel", "?channel=kiosk&screen=lobby", kiosk, http.StatusOK, ""},
		{"unlimited key, every channel", "", unlimited, http.StatusOK, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := http.Header{}
			if c.key != "" {
				h.Set("X-API-Key", c.key)
			}
			s, err := ssetest.Dial(t.Context(), r.url+"/events"+c.query, h)
			if c.status == http.StatusOK {
				require.NoError(t, err)
				s.Close()
				return
			}
			var se *ssetest.StatusError
			require.True(t, errors.As(err, &se), "%v", err)
			require.Equal(t, c.status, se.Code, se.Body)
			require.Contains(t, strings.TrimSpace(se.Body), c.message)
		})
	}
}
