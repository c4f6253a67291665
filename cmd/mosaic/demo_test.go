package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/internal/testdb"
)

// TestDemoIsSeededOnce: the seed step `mosaic dev` runs on every start
// writes the demo into a fresh database (auditing the model it creates) and
// never again: a field an editor added to `page` survives the next start,
// and nothing is republished.
func TestDemoIsSeededOnce(t *testing.T) {
	t.Parallel()
	pool, url := testdb.Schema(t)
	ctx := context.Background()
	dir := t.TempDir()
	flags := []string{"--database-url", url, "--data-dir", dir, "--log-level", "warn"}
	seed := func() string {
		var out bytes.Buffer
		require.NoError(t, run(ctx, append([]string{"seed"}, flags...), &out, io.Discard))
		return out.String()
	}
	count := func(q string) int {
		var n int
		require.NoError(t, pool.QueryRow(ctx, q).Scan(&n))
		return n
	}

	require.Contains(t, seed(), "demo content seeded", "a fresh database gets the demo")
	require.Equal(t, 9, count(`SELECT count(*) FROM audit_log WHERE actor = 'seed' AND action = 'createContentType'`),
		"each type the seed creates is audited")

	// An editor adds a field to page (the audited CLI path).
	var exported bytes.Buffer
	require.NoError(t, run(ctx, append([]string{"model", "export"}, flags...), &exported, io.Discard))
	m, err := content.ParseModel(exported.Bytes())
	require.NoError(t, err)
	for i, ct := range m.Types {
		if ct.Key == "page" {
			m.Types[i].Fields = append(m.Types[i].Fields, content.Field{Key: "summary", Kind: content.KindText})
		}
	}
	raw, err := json.Marshal(m)
	require.NoError(t, err)
	file := filepath.Join(dir, "model.json")
	require.NoError(t, os.WriteFile(file, raw, 0o600))
	require.NoError(t, run(ctx, append(append([]string{"model", "import"}, flags...), file), io.Discard, io.Discard))
	pageVersion := count(`SELECT version FROM content_types WHERE key = 'page'`)
	versions, audits := count(`SELECT count(*) FROM entry_versions`), count(`SELECT count(*) FROM audit_log`)

	// The next start seeds nothing: the editor's model stays.
	require.Contains(t, seed(), "already present")
	require.Equal(t, pageVersion, count(`SELECT version FROM content_types WHERE key = 'page'`))
	require.Equal(t, 1, count(`SELECT count(*) FROM content_types, jsonb_array_elements(fields) f
		WHERE key = 'page' AND f->>'key' = 'summary'`), "the added field is still there")
	require.Equal(t, versions, count(`SELECT count(*) FROM entry_versions`), "nothing was republished")
	require.Equal(t, audits, count(`SELECT count(*) FROM audit_log`), "nothing changed, nothing audited")
}

