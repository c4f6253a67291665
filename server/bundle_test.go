package server_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/bundle"
	"github.com/mosaichq/mosaic/graph"
	"github.com/mosaichq/mosaic/internal/testapp"
)

// Screen bundles: signed, verified with the published key, frames that
// switch exactly at a campaign's start and end, a half-open horizon,
// ETag/304, key rotation. The clock is injected; nothing sleeps.

func (a *campaignApp) bundle(t *testing.T, query, etag string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, a.URL+"/screens/lobby/bundle?"+query, nil)
	require.NoError(t, err)
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, body
}

func publishedKeys(t *testing.T, app *testapp.App) bundle.KeySet {
	t.Helper()
	resp, err := http.Get(app.URL + "/.well-known/mosaic-bundle-keys.json")
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var set bundle.KeySet
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&set))
	return set
}

func decodeBundle(t *testing.T, doc []byte) bundle.Bundle {
	t.Helper()
	var b bundle.Bundle
	require.NoError(t, json.Unmarshal(doc, &b), string(doc))
	return b
}

// heroCampaign is the campaign the lobby hero's decision names in f.
func heroCampaign(f bundle.Frame) string {
	for _, b := range f.Content.Blocks {
		if b.ID == "lobby-hero" {
			return b.Decision.Campaign
		}
	}
	return "?"
}

