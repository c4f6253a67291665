package server_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/internal/testapp"
)

// The campaign switch, with an injected clock and no sleeps: reads at
// startsAt−1ms, startsAt, endsAt−1ms and endsAt on web, app and kiosk,
// through POST and through GET with a persisted query, with every cache
// warm from the read before — never a stale variant, never a stale release,
// and every response says how long it stays true.

var (
	switchBase  = time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	switchStart = switchBase.Add(10 * time.Minute)
	switchEnd   = switchStart.Add(30 * time.Minute)
)

const switchQuery = `query($slug: String!, $type: String!, $ctx: ExperienceContext) {
  entry(slug: $slug, type: $type, context: $ctx) {
    id fields
    blocks { id fields decision { variant reason campaign { key status } } }
  }
}`

// campaignApp is the demo with the winter-sale campaign's release holding
// a new lobby title and a new headline for the shared promo block.
type campaignApp struct {
	*testapp.App
	clock    *testapp.Clock
	campaign string // winter-sale's id
	editor   string
}

func newCampaignApp(t *testing.T, options ...func(*testapp.Options)) *campaignApp {
	t.Helper()
	clock := testapp.NewClock(switchBase)
	opts := testapp.Options{Now: clock.Now}
	for _, o := range options {
		o(&opts)
	}
	app := &campaignApp{App: testapp.New(t, opts), clock: clock}
	app.editor = app.Token(auth.RoleEditor)
	resp := app.Query(app.editor, `{ campaign(key: "winter-sale") { id status } }`, nil)
	require.Empty(t, resp.Errors, resp.Raw)
	require.Equal(t, "DRAFT", testapp.Path(resp.Data, "campaign", "status"), "the demo campaign starts as a draft")
	app.campaign = testapp.Path(resp.Data, "campaign", "id").(string)
	return app
}

// release puts new copy in the drafts of lobby (en) and the promo (en) and
// adds both to winter-sale's release.
func (a *campaignApp) release(t *testing.T) {
	t.Helper()
	ctx := t.Context()
	for _, e := range []struct{ typ, slug, field, value string }{
		{"screen", "lobby", "title", "Winter sale lobby"},
		{"promo", "free-shipping", "headline", "Winter sale: free shipping on everything"},
	} {
		r, err := a.Content.Entry(ctx, e.typ, e.slug, "en")
		require.NoError(t, err)
		d, err := a.Content.Draft(ctx, r.ID, "en")
		require.NoError(t, err)
		d.Fields[e.field] = e.value
		_, err = a.Content.UpdateEntry(ctx, "test", d.ID, "en", content.EntryPatch{Fields: d.Fields}, d.Version)
		require.NoError(t, err)
		resp := a.Query(a.editor, `mutation($c: ID!, $e: ID!) { addToRelease(campaignId: $c, entryId: $e) { releaseSize } }`,
			map[string]any{"c": a.campaign, "e": d.ID})
		require.Empty(t, resp.Errors, resp.Raw)
	}
}

func (a *campaignApp) schedule(t *testing.T, start, end time.Time) {
	t.Helper()
	resp := a.Query(a.editor, `mutation($id: ID!, $s: DateTime!, $e: DateTime!) {
		scheduleCampaign(id: $id, startsAt: $s, endsAt: $e) { status startsAt endsAt } }`,
		map[string]any{"id": a.campaign, "s": start, "e": end})
	require.Empty(t, resp.Errors, resp.Raw)
	require.Equal(t, "SCHEDULED", testapp.Path(resp.Data, "scheduleCampaign", "status"))
}

