package server_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/bundle"
	"github.com/mosaichq/mosaic/content"
)

// A screen bundle is built once per request and state: kiosks asking in
// the same state share one build (the same generatedAt), and any change —
// a publish, a campaign write, the first frame's end, CacheFor — builds
// it anew, so a cached bundle is never one a fresh build would not give.
func TestScreenBundleBuiltOncePerState(t *testing.T) {
	app := newCampaignApp(t)
	get := func() bundle.Bundle {
		t.Helper()
		resp, doc := app.bundle(t, "channel=kiosk&device=kiosk&locale=en", "")
		require.Equal(t, http.StatusOK, resp.StatusCode, string(doc))
		return decodeBundle(t, doc)
	}
	first := get()
	require.Equal(t, switchBase, first.GeneratedAt)
	app.clock.Set(switchBase.Add(10 * time.Second))
	again := get()
	require.Equal(t, first.GeneratedAt, again.GeneratedAt, "the same state: built once")
	require.Equal(t, first.Version, again.Version)

	// A publish moves the state: rebuilt at once, with the new title.
	ctx := t.Context()
	lobby, err := app.Content.Entry(ctx, "screen", "lobby", "en")
	require.NoError(t, err)
	d, err := app.Content.Draft(ctx, lobby.ID, "en")
	require.NoError(t, err)
	d.Fields["title"] = "Lobby, republished"
	d2, err := app.Content.UpdateEntry(ctx, "test", d.ID, "en", content.EntryPatch{Fields: d.Fields}, d.Version)
	require.NoError(t, err)
	_, err = app.Content.PublishEntry(ctx, "test", d2.ID, "en", nil)
	require.NoError(t, err)
	require.Eventually(t, func() bool { return get().GeneratedAt.Equal(switchBase.Add(10 * time.Second)) },
		10*time.Second, 10*time.Millisecond, "the publish is seen by the next request")
	published := get()
	require.Equal(t, "Lobby, republished", published.Frames[0].Content.Fields["title"])
	require.NotEqual(t, first.Version, published.Version)

	// A campaign write moves it too.
	app.clock.Set(switchBase.Add(20 * time.Second))
	app.schedule(t, switchStart, switchEnd)
	require.Eventually(t, func() bool { return len(get().Frames) == 3 }, 10*time.Second, 10*time.Millisecond,
		"the schedule is seen by the next request")
	require.Equal(t, switchBase.Add(20*time.Second), get().GeneratedAt)

	// The first frame ends at the start: asked at the start, it is rebuilt.
	app.clock.Set(switchStart)
	atStart := get()
	require.Equal(t, switchStart, atStart.GeneratedAt)
	require.Equal(t, "winter-sale", heroCampaign(atStart.Frames[0]))

	// And none is served for longer than CacheFor.
	app.clock.Set(switchStart.Add(bundle.CacheFor - time.Millisecond))
	require.Equal(t, switchStart, get().GeneratedAt)
	app.clock.Set(switchStart.Add(bundle.CacheFor))
	require.Equal(t, switchStart.Add(bundle.CacheFor), get().GeneratedAt)
}
