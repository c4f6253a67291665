package server_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
)

// pSnapshot is snapshot plus the personalization tables.
func pSnapshot(t *testing.T, app *testapp.App) map[string]any {
	t.Helper()
	return snapshotPlus(t, app,
		"SELECT COALESCE(json_agg(s ORDER BY key), '[]')::text FROM segments s",
		"SELECT COALESCE(json_agg(x ORDER BY key), '[]')::text FROM experiments x",
		"SELECT COALESCE(json_agg(d.variants ORDER BY entry_id, locale), '[]')::text FROM entry_drafts d",
		"SELECT COALESCE(json_agg(d.fields ORDER BY entry_id, locale), '[]')::text FROM entry_drafts d")
}

// homeDraft returns the id and draft version of the home page (en).
func homeDraft(t *testing.T, app *testapp.App, token string) (string, int) {
	t.Helper()
	resp := app.Query(token, `{ entry(slug: "home", type: "page") { id } }`, nil)
	require.Empty(t, resp.Errors, resp.Raw)
	id := testapp.Path(resp.Data, "entry", "id").(string)
	d := app.Query(token, `query($id: ID!) { draft(id: $id) { version } }`, map[string]any{"id": id})
	require.Empty(t, d.Errors, d.Raw)
	return id, int(testapp.Path(d.Data, "draft", "version").(float64))
}

const upsertVariant = `mutation($id: ID!, $block: String, $in: VariantInput!, $v: Int!) {
	upsertVariant(entryId: $id, blockId: $block, input: $in, expectedVersion: $v) { version fields variants } }`

