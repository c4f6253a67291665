package server_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
)

// scalarOps take one variable $v of each scalar the schema declares, in
// the places a client sends them: context.at, campaign windows, filters,
// traits, ids, page sizes and uploads.
var scalarOps = []string{
	`query($v: DateTime) { entries(type: "page", context: {at: $v, preview: true}) { nodes { slug } } }`,
	`mutation($v: DateTime!) { scheduleCampaign(id: "00000000-0000-0000-0000-000000000000", startsAt: $v, endsAt: "2030-01-01T00:00:00Z") { key } }`,
	`query($v: DateTime) { campaigns(from: $v) { key } }`,
	`query($v: JSON) { entries(type: "page", context: {traits: $v}) { nodes { slug } } }`,
	`query($v: JSON) { entries(type: "page", filter: [{field: "title", value: $v}]) { nodes { slug } } }`,
	`query($v: ID!) { campaign(id: $v) { key } }`,
	`query($v: ID!) { asset(id: $v) { id } }`,
	`query($v: Int) { entries(type: "page", first: $v) { nodes { slug } } }`,
	`query($v: String!) { entry(slug: $v, type: "page") { id } }`,
	`mutation($v: Upload!) { uploadAsset(file: $v) { id } }`,
	`query($v: ExperienceContext) { entry(slug: "home", type: "page", context: $v) { id blocks { decision { variant } } } }`,
}

// TestMalformedScalars: a value that is not of its scalar's form is the
// client's mistake: BAD_USER_INPUT naming the input and the form expected,
// never INTERNAL.
func TestMalformedScalars(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{})
	editor := app.Token(auth.RoleEditor)
	for _, tc := range []struct {
		name, query string
		vars        map[string]any
		input, want string
	}{
		{"month 13", `{ entries(type: "page", context: {at: "2026-13-45T99:00:00Z", preview: true}) { nodes { slug } } }`, nil, "context.at", "RFC 3339"},
		{"a word", scalarOps[0], map[string]any{"v": "tomorrow"}, "context.at", `got "tomorrow"`},
		{"a date alone", scalarOps[0], map[string]any{"v": "2027-11-28"}, "context.at", "2026-12-01T09:00:00Z"},
		{"no time zone", scalarOps[0], map[string]any{"v": "2027-11-28 10:00:00"}, "context.at", "time zone"},
		{"empty", scalarOps[2], map[string]any{"v": ""}, "from", "RFC 3339"},
		{"schedule", `mutation { scheduleCampaign(id: "x", startsAt: "next friday", endsAt: "2030-01-01T00:00:00Z") { key } }`, nil, "startsAt", `got "next friday"`},
		{"a number as DateTime", scalarOps[1], map[string]any{"v": 1764579600}, "startsAt", "RFC 3339"},
		{"a float ID", scalarOps[5], map[string]any{"v": 1.5}, "id", "a string or an integer"},
		{"a string as Upload", scalarOps[9], map[string]any{"v": "file.png"}, "file", "multipart"},
		{"deep JSON", scalarOps[3], map[string]any{"v": nested(100)}, "context.traits", "deeper"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := app.Query(editor, tc.query, tc.vars)
			require.Equal(t, "BAD_USER_INPUT", resp.Code(), resp.Raw)
			require.Less(t, resp.Status, 500)
			msg := resp.Errors[0].Message
			require.True(t, strings.HasPrefix(msg, tc.input+": "), "the message names the input: %s", msg)
			require.Contains(t, msg, tc.want)
			fields, _ := json.Marshal(resp.Errors[0].Extensions["fields"])
			require.Contains(t, string(fields), `"path":"`+tc.input+`"`)
			require.NotContains(t, resp.Raw, "internal error")
		})
	}

	// The forms that are right still pass, zone offsets included.
	for _, ok := range []string{"2026-12-01T09:00:00Z", "2026-12-01T11:00:00+02:00", "2026-12-01T09:00:00.123456789Z"} {
		resp := app.Query(editor, scalarOps[0], map[string]any{"v": ok})
		require.Empty(t, resp.Errors, resp.Raw)
	}
	resp := app.Query(editor, scalarOps[5], map[string]any{"v": 12})
	require.Empty(t, resp.Errors, "an integer is an ID: %s", resp.Raw)
	require.Equal(t, http.StatusOK, resp.Status)
}

func nested(depth int) any {
	var v any = "leaf"
	for range depth {
		v = map[string]any{"a": v}
	}
	return v
}

// FuzzGraphQLVariables sends arbitrary variable values — any JSON, or the
// raw text as a string when it is not JSON — through every scalar of
// scalarOps on the whole in-process stack and a real database. A client's
// value is never answered with INTERNAL, a 5xx or an uncoded error.
//
//	go run ./internal/tools/testenv -- go test -run '^$' -fuzz FuzzGraphQLVariables -fuzztime 60s ./server/
func FuzzGraphQLVariables(f *testing.F) {
	app := testapp.New(f, testapp.Options{})
	editor := app.Token(auth.RoleEditor)
	for i := range scalarOps {
		for _, s := range []string{`"2026-13-45T99:00:00Z"`, `"tomorrow"`, `"2027-11-28"`, `""`, `null`, `1.5`, `-5`, `0`,
			`1e400`, `2147483648`, `true`, `[]`, `{}`, `{"at":"x"}`, `{"traits":[1]}`, `{"segments":"vip"}`, `"\u0000"`,
			`{"a":{"b":[{"c":null}]}}`, `"2026-12-01T09:00:00Z"`, `"home"`, `9007199254740993`} {
			f.Add(uint8(i), s)
		}
	}
	f.Fuzz(func(t *testing.T, op uint8, raw string) {
		query := scalarOps[int(op)%len(scalarOps)]
		dec := json.NewDecoder(strings.NewReader(raw))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil || dec.More() {
			v = raw
		}
		body, err := json.Marshal(map[string]any{"query": query, "variables": map[string]any{"v": v}})
		if err != nil {
			t.Skip("not representable as JSON:", err)
		}
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+editor)
		rec := httptest.NewRecorder()
		app.Handler.ServeHTTP(rec, req)
		require.Less(t, rec.Code, 500, "%s with %s: %s", query, raw, rec.Body)
		var resp testapp.Response
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &resp), "%s with %s: %s", query, raw, rec.Body)
		for _, e := range resp.Errors {
			code, _ := e.Extensions["code"].(string)
			require.NotContains(t, []string{"", "INTERNAL"}, code, "%s with %s: %s", query, raw, rec.Body)
		}
	})
}
