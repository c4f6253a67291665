package graph

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The fast path unescapes GET parameters itself: it must read exactly what
// url.QueryUnescape reads, and refuse exactly what it refuses.
func TestAppendQueryUnescapeIsQueryUnescape(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "plain", "a+b", "%7B%22a%22%3A1%7D", "%e2%82%ac", "%E2%82%AC", "100%", "%4", "%zz", "%%41", "a%2Bb+c",
		"%00", "%ff%fe", url.QueryEscape(`{"ctx":{"visitorId":"v 1","traits":{"a":"ü&=+"}}}`)} {
		assertUnescapeMatches(t, s)
	}
}

func FuzzAppendQueryUnescape(f *testing.F) {
	for _, s := range []string{"a+b", "%7B%22", "100%", "%zz", "%E2%82%AC"} {
		f.Add(s)
	}
	f.Fuzz(assertUnescapeMatches)
}

func assertUnescapeMatches(t *testing.T, s string) {
	want, err := url.QueryUnescape(s)
	got, ok := appendQueryUnescape([]byte("prefix:"), s)
	require.Equal(t, err == nil, ok, "%q", s)
	if ok {
		require.Equal(t, "prefix:"+want, string(got), "%q", s)
	}
}

// appendRawObject reads members as sent, refuses a name twice and what is
// not an object, and appends after what the slice held.
func TestAppendRawObject(t *testing.T) {
	t.Parallel()
	vs, ok := appendRawObject(rawVars{{"kept", []byte("1")}}, []byte(` {"a" : {"b":[1,2]}, "c":"x"} `))
	require.True(t, ok)
	require.Equal(t, `{"b":[1,2]}`, string(vs.get("a")))
	require.Equal(t, `"x"`, string(vs.get("c")))
	require.Equal(t, "1", string(vs.get("kept")))
	require.Nil(t, vs.get("missing"))

	_, ok = appendRawObject(nil, []byte(`{"a":1,"a":2}`))
	require.False(t, ok, "a name twice")
	_, ok = appendRawObject(rawVars{{"a", []byte("1")}}, []byte(`{"a":2}`))
	require.True(t, ok, "only this object's names count")
	_, ok = appendRawObject(nil, []byte(`[1]`))
	require.False(t, ok)
	vs, ok = appendRawObject(nil, []byte(`null`))
	require.True(t, ok)
	require.Empty(t, vs)
}

// The intern tables are bounded in bytes whatever requests send: a text
// too large for one is returned, not kept; a full table starts over.
func TestInternTableBoundedInBytes(t *testing.T) {
	t.Parallel()
	tb := internTable{m: map[string]string{}, max: 1 << 10}
	for i := range 1000 {
		w := "name-" + strconv.Itoa(i)
		require.Equal(t, w, tb.intern([]byte(w)))
		require.LessOrEqual(t, tb.size, tb.max)
	}
	require.Equal(t, tb.intern([]byte("name-999")), "name-999")
	big := strings.Repeat("x", 200)
	require.Equal(t, big, tb.intern([]byte(big)))
	_, kept := tb.lookup([]byte(big))
	require.False(t, kept, "over a sixteenth of the bound: not kept")

	tb.keep(`"a\nb"`, "a\nb")
	got, ok := tb.lookup([]byte(`"a\nb"`))
	require.True(t, ok)
	require.Equal(t, "a\nb", got)
}