// TestDevResetDemo plays the tour's kill switch and changes the model over
// the management API; a restart of `mosaic dev` keeps both; `mosaic dev
// --reset-demo` puts the demo back — winter-sale a DRAFT again, the
// editor's own entry gone — while users and the signing secret stay, and
// the demo pictures resolve.
func TestDevResetDemo(t *testing.T) {
	t.Parallel()
	pool, url := testdb.Schema(t)
	ctx := context.Background()
	dir := t.TempDir()
	flags := []string{"--database-url", url, "--data-dir", dir, "--log-level", "warn"}
	require.NoError(t, run(ctx, append([]string{"user", "add", "--email", "ana@example.com"}, flags...), io.Discard, io.Discard))
	dev := launchDev(t, flags...)
	gql := dev.url + "/graphql"
	// Tokens signed with the secret dev keeps in its data dir.
	var tok bytes.Buffer
	require.NoError(t, run(ctx, append([]string{"token", "--role", "publisher"}, flags...), &tok, io.Discard))
	token := strings.TrimSpace(tok.String())
	id := gqlData(t, gql, token, `{ campaign(key: "winter-sale") { id } }`)["campaign"].(map[string]any)["id"].(string)
	gqlData(t, gql, token, `mutation($id: ID!) { launchCampaign(id: $id, endsAt: "2099-01-01T00:00:00Z") { status } }`, "id", id)
	require.Equal(t, "STOPPED", gqlData(t, gql, token, `mutation($id: ID!) { stopCampaign(id: $id) { status } }`, "id", id)["stopCampaign"].(map[string]any)["status"])
	gqlData(t, gql, token, `mutation { createEntry(input: {type: "product", slug: "wool-socks",
		fields: {name: "Wool socks", sku: "SOCKS-05", price: 12, currency: "EUR"}}) { id } }`)
	// An admin adds a field to page through the management API.
	var adm bytes.Buffer
	require.NoError(t, run(ctx, append([]string{"token", "--role", "admin"}, flags...), &adm, io.Discard))
	admin := strings.TrimSpace(adm.String())
	v := gqlData(t, gql, admin, `{ contentType(key: "page") { version } }`)["contentType"].(map[string]any)["version"]
	gqlData(t, gql, admin, `mutation($v: Int!) { changeContentType(key: "page", expectedVersion: $v,
		changes: {addFields: [{key: "summary", kind: TEXT}]}) { applied } }`, "v", v)
	pageFields := func() []string {
		var keys []string
		for _, f := range gqlData(t, gql, admin, `{ contentType(key: "page") { fields { key } } }`)["contentType"].(map[string]any)["fields"].([]any) {
			keys = append(keys, f.(map[string]any)["key"].(string))
		}
		return keys
	}
	require.Contains(t, pageFields(), "summary")
	dev.stop(t)

	// A plain restart changes nothing: the model and the stopped campaign stay.
	dev = launchDev(t, flags...)
	gql = dev.url + "/graphql"
	require.Contains(t, pageFields(), "summary", "a restart keeps the editors' model")
	require.Equal(t, "STOPPED", gqlData(t, gql, token, `{ campaign(key: "winter-sale") { status } }`)["campaign"].(map[string]any)["status"])
	dev.stop(t)

	dev = launchDev(t, append([]string{"--reset-demo"}, flags...)...)
	gql = dev.url + "/graphql"
	camp := gqlData(t, gql, token, `{ campaign(key: "winter-sale") { status variants { slug } } }`)["campaign"].(map[string]any)
	require.Equal(t, "DRAFT", camp["status"], "the demo campaign can be played again")
	require.Len(t, camp["variants"], 4)
	require.Nil(t, gqlData(t, gql, token, `{ entry(slug: "wool-socks", type: "product") { id } }`)["entry"], "the editor's entry is gone")
	require.NotContains(t, pageFields(), "summary", "the demo model is back")
	var users int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM users WHERE email = 'ana@example.com'`).Scan(&users))
	require.Equal(t, 1, users, "users are not demo content")
	var resets int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'resetDemo'`).Scan(&resets))
	require.Equal(t, 1, resets)

	// The demo shows pictures: an asset on the hero, and /demo/… resolves.
	home := gqlData(t, gql, "", `{ entry(slug: "home", type: "page") { blocks { id fields } } }`)["entry"].(map[string]any)
	hero := home["blocks"].([]any)[0].(map[string]any)["fields"].(map[string]any)
	require.Equal(t, "/demo/hero-winter.jpg", hero["imageUrl"])
	img, _ := hero["image"].(map[string]any)
	require.NotNil(t, img, "the hero carries its picture as an asset: %v", hero)
	base := strings.TrimSuffix(gql, "/graphql")
	for _, path := range []string{img["url"].(string), "/demo/hero-winter.jpg", "/demo/store-map.png"} {
		if strings.HasPrefix(path, "/") {
			path = base + path
		}
		resp, err := http.Get(path)
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode, "%s: %s", path, body)
		require.Contains(t, resp.Header.Get("Content-Type"), "image/", path)
	}
	resp, err := http.Get(base + "/demo/nope.jpg")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusNotFound, resp.StatusCode)
}

// gqlData runs a GraphQL query with variables given as name, value pairs and
// returns its data, failing the test on any error.
func gqlData(t *testing.T, url, token, q string, vars ...any) map[string]any {
	t.Helper()
	v := map[string]any{}
	for i := 0; i+1 < len(vars); i += 2 {
		v[vars[i].(string)] = vars[i+1]
	}
	body, err := json.Marshal(map[string]any{"query": q, "variables": v})
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out struct {
		Data   map[string]any `json:"data"`
		Errors []any          `json:"errors"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	require.Empty(t, out.Errors, q)
	return out.Data
}
