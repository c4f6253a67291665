package jsonscan

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

var docs = []string{
	`{}`, `[]`, `null`, `"s"`, `1`,
	`{"a": 1, "b": [1, {"c": "}"}], "d": "q\"uote", "e": null, "f": true, "g": -1.5e3}`,
	` [ 1 , "two" , {"three": [3]} , [ ] , null , false ] `,
	`{"esc\u0061ped": 1}`,
	`[{"a": "]"}, "[", "\\"]`,
}

// Members and elements are encoding/json's, byte for byte.
func TestScanAgreesWithEncodingJSON(t *testing.T) {
	for _, d := range docs {
		b := []byte(d)
		var obj map[string]json.RawMessage
		objErr := json.Unmarshal(b, &obj)
		got := map[string]json.RawMessage{}
		ok := EachMember(b, func(name, value []byte) bool {
			got[string(name)] = value
			return true
		})
		switch {
		case objErr != nil || obj == nil:
			require.False(t, ok, d)
		case bytes.Contains(b, []byte(`\u0061`)):
			require.False(t, ok, "an escaped name is left to encoding/json: %s", d)
		default:
			require.True(t, ok, d)
			require.Equal(t, len(obj), len(got), d)
			for k, v := range obj {
				require.Equal(t, string(v), string(got[k]), d)
			}
		}
		var arr []json.RawMessage
		arrErr := json.Unmarshal(b, &arr)
		var elems []string
		ok = EachElement(b, func(v []byte) bool {
			elems = append(elems, string(v))
			return true
		})
		if arrErr != nil || arr == nil {
			require.False(t, ok, d)
			continue
		}
		require.True(t, ok, d)
		require.Len(t, elems, len(arr), d)
		for i := range arr {
			require.Equal(t, string(arr[i]), elems[i], d)
		}
	}
}

func TestStrings(t *testing.T) {
	s, ok := PlainString([]byte(`"plain"`))
	require.True(t, ok)
	require.Equal(t, "plain", string(s))
	_, ok = PlainString([]byte(`"esc\"aped"`))
	require.False(t, ok)
	_, ok = PlainString([]byte(`12`))
	require.False(t, ok)
	require.True(t, IsNull(nil))
	require.True(t, IsNull([]byte(" null ")))
	require.False(t, IsNull([]byte(`"null"`)))
}
