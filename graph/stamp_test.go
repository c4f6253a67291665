package graph

import "testing"

func TestETagMatches(t *testing.T) {
	const etag = `"abc"`
	for _, c := range []struct {
		header string
		want   bool
	}{
		{`"abc"`, true},
		{`W/"abc"`, true},
		{`"x", "abc"`, true},
		{`"x",W/"abc" ,"y"`, true},
		{`*`, true},
		{` * `, true},
		{``, false},
		{`,`, false},
		{`"abc`, false},
		{`"x", "y"`, false},
		{`"abc"x`, false},
		{`w/"abc"`, false}, // the weak prefix is case-sensitive
	} {
		if got := etagMatches(c.header, etag); got != c.want {
			t.Errorf("etagMatches(%q) = %v, want %v", c.header, got, c.want)
		}
	}
}