// persisted registers q for GET with its APQ hash and returns the hash.
func (a *campaignApp) persisted(t *testing.T, q string, vars map[string]any) string {
	t.Helper()
	sum := sha256.Sum256([]byte(q))
	hash := hex.EncodeToString(sum[:])
	body, err := json.Marshal(map[string]any{"query": q, "variables": vars,
		"extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}}})
	require.NoError(t, err)
	resp := a.Post("", "application/json", body)
	require.Empty(t, resp.Errors, resp.Raw)
	return hash
}

// getPersisted runs a persisted query over GET, with If-None-Match when
// etag is set.
func (a *campaignApp) getPersisted(t *testing.T, hash string, vars map[string]any, etag string) testapp.Response {
	t.Helper()
	v, err := json.Marshal(vars)
	require.NoError(t, err)
	ext := `{"persistedQuery":{"version":1,"sha256Hash":"` + hash + `"}}`
	req, err := http.NewRequest(http.MethodGet, a.URL+"/graphql?extensions="+url.QueryEscape(ext)+"&variables="+url.QueryEscape(string(v)), nil)
	require.NoError(t, err)
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	return a.Do(req, "")
}

func TestCampaignSwitchZeroSkew(t *testing.T) {
	t.Parallel()
	app := newCampaignApp(t)
	app.release(t)
	app.schedule(t, switchStart, switchEnd)
	hash := app.persisted(t, switchQuery, map[string]any{"slug": "home", "type": "page"})

	steps := []struct {
		name      string
		at        time.Time
		live      bool
		released  bool
		next      time.Time // zero: none
		maxAge    string
		lastEpoch string
	}{
		{"startsAt-1ms", switchStart.Add(-time.Millisecond), false, false, switchStart, "public, max-age=0, s-maxage=0, stale-if-error=86400", ""},
		{"startsAt", switchStart, true, true, switchEnd, "public, max-age=60, s-maxage=60, stale-if-error=86400", ""},
		{"endsAt-1ms", switchEnd.Add(-time.Millisecond), true, true, switchEnd, "public, max-age=0, s-maxage=0, stale-if-error=86400", ""},
		{"endsAt", switchEnd, false, true, time.Time{}, "public, max-age=60, s-maxage=60, stale-if-error=86400", ""},
	}
	pages := []struct{ slug, typ, hero, promo string }{
		{"home", "page", "hero", "promo"},
		{"lobby", "screen", "lobby-hero", "lobby-promo"},
	}
	epochs := map[string]bool{}
	for _, step := range steps {
		app.clock.Set(step.at)
		for _, channel := range []string{"web", "app", "kiosk"} {
			for _, page := range pages {
				vars := map[string]any{"slug": page.slug, "type": page.typ, "ctx": map[string]any{"channel": channel}}
				for _, transport := range []string{"POST", "GET"} {
					name := step.name + " " + channel + " " + page.slug + " " + transport
					var resp testapp.Response
					if transport == "POST" {
						resp = app.Query("", switchQuery, vars)
					} else {
						resp = app.getPersisted(t, hash, vars, "")
					}
					require.Equal(t, http.StatusOK, resp.Status, name+": "+resp.Raw)
					hero := block(t, resp, page.hero)
					if step.live {
						require.Equal(t, "winter-sale", testapp.Path(hero, "decision", "variant"), name)
						require.Equal(t, "live campaign winter-sale (priority 10)", testapp.Path(hero, "decision", "reason"), name)
						require.Equal(t, "LIVE", testapp.Path(hero, "decision", "campaign", "status"), name)
					} else {
						require.NotEqual(t, "winter-sale", testapp.Path(hero, "decision", "variant"), name)
						require.Nil(t, testapp.Path(hero, "decision", "campaign"), name)
					}
					headline := testapp.Path(block(t, resp, page.promo), "fields", "headline")
					if step.released {
						require.Equal(t, "Winter sale: free shipping on everything", headline, name)
					} else {
						require.Equal(t, "Free shipping on orders over €50", headline, name)
					}
					if page.slug == "lobby" {
						want := "Lobby display"
						if step.released {
							want = "Winter sale lobby"
						}
						require.Equal(t, want, testapp.Path(resp.Data, "entry", "fields", "title"), name)
					}
					// Every delivery response says how long it stays true,
					// and what a CDN purges it by: the entry and the campaign
					// its variants name, live or not.
					require.Equal(t, step.maxAge, resp.Header.Get("Cache-Control"), name)
					keys := strings.Fields(resp.Header.Get("Surrogate-Key"))
					require.Subset(t, keys, []string{"mosaic", "entry:" + testapp.Path(resp.Data, "entry", "id").(string),
						"campaign:winter-sale"}, name)
					require.Empty(t, resp.Header.Values("Cache-Tag"), "one key header unless asked for both: %s", name)
					epoch := resp.Header.Get("X-Mosaic-Epoch")
					require.NotEmpty(t, epoch, name)
					require.Equal(t, epoch, resp.Exts["epoch"], name)
					epochs[epoch] = true
					if step.next.IsZero() {
						require.Empty(t, resp.Header.Get("X-Mosaic-Next-Transition"), name)
						require.Nil(t, resp.Exts["nextTransition"], name)
					} else {
						want := step.next.Format(time.RFC3339Nano)
						require.Equal(t, want, resp.Header.Get("X-Mosaic-Next-Transition"), name)
						require.Equal(t, want, resp.Exts["nextTransition"], name)
					}
				}
			}
		}
	}
	require.Len(t, epochs, 3, "the epoch moves at the start and at the end, with no write: %v", epochs)
}

// A kiosk that revalidates with its ETag is answered 304 only while its
// copy is exactly what it would get; at the switch it gets the new screen.
func TestCampaignSwitchETag(t *testing.T) {
	t.Parallel()
	app := newCampaignApp(t)
	app.schedule(t, switchStart, switchEnd)
	vars := map[string]any{"slug": "lobby", "type": "screen", "ctx": map[string]any{"channel": "kiosk", "device": "kiosk"}}
	hash := app.persisted(t, switchQuery, vars)

	app.clock.Set(switchStart.Add(-time.Millisecond))
	before := app.getPersisted(t, hash, vars, "")
	require.Equal(t, "kiosk", testapp.Path(block(t, before, "lobby-hero"), "decision", "variant"))
	etag := before.Header.Get("ETag")
	require.NotEmpty(t, etag)
	same := app.getPersisted(t, hash, vars, etag)
	require.Equal(t, http.StatusNotModified, same.Status, "nothing changed yet")
	require.Empty(t, same.Raw)
	require.Equal(t, switchStart.Format(time.RFC3339Nano), same.Header.Get("X-Mosaic-Next-Transition"))

	// The kiosk refetches at the switch (its event, or its max-age of 0).
	app.clock.Set(switchStart)
	after := app.getPersisted(t, hash, vars, etag)
	require.Equal(t, http.StatusOK, after.Status, "the old ETag must not match at startsAt")
	require.Equal(t, "winter-sale", testapp.Path(block(t, after, "lobby-hero"), "decision", "variant"))
	require.NotEqual(t, etag, after.Header.Get("ETag"))
	again := app.getPersisted(t, hash, vars, after.Header.Get("ETag"))
	require.Equal(t, http.StatusNotModified, again.Status)

	// Stopped: from that instant on, no channel shows the campaign.
	stop := app.Query(app.Token(auth.RolePublisher), `mutation($id: ID!) { stopCampaign(id: $id) { status stoppedAt } }`,
		map[string]any{"id": app.campaign})
	require.Empty(t, stop.Errors, stop.Raw)
	require.Equal(t, "STOPPED", testapp.Path(stop.Data, "stopCampaign", "status"))
	stopped := app.getPersisted(t, hash, vars, after.Header.Get("ETag"))
	require.Equal(t, http.StatusOK, stopped.Status)
	require.Equal(t, "kiosk", testapp.Path(block(t, stopped, "lobby-hero"), "decision", "variant"))
	for _, channel := range []string{"web", "app", "kiosk"} {
		resp := app.Query("", switchQuery, map[string]any{"slug": "home", "type": "page", "ctx": map[string]any{"channel": channel}})
		require.NotEqual(t, "winter-sale", testapp.Path(block(t, resp, "hero"), "decision", "variant"), channel)
	}
}

// Responses for editors (a token) or at another instant are private.
func TestCampaignCacheControlPrivate(t *testing.T) {
	t.Parallel()
	app := newCampaignApp(t)
	app.schedule(t, switchStart, switchEnd)
	viewer := app.Token(auth.RoleViewer)
	resp := app.Query(viewer, switchQuery, map[string]any{"slug": "home", "type": "page"})
	require.Empty(t, resp.Errors, resp.Raw)
	require.Equal(t, "private, no-cache", resp.Header.Get("Cache-Control"))
	mut := app.Query(app.editor, `mutation($id: ID!) { updateCampaign(id: $id, input: {priority: 11}) { priority } }`,
		map[string]any{"id": app.campaign})
	require.Empty(t, mut.Errors, mut.Raw)
	require.Equal(t, "no-store", mut.Header.Get("Cache-Control"))
	require.Empty(t, mut.Header.Get("X-Mosaic-Epoch"))
}

// Delivery names a decision's campaign to anyone, but who edited it and
// its notes only to editors.
func TestDecisionCampaignIsPublicItsAuthorsAreNot(t *testing.T) {
	t.Parallel()
	app := newCampaignApp(t)
	app.schedule(t, switchStart, switchEnd)
	app.clock.Set(switchStart)
	q := `{ entry(slug: "home", type: "page") { blocks { id decision { campaign { key name priority startsAt endsAt status %s } } } } }`
	public := app.Query("", fmt.Sprintf(q, ""), nil)
	hero := block(t, public, "hero")
	require.Equal(t, map[string]any{"key": "winter-sale", "name": "Winter sale", "priority": 10.0,
		"startsAt": switchStart.Format(time.RFC3339), "endsAt": switchEnd.Format(time.RFC3339), "status": "LIVE"},
		testapp.Path(hero, "decision", "campaign"))
	for _, field := range []string{"createdBy", "description", "release { entryId }", "variants { slug }"} {
		resp := app.Query("", fmt.Sprintf(q, field), nil)
		require.Equal(t, "UNAUTHENTICATED", resp.Code(), field+": "+resp.Raw)
	}
	editor := app.Query(app.Token(auth.RoleViewer), fmt.Sprintf(q, "createdBy"), nil)
	require.Equal(t, "seed", testapp.Path(block(t, editor, "hero"), "decision", "campaign", "createdBy"))
}
