package graph

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// TestWriteResponseIsTheEncoders: the answer's bytes are exactly what
// json.Encoder wrote before — HTML characters and U+2028/2029 escaped in
// the data and the extensions, one line — so ETags, cached bodies and the
// decision-id splicing see the same bytes; shapes other than data and
// extensions go through the Encoder itself.
func TestWriteResponseIsTheEncoders(t *testing.T) {
	t.Parallel()
	yes := true
	for _, r := range []*graphql.Response{
		{Data: json.RawMessage(`{"entry":{"title":"<b>Tom & Jerry</b>","x":"\u2028\u2029","n":1.5,"l":[null,true,{}]}}`)},
		{Data: json.RawMessage(`{"a":"b"}`), Extensions: map[string]any{"epoch": 7, "cost": map[string]any{"z": 1, "a": "<&>"}}},
		{Data: json.RawMessage(`null`), Extensions: map[string]any{}},
		{},
		{Errors: gqlerror.List{{Message: "no <such> field"}}, Data: json.RawMessage(`{"a":1}`)},
		{Data: json.RawMessage(`{"a":1}`), Label: "l", Path: ast.Path{ast.PathName("a")}, HasNext: &yes},
		{Data: json.RawMessage(`{"é":"ü😀"}`)},
	} {
		var want, got bytes.Buffer
		require.NoError(t, json.NewEncoder(&want).Encode(r))
		writeResponse(&got, r)
		require.Equal(t, want.String(), got.String())
	}
}