func TestScreenBundleSignedAndSwitchesAtStart(t *testing.T) {
	app := newCampaignApp(t)
	app.release(t)
	app.schedule(t, switchStart, switchEnd)

	resp, doc := app.bundle(t, "channel=kiosk&device=kiosk&locale=en", "")
	require.Equal(t, http.StatusOK, resp.StatusCode, string(doc))
	keys := publishedKeys(t, app.App)
	require.NoError(t, bundle.Verify(doc, keys), "verifies with the published key")
	for _, i := range []int{10, len(doc) / 2, len(doc) - 120} {
		bad := append([]byte(nil), doc...)
		bad[i] ^= 0x01
		require.Error(t, bundle.Verify(bad, keys), "one byte tampered at %d", i)
	}

	b := decodeBundle(t, doc)
	require.Equal(t, switchBase, b.GeneratedAt)
	require.Equal(t, switchBase.Add(bundle.DefaultHorizon), b.ExpiresAt)
	require.Equal(t, `"`+b.Version+`"`, resp.Header.Get("ETag"))
	require.Len(t, b.Frames, 3, "before, during and after the campaign")
	require.Equal(t, switchBase, b.Frames[0].ValidFrom)
	require.Equal(t, switchStart, b.Frames[0].ValidUntil)
	require.Equal(t, switchStart, b.Frames[1].ValidFrom, "the switch is exactly at startsAt")
	require.Equal(t, switchEnd, b.Frames[1].ValidUntil)
	require.Equal(t, switchEnd, b.Frames[2].ValidFrom)
	require.Equal(t, b.ExpiresAt, b.Frames[2].ValidUntil)
	require.Empty(t, heroCampaign(b.Frames[0]))
	require.Equal(t, "winter-sale", heroCampaign(b.Frames[1]))
	require.Equal(t, "Winter sale lobby", b.Frames[1].Content.Fields["title"], "the release publishes at startsAt")
	require.NotEqual(t, "Winter sale lobby", b.Frames[0].Content.Fields["title"])
	require.Empty(t, heroCampaign(b.Frames[2]))

	// Cache-Control is bounded by the next transition.
	age, err := strconv.Atoi(strings.TrimPrefix(strings.Split(resp.Header.Get("Cache-Control"), ",")[0], "max-age="))
	require.NoError(t, err, resp.Header.Get("Cache-Control"))
	require.Positive(t, age)
	require.LessOrEqual(t, age, int(switchStart.Sub(switchBase)/time.Second))

	// The same content a little later: same version, 304.
	app.clock.Add(time.Minute)
	resp2, body := app.bundle(t, "channel=kiosk&device=kiosk&locale=en", resp.Header.Get("ETag"))
	require.Equal(t, http.StatusNotModified, resp2.StatusCode)
	require.Empty(t, body)
	// At startsAt the first frame is gone: a new version.
	app.clock.Set(switchStart)
	resp3, doc3 := app.bundle(t, "channel=kiosk&device=kiosk&locale=en", resp.Header.Get("ETag"))
	require.Equal(t, http.StatusOK, resp3.StatusCode)
	require.NotEqual(t, resp.Header.Get("ETag"), resp3.Header.Get("ETag"))
	b3 := decodeBundle(t, doc3)
	require.Equal(t, "winter-sale", heroCampaign(b3.Frames[0]))
	// Frame keys survive the passing of a frame: the sale frame has the
	// same key in both bundles, so a screen still on the first one is
	// recognised as showing the current content.
	require.Len(t, b3.Frames, 2)
	require.Equal(t, b.Frames[1].Key, b3.Frames[0].Key)
	require.Equal(t, b.Frames[2].Key, b3.Frames[1].Key)
	require.NotEqual(t, b.Frames[0].Key, b.Frames[1].Key)
	require.NotEqual(t, b.Frames[0].Key, b.Frames[2].Key, "the same content before and after, but the first is followed by the sale")
	require.NoError(t, bundle.Verify(doc3, keys))

	// Over GraphQL GET, the answer is cached no longer than the first
	// frame either (here: the campaign's end).
	get := app.Get("", "/graphql?query="+url.QueryEscape(`{ screenBundle(screen: "lobby", channel: "kiosk", device: "kiosk", locale: "en") { version } }`))
	require.Empty(t, get.Errors, get.Raw)
	cc := get.Header.Get("Cache-Control")
	require.Contains(t, cc, "max-age=")
	gage, err := strconv.Atoi(strings.SplitN(strings.TrimPrefix(cc[strings.Index(cc, "max-age="):], "max-age="), ",", 2)[0])
	require.NoError(t, err, cc)
	require.LessOrEqual(t, gage, int(switchEnd.Sub(switchStart)/time.Second), cc)
	require.Equal(t, switchEnd.Format(time.RFC3339Nano), get.Header.Get("X-Mosaic-Next-Transition"))

	// GraphQL serves the same document.
	gq := app.Query("", `{ screenBundle(screen: "lobby", channel: "kiosk", device: "kiosk", locale: "en") {
		version keyId signature expiresAt json frames assets } }`, nil)
	require.Empty(t, gq.Errors, gq.Raw)
	js := testapp.Path(gq.Data, "screenBundle", "json").(string)
	require.NoError(t, bundle.Verify([]byte(js), keys))
	require.Equal(t, b3.Version, testapp.Path(gq.Data, "screenBundle", "version"))
	require.Equal(t, keys.Keys[0].Kid, testapp.Path(gq.Data, "screenBundle", "keyId"))
}

// A transition exactly at now+horizon is outside the bundle (the horizon
// is half-open); one a millisecond earlier is inside.
func TestScreenBundleHorizonEdge(t *testing.T) {
	app := newCampaignApp(t)
	start := switchBase.Add(bundle.DefaultHorizon)
	app.schedule(t, start, start.Add(time.Hour))

	_, doc := app.bundle(t, "channel=kiosk&locale=en", "")
	b := decodeBundle(t, doc)
	require.Equal(t, start, b.ExpiresAt)
	require.Len(t, b.Frames, 1, "the start at exactly now+horizon is excluded")
	require.Empty(t, heroCampaign(b.Frames[0]))

	app.clock.Add(time.Millisecond)
	_, doc = app.bundle(t, "channel=kiosk&locale=en", "")
	b = decodeBundle(t, doc)
	require.Len(t, b.Frames, 2, "1 ms before the horizon is included")
	require.Equal(t, start, b.Frames[1].ValidFrom)
	require.Equal(t, start.Add(time.Millisecond), b.Frames[1].ValidUntil)
	require.Equal(t, "winter-sale", heroCampaign(b.Frames[1]))

	// A shorter horizon leaves it out again.
	_, doc = app.bundle(t, "channel=kiosk&locale=en&horizon=24", "")
	require.Len(t, decodeBundle(t, doc).Frames, 1)
}

