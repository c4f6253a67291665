package server_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
)

// The response cache keys on the segments the page's variants target,
// not on every segment the visitor is in (graph/respkey.go): a segment
// no variant targets never splits answers, one a variant targets always
// does, and one that becomes targeted does so from the next answer on.

// heroOf is the hero block's variant and the cache state of an anonymous
// read of the home page in ctx; the answer must equal an editor's read
// (which runs) of the same context.
func heroOf(t *testing.T, app *testapp.App, ctx map[string]any) (string, string) {
	t.Helper()
	vars := map[string]any{"ctx": ctx}
	got := app.Query("", cachedHome, vars)
	require.Empty(t, got.Errors, got.Raw)
	want := app.Query(app.Token(auth.RoleViewer), cachedHome, vars)
	require.Equal(t, want.Data, got.Data, "%v (%s): the answer is this visitor's", ctx, cacheState(got))
	return testapp.Path(block(t, got, "hero"), "decision", "variant").(string), cacheState(got)
}

func TestResponseCacheKeysOnTargetedSegmentsOnly(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{})
	editor := app.Token(auth.RoleEditor)
	r := app.Query(editor, `mutation { createSegment(input: {key: "newsletter", name: "Newsletter readers", rule: "traits.newsletter == true"}) { key } }`, nil)
	require.Empty(t, r.Errors, r.Raw)
	reader := map[string]any{"channel": "web", "traits": map[string]any{"newsletter": true}}
	other := map[string]any{"channel": "web", "traits": map[string]any{"newsletter": false}}
	x := app.Query(editor, `query($ctx: ExperienceContext) { explainDecision(slug: "home", type: "page", blockId: "hero", context: $ctx) { segments } }`,
		map[string]any{"ctx": reader})
	require.Empty(t, x.Errors, x.Raw)
	require.Contains(t, testapp.Path(x.Data, "explainDecision", "segments"), "newsletter", "the reader is in the segment")

	// No variant targets newsletter: one answer for both.
	v, state := heroOf(t, app, reader)
	require.Equal(t, "default", v)
	require.Equal(t, "MISS", state)
	v, state = heroOf(t, app, other)
	require.Equal(t, "default", v)
	require.Equal(t, "HIT", state, "a segment no variant targets does not split the answer")

	// vip is targeted (the hero's vip variant): it still separates, with
	// or without the untargeted segment beside it.
	vip := map[string]any{"channel": "web", "segments": []any{"vip"}}
	v, state = heroOf(t, app, vip)
	require.Equal(t, "vip", v)
	require.Equal(t, "MISS", state)
	vipReader := map[string]any{"channel": "web", "segments": []any{"vip"}, "traits": map[string]any{"newsletter": true}}
	v, state = heroOf(t, app, vipReader)
	require.Equal(t, "vip", v)
	require.Equal(t, "HIT", state)
	v, state = heroOf(t, app, other)
	require.Equal(t, "default", v)
	require.Equal(t, "HIT", state)

	// A hero variant starts targeting newsletter: from the next answer on
	// the readers see it, never the answer kept from before.
	homeID, version := homeDraft(t, app, editor)
	up := app.Query(editor, upsertVariant, map[string]any{"id": homeID, "block": "hero", "v": version, "in": map[string]any{
		"key": "news", "segments": []any{"newsletter"}, "priority": 5, "fields": map[string]any{"title": "Read this week's letter"}}})
	require.Empty(t, up.Errors, up.Raw)
	pub := app.Query(app.Token(auth.RolePublisher), `mutation($id: ID!, $v: Int) { publishEntry(id: $id, expectedVersion: $v) { status } }`,
		map[string]any{"id": homeID, "v": version + 1})
	require.Empty(t, pub.Errors, pub.Raw)
	first := ""
	require.Eventually(t, func() bool {
		v, state := heroOf(t, app, reader)
		first = state
		return v == "news"
	}, 10*time.Second, 20*time.Millisecond, "the newly targeted segment is decided on")
	require.Equal(t, "MISS", first, "the first answer naming the new variant was computed")
	v, state = heroOf(t, app, other)
	require.Equal(t, "default", v, "the non-reader is not served the reader's answer")
	require.Equal(t, "MISS", state)
	v, state = heroOf(t, app, map[string]any{"channel": "web", "traits": map[string]any{"newsletter": true, "visits": 1}})
	require.Equal(t, "news", v)
	require.Equal(t, "HIT", state, "readers share their answer again")
	v, _ = heroOf(t, app, vipReader)
	require.Equal(t, "news", v, "priority 5 beats vip for a reader")
}

// ctaArm is the arm of the demo's cta-test a visitor is bucketed in.
func ctaArm(t *testing.T, app *testapp.App, visitor string) string {
	t.Helper()
	r := app.Query(app.Token(auth.RoleViewer), cachedHome, map[string]any{"ctx": map[string]any{"visitorId": visitor, "channel": "web"}})
	arm, _ := testapp.Path(block(t, r, "cta"), "decision", "arm").(string)
	return arm
}

