package delivery_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/delivery"
	"github.com/mosaichq/mosaic/errs"
)

// refusing is a verifier that refuses every credential with err.
type refusing struct{ err error }

func (v refusing) Verify(string) (auth.Principal, error) { return auth.Principal{}, v.err }

func callers(t *testing.T) map[string]context.Context {
	t.Helper()
	bg := context.Background()
	return map[string]context.Context{
		"anonymous":   bg,
		"expired":     auth.Authenticate(bg, refusing{errs.E(errs.Unauthenticated, "token expired")}, "x"),
		"outage":      auth.Authenticate(bg, refusing{errs.E(errs.ServiceUnavailable, "the database is unavailable")}, "x"),
		"delivery":    auth.WithPrincipal(bg, auth.Principal{Subject: "k1", Kind: auth.KindAPIKey, Scope: auth.ScopeDelivery}),
		"preview-key": auth.WithPrincipal(bg, auth.Principal{Subject: "k2", Kind: auth.KindAPIKey, Scope: auth.ScopePreview}),
		"kiosk-key": auth.WithPrincipal(bg, auth.Principal{Subject: "k3", Kind: auth.KindAPIKey, Scope: auth.ScopeDelivery,
			Channels: []string{"kiosk"}}),
		"two-channel-key": auth.WithPrincipal(bg, auth.Principal{Subject: "k4", Kind: auth.KindAPIKey, Scope: auth.ScopeDelivery,
			Channels: []string{"kiosk", "iot"}}),
		"editor": auth.WithPrincipal(bg, auth.Principal{Subject: "ed", Kind: auth.KindEditorToken, Role: auth.RoleEditor}),
	}
}

// TestAuthorize is the one API-key rule: a refused credential is never
// read as anonymous (and an outage stays retryable), and anonymous callers
// are refused only when public delivery is off.
func TestAuthorize(t *testing.T) {
	t.Parallel()
	ctx := callers(t)
	for _, tc := range []struct {
		caller     string
		requireKey bool
		code       errs.Code // "" for allowed
	}{
		{"anonymous", false, ""},
		{"anonymous", true, errs.Unauthenticated},
		{"expired", false, errs.Unauthenticated},
		{"expired", true, errs.Unauthenticated},
		{"outage", false, errs.ServiceUnavailable},
		{"outage", true, errs.ServiceUnavailable},
		{"delivery", true, ""},
		{"kiosk-key", true, ""},
		{"editor", true, ""},
	} {
		err := delivery.Policy{RequireAPIKey: tc.requireKey}.Authorize(ctx[tc.caller])
		if tc.code == "" {
			require.NoError(t, err, "%s, requireKey=%v", tc.caller, tc.requireKey)
			continue
		}
		require.Equal(t, tc.code, errs.CodeOf(err), "%s, requireKey=%v: %v", tc.caller, tc.requireKey, err)
	}
}

func TestChannel(t *testing.T) {
	t.Parallel()
	ctx := callers(t)
	for _, tc := range []struct {
		caller, asked, want string
		code                errs.Code
		msg                 string
	}{
		{caller: "anonymous", asked: "", want: ""},
		{caller: "anonymous", asked: "web", want: "web"},
		{caller: "delivery", asked: "kiosk", want: "kiosk"},
		{caller: "kiosk-key", asked: "", want: "kiosk"},
		{caller: "kiosk-key", asked: "kiosk", want: "kiosk"},
		{caller: "kiosk-key", asked: "web", code: errs.Forbidden, msg: `may not be used on channel "web" (allowed: kiosk)`},
		{caller: "two-channel-key", asked: "", code: errs.Forbidden, msg: "limited to channels kiosk, iot: set context.channel to one of them"},
		{caller: "two-channel-key", asked: "iot", want: "iot"},
	} {
		got, err := delivery.Channel(ctx[tc.caller], tc.asked, "context.channel")
		if tc.code != "" {
			require.Equal(t, tc.code, errs.CodeOf(err), "%s asking %q", tc.caller, tc.asked)
			require.ErrorContains(t, err, tc.msg)
			continue
		}
		require.NoError(t, err)
		require.Equal(t, tc.want, got, "%s asking %q", tc.caller, tc.asked)
	}
}