func TestScreenBundleBadInput(t *testing.T) {
	app := newCampaignApp(t)
	for _, c := range []struct {
		path, code string
		status     int
	}{
		{"/screens/nope/bundle", "NOT_FOUND", http.StatusNotFound},
		{"/screens/lobby/bundle?channel=fax", "BAD_USER_INPUT", http.StatusBadRequest},
		{"/screens/lobby/bundle?device=toaster", "BAD_USER_INPUT", http.StatusBadRequest},
		{"/screens/lobby/bundle?horizon=0", "BAD_USER_INPUT", http.StatusBadRequest},
		{"/screens/lobby/bundle?horizon=337", "BAD_USER_INPUT", http.StatusBadRequest},
		{"/screens/lobby/bundle?horizon=two", "BAD_USER_INPUT", http.StatusBadRequest},
		{"/screens/lobby/bundle?locale=xx", "BAD_USER_INPUT", http.StatusBadRequest},
	} {
		resp := app.Get("", c.path)
		require.Equal(t, c.status, resp.Status, c.path+": "+resp.Raw)
		require.Equal(t, c.code, resp.Code(), "errors[0].extensions.code, as in GraphQL: "+c.path)
		require.NotEmpty(t, resp.Errors[0].Message, c.path)
	}
	for q, code := range map[string]string{
		`{ screenBundle(screen: "nope") { version } }`:                  "NOT_FOUND",
		`{ screenBundle(screen: "lobby", channel: "fax") { version } }`: "BAD_USER_INPUT",
		`{ screenBundle(screen: "lobby", horizon: 400) { version } }`:   "BAD_USER_INPUT",
	} {
		resp := app.Query("", q, nil)
		require.Equal(t, code, resp.Code(), q+": "+resp.Raw)
	}
}

func TestScreenBundleKeyRotation(t *testing.T) {
	old, err := bundle.NewSigner(testapp.BundleSeed)
	require.NoError(t, err)
	oldSet := old.PublicKeys()
	prev, err := bundle.ParsePublicKeys(oldSet.Keys[0].X)
	require.NoError(t, err)
	cur, err := bundle.NewSigner([]byte("rotated-bundle-seed-of-32-bytes!"), prev...)
	require.NoError(t, err)
	app := testapp.New(t, testapp.Options{BundleSigner: cur})

	keys := publishedKeys(t, app)
	require.Len(t, keys.Keys, 2, "the new key and the previous one")
	require.Equal(t, cur.KeyID(), keys.Keys[0].Kid)
	require.Equal(t, old.KeyID(), keys.Keys[1].Kid)
	resp := app.Get("", "/screens/lobby/bundle?channel=kiosk")
	require.Equal(t, http.StatusOK, resp.Status, resp.Raw)
	require.Equal(t, cur.KeyID(), decodeBundle(t, []byte(resp.Raw)).KeyID, "new bundles use the new key")
	require.NoError(t, bundle.Verify([]byte(resp.Raw), keys))
}

// With public delivery off, the GET URL needs a credential like GraphQL.
func TestScreenBundleNeedsKeyWhenDeliveryIsPrivate(t *testing.T) {
	limits := graph.DefaultLimits()
	limits.RequireAPIKey = true
	app := testapp.New(t, testapp.Options{Limits: &limits})
	resp := app.Get("", "/screens/lobby/bundle?channel=kiosk")
	require.Equal(t, http.StatusUnauthorized, resp.Status, resp.Raw)
	require.Contains(t, resp.Raw, `"code":"UNAUTHENTICATED"`)
	resp = app.Get(app.Token(auth.RoleViewer), "/screens/lobby/bundle?channel=kiosk")
	require.Equal(t, http.StatusOK, resp.Status, resp.Raw)
	resp = app.Get("garbage-token", "/screens/lobby/bundle?channel=kiosk")
	require.Equal(t, http.StatusUnauthorized, resp.Status, resp.Raw)
}
