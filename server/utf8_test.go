package server_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
)

// TestInvalidTextIsRefused: text that JSON decoding would turn into U+FFFD
// (invalid UTF-8, a lone surrogate escape) is refused at the transport as
// BAD_USER_INPUT, so nothing is stored as something the client did not
// send. Right text, emoji as a surrogate pair included, is stored as sent.
func TestInvalidTextIsRefused(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{})
	editor := app.Token(auth.RoleEditor)
	create := func(title string) []byte {
		return []byte(`{"query":"mutation($f: JSON!) { createEntry(input: {type: \"page\", slug: \"utf\", fields: $f}) { id fields } }",` +
			`"variables":{"f":{"title":"` + title + `"}}}`)
	}
	for name, tc := range map[string]struct{ title, msg string }{
		"invalid UTF-8":       {"Caf\xe9 cr\xe8me", "not valid UTF-8 (byte "},
		"truncated sequence":  {"snow \xe2\x98", "not valid UTF-8"},
		"lone high surrogate": {`snow \ud83d!`, `lone UTF-16 surrogate \ud83d`},
		"lone low surrogate":  {`\ude00`, `lone UTF-16 surrogate \ude00`},
	} {
		t.Run(name, func(t *testing.T) {
			resp := app.Post(editor, "application/json", create(tc.title))
			require.Equal(t, http.StatusBadRequest, resp.Status, resp.Raw)
			require.Equal(t, "BAD_USER_INPUT", resp.Code(), resp.Raw)
			require.Contains(t, resp.Errors[0].Message, tc.msg)
		})
	}
	drafts := app.Query(editor, `{ drafts(type: "page") { slug } }`, nil)
	require.NotContains(t, drafts.Raw, `"utf"`, "nothing was stored")

	// GET parameters and a multipart request's operations follow the same rule.
	get := app.Get("", "/graphql?query="+url.QueryEscape("{ entry(slug: \"caf\xe9\") { id } }"))
	require.Equal(t, "BAD_USER_INPUT", get.Code(), get.Raw)
	require.Contains(t, get.Errors[0].Message, "query: the request is not valid UTF-8")
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	require.NoError(t, mw.WriteField("operations", `{"query":"mutation($file: Upload!) { uploadAsset(file: $file, input: {alt: [{locale: \"en\", text: \"caf`+"\xe9"+`\"}]}) { id } }","variables":{"file":null}}`))
	require.NoError(t, mw.WriteField("map", `{"0": ["variables.file"]}`))
	require.NoError(t, mw.Close())
	up := app.Post(editor, mw.FormDataContentType(), buf.Bytes())
	require.Equal(t, "BAD_USER_INPUT", up.Code(), up.Raw)
	require.Contains(t, up.Errors[0].Message, `"operations": the request is not valid UTF-8`)

	ok := app.Post(editor, "application/json", create(`Caf\u00e9 \ud83d\ude00 ❄`))
	require.Empty(t, ok.Errors, ok.Raw)
	require.Equal(t, "Café 😀 ❄", testapp.Path(ok.Data, "createEntry", "fields", "title"))
}
