package measurement

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

var objectCases = []string{
	`{}`, ` {"a":1} `, `{"a":1,"a":"two"}`, `{"n":-0.5e-3,"big":12345678901234567890,"t":true,"f":false,"z":null}`,
	`{"s":"\u00e9\ud83d\ude00\ud800x<&>","k\u0000":[],"nested":{"a":[1,[2,{"b":{}}]]}}`, "{\"\xff\":\"\xfe\"}",
	`{"x":1e999}`, `[1]`, `"s"`, `{"a":`, `{"a":1}x`, ``, `null`,
}

// DecodeObject reads what json.Unmarshal reads into a map[string]any,
// and refuses what it refuses.
func TestDecodeObjectAsEncodingJSON(t *testing.T) {
	t.Parallel()
	for _, c := range objectCases {
		sameObject(t, []byte(c))
	}
}

func sameObject(t *testing.T, raw []byte) {
	t.Helper()
	got, err := DecodeObject(raw)
	var want map[string]any
	wantErr := json.Unmarshal(raw, &want)
	if wantErr == nil && want == nil { // null
		wantErr = errNotObject
	}
	if wantErr != nil {
		require.Error(t, err, "%q", raw)
		return
	}
	require.NoError(t, err, "%q", raw)
	require.Equal(t, want, got, "%q", raw)
}

func FuzzDecodeObject(f *testing.F) {
	for _, c := range objectCases {
		f.Add([]byte(c))
	}
	f.Fuzz(sameObject)
}