func TestPersonalizationManagementBadInput(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{})
	editor := app.Token(auth.RoleEditor)
	homeID, version := homeDraft(t, app, editor)
	promoEntry := promoID(t, app, editor)
	variant := func(in map[string]any, block any, v int) map[string]any {
		return map[string]any{"id": homeID, "block": block, "in": in, "v": v}
	}
	cases := []struct {
		name, token, query string
		vars               map[string]any
		code, msg          string
		fieldPath          string
	}{
		{name: "rule syntax error with position", token: editor, code: "BAD_USER_INPUT", msg: "line 1, column 16", fieldPath: "rule",
			query: `mutation { createSegment(input: {key: "bad", name: "Bad", rule: "traits.visits >"}) { key } }`},
		{name: "rule error on the second line", token: editor, code: "BAD_USER_INPUT", msg: "line 2, column", fieldPath: "rule",
			query: `mutation($r: String) { createSegment(input: {key: "bad", name: "Bad", rule: $r}) { key } }`,
			vars:  map[string]any{"r": "traits.visits > 3 &&\n  context.devise == \"mobile\""}},
		{name: "rule not bool", token: editor, code: "BAD_USER_INPUT", msg: "must evaluate to bool",
			query: `mutation { createSegment(input: {key: "bad", name: "Bad", rule: "traits.visits + 1"}) { key } }`},
		{name: "rule unknown context field", token: editor, code: "BAD_USER_INPUT", msg: "unknown context field",
			query: `mutation { createSegment(input: {key: "bad", name: "Bad", rule: "context.country == \"RO\""}) { key } }`},
		{name: "bad segment key", token: editor, code: "BAD_USER_INPUT", msg: "key",
			query: `mutation { createSegment(input: {key: "no spaces", name: "Bad"}) { key } }`},
		{name: "duplicate segment", token: editor, code: "CONFLICT", msg: "vip",
			query: `mutation { createSegment(input: {key: "vip", name: "Again"}) { key } }`},
		{name: "stale segment version", token: editor, code: "CONFLICT", msg: "version",
			query: `mutation { updateSegment(input: {key: "returning", name: "R", rule: "true"}, expectedVersion: 7) { key } }`},
		{name: "update unknown segment", token: editor, code: "NOT_FOUND", msg: "nope",
			query: `mutation { updateSegment(input: {key: "nope", name: "R"}, expectedVersion: 1) { key } }`},
		{name: "delete unknown segment", token: editor, code: "NOT_FOUND", msg: "nope",
			query: `mutation { deleteSegment(key: "nope") }`},
		{name: "viewer cannot write segments", token: app.Token(auth.RoleViewer), code: "FORBIDDEN", msg: "segment.write",
			query: `mutation { createSegment(input: {key: "x", name: "X"}) { key } }`},
		{name: "experiment without positive weight", token: editor, code: "BAD_USER_INPUT", msg: "positive weight",
			query: `mutation { createExperiment(input: {key: "x", name: "X", arms: [{key: "a", weight: 0}]}) { key } }`},
		{name: "experiment holdout out of range", token: editor, code: "BAD_USER_INPUT", msg: "holdout",
			query: `mutation { createExperiment(input: {key: "x", name: "X", arms: [{key: "a", weight: 1}], holdout: 2}) { key } }`},
		{name: "stale experiment version", token: editor, code: "CONFLICT", msg: "version",
			query: `mutation { updateExperiment(input: {key: "cta-test", name: "X", arms: [{key: "a", weight: 1}]}, expectedVersion: 9) { key } }`},
		{name: "viewer cannot write experiments", token: app.Token(auth.RoleViewer), code: "FORBIDDEN", msg: "experiment.write",
			query: `mutation { deleteExperiment(key: "cta-test") }`},
		{name: "variant with unknown device", token: editor, code: "BAD_USER_INPUT", msg: "invalid", fieldPath: "fields.blocks.0.variants.4.targeting.devices.0",
			query: upsertVariant, vars: variant(map[string]any{"key": "fridge", "devices": []any{"fridge"}}, "hero", version)},
		{name: "variant targeting an unknown segment", token: editor, code: "BAD_USER_INPUT", msg: "invalid", fieldPath: "fields.blocks.0.variants.4.targeting.segments.0",
			query: upsertVariant, vars: variant(map[string]any{"key": "typo", "segments": []any{"vipp"}}, "hero", version)},
		{name: "variant with unknown experiment", token: editor, code: "BAD_USER_INPUT", msg: "invalid", fieldPath: "fields.blocks.0.variants.4.experiment",
			query: upsertVariant, vars: variant(map[string]any{"key": "x", "experiment": "nope", "arm": "a"}, "hero", version)},
		{name: "variant with unknown arm", token: editor, code: "BAD_USER_INPUT", msg: "invalid", fieldPath: "fields.blocks.0.variants.4.arm",
			query: upsertVariant, vars: variant(map[string]any{"key": "x", "experiment": "cta-test", "arm": "z"}, "hero", version)},
		{name: "variant overriding an unknown field", token: editor, code: "BAD_USER_INPUT", msg: "invalid", fieldPath: "fields.blocks.0.variants.4.fields.colour",
			query: upsertVariant, vars: variant(map[string]any{"key": "x", "fields": map[string]any{"colour": "red"}}, "hero", version)},
		{name: "variant key default is reserved", token: editor, code: "BAD_USER_INPUT", msg: "invalid",
			query: upsertVariant, vars: variant(map[string]any{"key": "default"}, "hero", version)},
		{name: "stale version on variant edit", token: editor, code: "CONFLICT", msg: "version",
			query: upsertVariant, vars: variant(map[string]any{"key": "tablet", "devices": []any{"tablet"}}, "hero", version-1)},
		{name: "stale version on remove", token: editor, code: "CONFLICT", msg: "version",
			query: `mutation($id: ID!) { removeVariant(entryId: $id, blockId: "hero", key: "vip", expectedVersion: 99) { version } }`,
			vars:  map[string]any{"id": homeID}},
		{name: "remove unknown variant", token: editor, code: "NOT_FOUND", msg: "nope",
			query: `mutation($id: ID!, $v: Int!) { removeVariant(entryId: $id, blockId: "hero", key: "nope", expectedVersion: $v) { version } }`,
			vars:  map[string]any{"id": homeID, "v": version}},
		{name: "reorder must name every variant", token: editor, code: "BAD_USER_INPUT", msg: "every variant",
			query: `mutation($id: ID!, $v: Int!) { reorderVariants(entryId: $id, blockId: "hero", keys: ["vip", "vip", "kiosk"], expectedVersion: $v) { version } }`,
			vars:  map[string]any{"id": homeID, "v": version}},
		{name: "unknown block", token: editor, code: "NOT_FOUND", msg: "no block",
			query: upsertVariant, vars: variant(map[string]any{"key": "x"}, "nope", version)},
		{name: "global block reference", token: editor, code: "BAD_USER_INPUT", msg: "global block",
			query: upsertVariant, vars: variant(map[string]any{"key": "x"}, "promo", version)},
		{name: "entry-level variant on a global block with unknown channel", token: editor, code: "BAD_USER_INPUT", msg: "invalid", fieldPath: "variants.1.targeting.channels.0",
			query: upsertVariant, vars: map[string]any{"id": promoEntry, "in": map[string]any{"key": "x", "channels": []any{"radio"}}, "v": 1}},
		{name: "viewer cannot edit variants", token: app.Token(auth.RoleViewer), code: "FORBIDDEN", msg: "content.write",
			query: upsertVariant, vars: variant(map[string]any{"key": "x"}, "hero", version)},
		{name: "unknown device in delivery context", code: "BAD_USER_INPUT", msg: `unknown device "fridge"`, fieldPath: "context.device",
			query: personalizedHome, vars: map[string]any{"ctx": map[string]any{"device": "fridge"}}},
		{name: "unknown channel in delivery context", code: "BAD_USER_INPUT", msg: `unknown channel "radio"`, fieldPath: "context.channel",
			query: `{ entries(type: "page", context: {channel: "radio"}) { nodes { id } } }`},
		{name: "traits not an object", code: "BAD_USER_INPUT", msg: "traits",
			query: personalizedHome, vars: map[string]any{"ctx": map[string]any{"traits": []any{1}}}},
		{name: "delivery caller sending at", code: "FORBIDDEN", msg: "preview",
			query: personalizedHome, vars: map[string]any{"ctx": map[string]any{"at": "2026-12-01T09:00:00Z"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := pSnapshot(t, app)
			resp := app.Query(tc.token, tc.query, tc.vars)
			require.NotEmpty(t, resp.Errors, resp.Raw)
			require.Equal(t, tc.code, resp.Code(), resp.Raw)
			require.Contains(t, resp.Errors[0].Message, tc.msg, resp.Raw)
			if tc.fieldPath != "" {
				require.Contains(t, fieldPaths(resp), tc.fieldPath, resp.Raw)
			}
			require.Equal(t, before, pSnapshot(t, app), "a rejected request changed the database")
		})
	}
}

