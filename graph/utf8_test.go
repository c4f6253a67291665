package graph

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestTextProblem(t *testing.T) {
	t.Parallel()
	for body, bad := range map[string]bool{
		`{"a":"café ❄ 😀"}`:           false,
		`{"a":"\u00e9\ud83d\ude00"}`: false,
		`{"a":"\\ud800"}`:            false, // an escaped backslash, then text
		`{"a":"\\\ud800"}`:           true,
		`{"a":"\ud800"}`:             true,
		`{"a":"\ud800\u0041"}`:       true,
		`{"a":"\udfff"}`:             true,
		`{"a":"\ud83d`:               true,
		"{\"a\":\"\xff\"}":           true,
		"{\"a\":\"\xed\xa0\x80\"}":   true,  // a surrogate encoded as UTF-8
		`{"a":"\u12"}`:               false, // not JSON: reported by the JSON check
		``:                           false,
	} {
		require.Equal(t, bad, textProblem([]byte(body)) != "", body)
	}
}