func TestPreview(t *testing.T) {
	t.Parallel()
	ctx := callers(t)
	for caller, code := range map[string]errs.Code{
		"anonymous": errs.Forbidden, "delivery": errs.Forbidden, "kiosk-key": errs.Forbidden,
		"expired": errs.Unauthenticated, "outage": errs.ServiceUnavailable,
		"preview-key": "", "editor": "",
	} {
		err := delivery.Preview(ctx[caller])
		if code == "" {
			require.NoError(t, err, caller)
			continue
		}
		require.Equal(t, code, errs.CodeOf(err), "%s: %v", caller, err)
	}
}

// TestRequestContext: at and preview need the preview permission; the
// key's channel and the request's instant are applied; consent defaults
// to true.
func TestRequestContext(t *testing.T) {
	t.Parallel()
	ctx := callers(t)
	svc := &delivery.Service{}
	q := svc.NewRequest()
	at := time.Date(2027, 11, 28, 0, 0, 0, 0, time.UTC)

	_, err := q.Context(ctx["delivery"], delivery.Input{At: &at})
	require.Equal(t, errs.Forbidden, errs.CodeOf(err))
	_, err = q.Context(ctx["anonymous"], delivery.Input{Preview: true})
	require.Equal(t, errs.Forbidden, errs.CodeOf(err))
	travel, preview, _ := q.Shape()
	require.False(t, travel || preview, "a refused context marks nothing")

	c, err := q.Context(ctx["kiosk-key"], delivery.Input{VisitorID: "v1"})
	require.NoError(t, err)
	require.Equal(t, "kiosk", c.Channel)
	require.True(t, c.Purposes.All(), "nothing sent: every purpose")
	require.Equal(t, q.Now(), c.At, "the request's one instant")
	c, err = q.Context(ctx["kiosk-key"], delivery.Input{VisitorID: "v1", Purposes: []string{"storage"}, GPC: true})
	require.NoError(t, err)
	require.Equal(t, "storage;gpc", c.Purposes.String())
	_, err = q.Context(ctx["kiosk-key"], delivery.Input{Purposes: []string{"ads"}})
	require.Equal(t, errs.BadUserInput, errs.CodeOf(err), "an unknown purpose")
	bad := "not-a-tc-string"
	_, err = q.Context(ctx["kiosk-key"], delivery.Input{TCF: &bad})
	require.Equal(t, errs.BadUserInput, errs.CodeOf(err), "a TCF string that does not decode")

	no := false
	c, err = q.Context(ctx["editor"], delivery.Input{At: &at, Consent: &no})
	require.NoError(t, err)
	require.Equal(t, at, c.At)
	require.Equal(t, "none", c.Purposes.String())
	travel, _, _ = q.Shape()
	require.True(t, travel, "time travel marks the answer private")

	drafts, err := q.Drafts(ctx["delivery"], true)
	require.Equal(t, errs.Forbidden, errs.CodeOf(err))
	require.False(t, drafts)
	drafts, err = q.Drafts(ctx["preview-key"], true)
	require.NoError(t, err)
	require.True(t, drafts)
}

func TestMaxAge(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		until time.Time
		limit time.Duration
		want  time.Duration
	}{
		{time.Time{}, time.Minute, time.Minute},
		{now.Add(30 * time.Second), time.Minute, 29 * time.Second},
		{now.Add(1500 * time.Millisecond), time.Minute, 0},
		{now.Add(2500 * time.Millisecond), time.Minute, time.Second},
		{now.Add(time.Hour), time.Minute, time.Minute},
		{now.Add(-time.Second), time.Minute, 0},
	} {
		require.Equal(t, tc.want, delivery.MaxAge(now, tc.until, tc.limit), "until %s", tc.until)
	}
	require.Equal(t, "7-0", delivery.FormatEpoch(7, time.Time{}))
	require.Equal(t, "7-1796551200000", delivery.FormatEpoch(7, time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)))
}