func fieldPaths(resp testapp.Response) []string {
	var out []string
	list, _ := resp.Errors[0].Extensions["fields"].([]any)
	for _, f := range list {
		if p, ok := testapp.Path(f, "path").(string); ok {
			out = append(out, p)
		}
	}
	return out
}

func TestSegmentLifecycleChangesDelivery(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{})
	editor := app.Token(auth.RoleEditor)
	mobileVisitor := map[string]any{"ctx": map[string]any{"traits": map[string]any{"visits": 2}}}
	require.Equal(t, "default", testapp.Path(block(t, app.Query("", personalizedHome, mobileVisitor), "intro"), "decision", "variant"))

	list := app.Query(editor, `{ segments { key rule version } }`, nil)
	require.Empty(t, list.Errors, list.Raw)
	require.Equal(t, []any{
		map[string]any{"key": "big-spender", "rule": "traits.cart_value >= 100.0", "version": 1.0},
		map[string]any{"key": "returning", "rule": "traits.visits > 3", "version": 1.0},
		map[string]any{"key": "vip", "rule": nil, "version": 1.0},
	}, testapp.Path(list.Data, "segments"))

	// Loosening the rule takes effect on the next request: the engine is
	// rebuilt before the mutation returns.
	upd := app.Query(editor, `mutation { updateSegment(input: {key: "returning", name: "Returning", rule: "traits.visits > 1"}, expectedVersion: 1) {
		key rule version updatedBy } }`, nil)
	require.Empty(t, upd.Errors, upd.Raw)
	require.Equal(t, 2.0, testapp.Path(upd.Data, "updateSegment", "version"))
	require.Equal(t, "test-editor", testapp.Path(upd.Data, "updateSegment", "updatedBy"))
	b := block(t, app.Query("", personalizedHome, mobileVisitor), "intro")
	require.Equal(t, "welcome-back", testapp.Path(b, "decision", "variant"))
	require.Equal(t, "segment returning matched", testapp.Path(b, "decision", "reason"))

	del := app.Query(editor, `mutation { deleteSegment(key: "returning") }`, nil)
	require.Empty(t, del.Errors, del.Raw)
	require.Equal(t, "default", testapp.Path(block(t, app.Query("", personalizedHome, mobileVisitor), "intro"), "decision", "variant"))
	// An explicit segment still matches without a definition.
	explicit := map[string]any{"ctx": map[string]any{"segments": []any{"returning"}}}
	require.Equal(t, "welcome-back", testapp.Path(block(t, app.Query("", personalizedHome, explicit), "intro"), "decision", "variant"))
	gone := app.Query(editor, `{ segment(key: "returning") { key } }`, nil)
	require.Empty(t, gone.Errors, gone.Raw)
	require.Nil(t, testapp.Path(gone.Data, "segment"))
}

