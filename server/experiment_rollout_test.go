package server_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
)

const ctaQuery = `query($ctx: ExperienceContext) { entry(slug: "home", type: "page", locale: "en", context: $ctx) {
	id version blocks { id fields decision { variant experiment arm } } } }`

// ctaOf is the home page's cta block as visitor v sees it: its fields,
// the experiment it was exposed to ("" for none), and the entry's id and
// published version.
func ctaOf(t *testing.T, app *testapp.App, key, v string) (fields map[string]any, experiment, id string, version int) {
	t.Helper()
	r := app.QueryKey(key, ctaQuery, map[string]any{"ctx": map[string]any{"visitorId": v, "device": "desktop", "channel": "web"}})
	require.Empty(t, r.Errors, r.Raw)
	e := r.Data["entry"].(map[string]any)
	for _, b := range e["blocks"].([]any) {
		b := b.(map[string]any)
		if b["id"] != "cta" {
			continue
		}
		d := b["decision"].(map[string]any)
		x, _ := d["experiment"].(string)
		return b["fields"].(map[string]any), x, e["id"].(string), int(e["version"].(float64))
	}
	t.Fatalf("no cta block in %s", r.Raw)
	return nil, "", "", 0
}

// stopExperiment(rollout: true) makes the winning arm's copy the cta
// block's default through drafts and publication: afterwards every visitor
// gets the winner with the experiment stopped, the entry's history has the
// new version by the actor, and rolling the entry back restores the old
// default. Refusals change nothing.
func TestStopExperimentRollout(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{})
	key := app.APIKey(auth.ScopeDelivery)
	editor, publisher := app.Token(auth.RoleEditor), app.Token(auth.RolePublisher)

	// Before: visitors in arm b see b's copy, the rest a's; find one of each.
	var winnerFields, loserFields map[string]any
	for i := 0; i < 64 && (winnerFields == nil || loserFields == nil); i++ {
		f, x, _, _ := ctaOf(t, app, key, fmt.Sprintf("ro-%d", i))
		require.Equal(t, "cta-test", x)
		if f["style"] == "secondary" {
			winnerFields = f
		} else {
			loserFields = f
		}
	}
	require.NotNil(t, winnerFields)
	require.NotNil(t, loserFields)
	require.NotEqual(t, winnerFields["label"], loserFields["label"])
	_, _, id, before := ctaOf(t, app, key, "ro-0")
	var draftBefore int
	r := app.Query(publisher, `query($id: ID!) { draft(id: $id, locale: "en") { version } }`, map[string]any{"id": id})
	require.Empty(t, r.Errors, r.Raw)
	draftBefore = int(r.Data["draft"].(map[string]any)["version"].(float64))

	running := func() {
		t.Helper()
		r := app.Query(publisher, `{ experiment(key: "cta-test") { status rollout { entryId } } }`, nil)
		require.Empty(t, r.Errors, r.Raw)
		require.Equal(t, map[string]any{"status": "RUNNING", "rollout": []any{}}, r.Data["experiment"])
		_, _, _, v := ctaOf(t, app, key, "ro-0")
		require.Equal(t, before, v, "nothing was published")
	}
	for name, tc := range map[string]struct{ token, query, code, contains string }{
		"no winner":      {publisher, `mutation { stopExperiment(key: "cta-test", rollout: true) { key } }`, "BAD_USER_INPUT", "winner"},
		"winner not arm": {publisher, `mutation { stopExperiment(key: "cta-test", winner: "z", rollout: true) { key } }`, "BAD_USER_INPUT", `no arm`},
		"editor cannot publish": {editor, `mutation { stopExperiment(key: "cta-test", winner: "b", rollout: true) { key } }`,
			"FORBIDDEN", ""},
		"unknown": {publisher, `mutation { stopExperiment(key: "ghost", winner: "b", rollout: true) { key } }`, "NOT_FOUND", "ghost"},
	} {
		r := app.Query(tc.token, tc.query, nil)
		require.Equal(t, tc.code, r.Code(), "%s: %s", name, r.Raw)
		require.Contains(t, r.Raw, tc.contains, name)
		running()
	}

	// Pending draft edits on a target entry: CONFLICT naming it, nothing changed.
	r = app.Query(publisher, `mutation($id: ID!, $v: Int!) { updateEntry(id: $id, locale: "en", input: {slug: "home"}, expectedVersion: $v) { version status } }`,
		map[string]any{"id": id, "v": draftBefore})
	require.Empty(t, r.Errors, r.Raw)
	require.Equal(t, "CHANGED", r.Data["updateEntry"].(map[string]any)["status"], r.Raw)
	r = app.Query(publisher, `mutation { stopExperiment(key: "cta-test", winner: "b", rollout: true) { key } }`, nil)
	require.Equal(t, "CONFLICT", r.Code(), r.Raw)
	require.Contains(t, r.Raw, id)
	require.Contains(t, r.Raw, "unpublished draft edits")
	running()
	r = app.Query(publisher, `mutation($id: ID!) { publishEntry(id: $id, locale: "en") { publishedVersion } }`, map[string]any{"id": id})
	require.Empty(t, r.Errors, r.Raw)
	_, _, _, before = ctaOf(t, app, key, "ro-0")

	r = app.Query(publisher, `mutation { stopExperiment(key: "cta-test", winner: "b", rollout: true) {
		status winner rollout { entryId locale version } } }`, nil)
	require.Empty(t, r.Errors, r.Raw)
	x := r.Data["stopExperiment"].(map[string]any)
	require.Equal(t, "STOPPED", x["status"])
	require.Equal(t, "b", x["winner"])
	rolled := x["rollout"].([]any)
	require.NotEmpty(t, rolled)
	var enVersion int
	for _, e := range rolled {
		e := e.(map[string]any)
		if e["entryId"] == id && e["locale"] == "en" {
			enVersion = int(e["version"].(float64))
		}
	}
	require.Equal(t, before+1, enVersion, "one new published version of home (en)")

	// Every visitor now gets the winner's copy, exposed to no experiment.
	require.Eventually(t, func() bool {
		for i := range 16 {
			f, x, _, v := ctaOf(t, app, key, fmt.Sprintf("ro-%d", i))
			if x != "" || v != enVersion || f["label"] != winnerFields["label"] || f["style"] != "secondary" {
				return false
			}
		}
		return true
	}, 10*time.Second, 20*time.Millisecond, "the winner is every visitor's default")

	// The history shows the rollout as a version by the publisher; the
	// stored content keeps no variant of the stopped experiment.
	r = app.Query(publisher, `query($id: ID!) { draft(id: $id, locale: "en") { status fields history { version publishedBy } } }`,
		map[string]any{"id": id})
	require.Empty(t, r.Errors, r.Raw)
	d := r.Data["draft"].(map[string]any)
	require.Equal(t, "PUBLISHED", d["status"])
	h := d["history"].([]any)[0].(map[string]any)
	require.Equal(t, float64(enVersion), h["version"])
	require.NotEmpty(t, h["publishedBy"])
	require.NotContains(t, fmt.Sprint(d["fields"]), "cta-test")

	// Rolling the entry back restores the old default: the experiment is
	// stopped, so its variants (back in the old version) are not eligible.
	r = app.Query(publisher, `mutation($id: ID!, $v: Int!) { rollbackEntry(id: $id, locale: "en", version: $v) { publishedVersion } }`,
		map[string]any{"id": id, "v": before})
	require.Empty(t, r.Errors, r.Raw)
	require.Eventually(t, func() bool {
		f, x, _, _ := ctaOf(t, app, key, "ro-0")
		return x == "" && f["style"] == "primary" && f["label"] != winnerFields["label"]
	}, 10*time.Second, 20*time.Millisecond, "rollback restores the default from before the rollout")

	// Rolling out again is CONFLICT: the experiment is stopped.
	r = app.Query(publisher, `mutation { stopExperiment(key: "cta-test", winner: "b", rollout: true) { key } }`, nil)
	require.Equal(t, "CONFLICT", r.Code(), r.Raw)
	require.Contains(t, r.Raw, "STOPPED")
}