// Behavioural segments: visitors whose histories put them in the same
// targeted segment share the answer, whatever untargeted behavioural
// segment one of them is also in; visitors in different ones do not; and
// decision ids stay each visitor's own.
func TestBehaviouralSegmentsShareAnswersByTargetedSegment(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{Measurement: true})
	browsing(t, app) // returning = 3 product views in a week; the intro block targets it
	editor := app.Token(auth.RoleEditor)
	r := app.Query(editor, `mutation { createSegment(input: {key: "buyer", name: "Buyers",
		rule: "events.count(\"purchase\", duration(\"720h\")) >= 1"}) { key } }`, nil)
	require.Empty(t, r.Errors, r.Raw)

	// Four visitors in one arm of cta-test (arms split answers too).
	var ids []string
	for i := 0; len(ids) < 4; i++ {
		require.Less(t, i, 200)
		if id := fmt.Sprint("hist-", i); ctaArm(t, app, id) == "a" {
			ids = append(ids, id)
		}
	}
	browser, buyer, glancer, newcomer := ids[0], ids[1], ids[2], ids[3]
	events := func(visitor string, views, purchases int) []string {
		var out []string
		for i := range views {
			out = append(out, fmt.Sprintf(`{"id":"%s-pv-%d","type":"track","visitorId":%q,"name":"product_view"}`, visitor, i, visitor))
		}
		for i := range purchases {
			out = append(out, fmt.Sprintf(`{"id":"%s-buy-%d","type":"track","visitorId":%q,"name":"purchase","properties":{"value":80}}`, visitor, i, visitor))
		}
		return out
	}
	var all []string
	all = append(all, events(browser, 3, 0)...)
	all = append(all, events(buyer, 3, 1)...)
	all = append(all, events(glancer, 1, 0)...)
	ans := collect(t, app, "", "application/json", eventsBody(all...))
	require.Equal(t, http.StatusAccepted, ans.Status, ans.Raw)
	drained(t, app)
	for _, tc := range []struct {
		id    string
		views int
	}{{browser, 3}, {buyer, 3}, {glancer, 1}} {
		require.Eventually(t, func() bool {
			p := app.Measure.Profiles.Get(tc.id)
			return p != nil && p.Count("product_view", time.Now(), time.Hour) == tc.views
		}, 30*time.Second, 10*time.Millisecond, "%s's profile is loaded", tc.id)
	}
	segmentsOf := func(visitor string) []any {
		x := app.Query(editor, `query($ctx: ExperienceContext) { explainDecision(slug: "home", type: "page", blockId: "intro", context: $ctx) { segments } }`,
			map[string]any{"ctx": map[string]any{"visitorId": visitor, "channel": "web"}})
		require.Empty(t, x.Errors, x.Raw)
		s, _ := testapp.Path(x.Data, "explainDecision", "segments").([]any)
		return s
	}
	require.True(t, slices.Contains(segmentsOf(buyer), any("buyer")) && slices.Contains(segmentsOf(buyer), any("returning")))
	require.False(t, slices.Contains(segmentsOf(browser), any("buyer")))

	intro := func(visitor string) (string, string) {
		t.Helper()
		ctx := map[string]any{"visitorId": visitor, "channel": "web"}
		got := app.Query("", cachedHome, map[string]any{"ctx": ctx})
		require.Empty(t, got.Errors, got.Raw)
		want := app.Query(app.Token(auth.RoleViewer), cachedHome, map[string]any{"ctx": ctx})
		require.Equal(t, want.Data, got.Data, "%s (%s): the answer is this visitor's", visitor, cacheState(got))
		return testapp.Path(block(t, got, "intro"), "decision", "variant").(string), cacheState(got)
	}
	v, state := intro(browser)
	require.Equal(t, "welcome-back", v)
	require.Equal(t, "MISS", state)
	v, state = intro(buyer)
	require.Equal(t, "welcome-back", v)
	require.Equal(t, "HIT", state, "same targeted segment, an untargeted one besides: one answer")
	v, state = intro(glancer)
	require.Equal(t, "default", v, "a different history: a different answer")
	require.Equal(t, "MISS", state)
	v, state = intro(newcomer)
	require.Equal(t, "default", v)
	require.Equal(t, "HIT", state)

	// A decision id is shared as the answer's bytes are: it names the
	// record of the delivery that computed them, and the views naming it
	// count the copies (measurement/views.go).
	dq := func(visitor string) (string, string) {
		r := app.Query("", decisionQuery, map[string]any{"ctx": map[string]any{"visitorId": visitor, "channel": "web"}})
		return decisionID(t, r), cacheState(r)
	}
	a, state := dq(browser)
	require.NotEmpty(t, a)
	require.Equal(t, "MISS", state)
	a2, state := dq(browser)
	require.Equal(t, []string{a, "HIT"}, []string{a2, state})
	c, _ := dq(glancer)
	require.NotEqual(t, a, c, "a different answer, another computation: its own record")
}