func TestExperimentLifecycle(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{})
	editor := app.Token(auth.RoleEditor)
	resp := app.Query(editor, `mutation { createExperiment(input: {key: "hero-test", name: "Hero", arms: [{key: "x", weight: 1}, {key: "y", weight: 3}], holdout: 0.1}) {
		key arms { key weight } holdout version } }`, nil)
	require.Empty(t, resp.Errors, resp.Raw)
	require.Equal(t, map[string]any{"key": "hero-test", "holdout": 0.1, "version": 1.0,
		"arms": []any{map[string]any{"key": "x", "weight": 1.0}, map[string]any{"key": "y", "weight": 3.0}}},
		testapp.Path(resp.Data, "createExperiment"))

	// Everyone into arm b: the cta block follows on the next request.
	upd := app.Query(editor, `mutation { updateExperiment(input: {key: "cta-test", name: "CTA", arms: [{key: "a", weight: 0}, {key: "b", weight: 1}]}, expectedVersion: 1) { version } }`, nil)
	require.Empty(t, upd.Errors, upd.Raw)
	for _, visitor := range []string{"v1", "v2", "v3", "v4"} {
		b := block(t, app.Query("", personalizedHome, map[string]any{"ctx": map[string]any{"visitorId": visitor}}), "cta")
		require.Equal(t, "cta-b", testapp.Path(b, "decision", "variant"), visitor)
	}
	del := app.Query(editor, `mutation { deleteExperiment(key: "cta-test") }`, nil)
	require.Empty(t, del.Errors, del.Raw)
	b := block(t, app.Query("", personalizedHome, map[string]any{"ctx": map[string]any{"visitorId": "v1"}}), "cta")
	require.Equal(t, "default", testapp.Path(b, "decision", "variant"))
	list := app.Query(app.Token(auth.RoleViewer), `{ experiments { key } }`, nil)
	require.Empty(t, list.Errors, list.Raw)
	require.Equal(t, []any{map[string]any{"key": "hero-test"}}, testapp.Path(list.Data, "experiments"))
}

func TestVariantEditing(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{})
	editor := app.Token(auth.RoleEditor)
	homeID, version := homeDraft(t, app, editor)
	heroVariants := func(resp testapp.Response, field string) []any {
		t.Helper()
		require.Empty(t, resp.Errors, resp.Raw)
		var keys []any
		for _, v := range testapp.Path(resp.Data, field, "fields", "blocks", 0, "variants").([]any) {
			keys = append(keys, testapp.Path(v, "key"))
		}
		return keys
	}

	add := app.Query(editor, upsertVariant, map[string]any{"id": homeID, "block": "hero", "v": version, "in": map[string]any{
		"key": "tablet", "devices": []any{"tablet"}, "priority": 2, "fields": map[string]any{"subtitle": "Big screen, warm layers."}}})
	require.Equal(t, []any{"vip", "mobile", "kiosk", "winter-sale", "tablet"}, heroVariants(add, "upsertVariant"))
	version++
	require.Equal(t, map[string]any{"key": "tablet", "targeting": map[string]any{"devices": []any{"tablet"}}, "priority": 2.0,
		"fields": map[string]any{"subtitle": "Big screen, warm layers."}},
		testapp.Path(add.Data, "upsertVariant", "fields", "blocks", 0, "variants", 4))

	edit := app.Query(editor, upsertVariant, map[string]any{"id": homeID, "block": "hero", "v": version, "in": map[string]any{
		"key": "mobile", "devices": []any{"mobile", "watch"}}})
	require.Equal(t, []any{"vip", "mobile", "kiosk", "winter-sale", "tablet"}, heroVariants(edit, "upsertVariant"))
	version++

	reorder := app.Query(editor, `mutation($id: ID!, $v: Int!) { reorderVariants(entryId: $id, blockId: "hero", keys: ["tablet", "kiosk", "mobile", "vip", "winter-sale"], expectedVersion: $v) { fields } }`,
		map[string]any{"id": homeID, "v": version})
	require.Equal(t, []any{"tablet", "kiosk", "mobile", "vip", "winter-sale"}, heroVariants(reorder, "reorderVariants"))
	version++

	remove := app.Query(editor, `mutation($id: ID!, $v: Int!) { removeVariant(entryId: $id, blockId: "hero", key: "kiosk", expectedVersion: $v) { fields } }`,
		map[string]any{"id": homeID, "v": version})
	require.Equal(t, []any{"tablet", "mobile", "vip", "winter-sale"}, heroVariants(remove, "removeVariant"))
	version++

	// Delivery shows the published version until the draft is published.
	watch := map[string]any{"ctx": map[string]any{"device": "watch"}}
	require.Equal(t, "default", testapp.Path(block(t, app.Query("", personalizedHome, watch), "hero"), "decision", "variant"))
	pub := app.Query(app.Token(auth.RolePublisher), `mutation($id: ID!, $v: Int) { publishEntry(id: $id, expectedVersion: $v) { status } }`,
		map[string]any{"id": homeID, "v": version})
	require.Empty(t, pub.Errors, pub.Raw)
	require.Equal(t, "mobile", testapp.Path(block(t, app.Query("", personalizedHome, watch), "hero"), "decision", "variant"))
	require.Equal(t, "tablet", testapp.Path(block(t, app.Query("", personalizedHome, map[string]any{"ctx": map[string]any{"device": "tablet"}}), "hero"), "decision", "variant"))

	// The entry-level variants of a global block.
	promo := promoID(t, app, editor)
	global := app.Query(editor, upsertVariant, map[string]any{"id": promo, "v": 1, "in": map[string]any{
		"key": "app", "channels": []any{"app"}, "fields": map[string]any{"headline": "Free shipping in the app"}}})
	require.Empty(t, global.Errors, global.Raw)
	require.Len(t, testapp.Path(global.Data, "upsertVariant", "variants"), 2)
	require.Equal(t, "app", testapp.Path(global.Data, "upsertVariant", "variants", 1, "key"))
}
